import type { PageKit } from '#web/kit.ts';
import { actingOf } from './middleware/auth.ts';

/** What the page routes get from the app beside the deps (web/kit.ts): the signed-in actor as use-cases take it. */
export const pageKit: PageKit = { acting: actingOf };
