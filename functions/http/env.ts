import type { PageEnv } from '#web/kit.ts';

/** The deps type lives with the composition root (functions/adapters/wiring.ts builds it). */
export type { AppDeps } from '#adapters/app-deps.ts';

/** The Hono env of the app: the variables its middleware sets, the same ones the pages read. */
export type AppEnv = PageEnv;
