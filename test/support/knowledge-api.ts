/** Helpers for the knowledge API tests: staff with grants, bodies of each kind, publishing through the API. */
import assert from 'node:assert/strict';
import type { Grant } from '#core/staff/roles.ts';
import type { TestStack } from './stack.ts';
import { bearer, from, postJson, signIn } from './staff.ts';

export interface Problem {
  code: string;
  status: number;
  detail?: string;
  errors?: Array<{ path?: string; message: string }>;
}

/** A staff member with these grants, signed in; returns the bearer token. */
export async function staffToken(stack: TestStack, phone: string, grants: Grant[]): Promise<string> {
  await stack.deps.staff.create({
    phone,
    grants,
    invitedBy: '+8613800000000',
    createdAt: 'x',
    updatedAt: 'x',
    version: 1,
  });
  return (await signIn(stack, phone)).token;
}

/** A request to /api/v1 as the holder of `token` (none: anonymous). */
export const apiAs =
  (stack: TestStack) =>
  (token: string | undefined, path: string, init: RequestInit = {}): Promise<Response> =>
    from(stack)(`/api/v1${path}`, token ? bearer(token, init) : init);

export const putJson = (body: unknown): RequestInit => ({ ...postJson(body), method: 'PUT' });

export const versions = (tag = '') => ({
  bo: {
    title: `སད།${tag}`,
    body: 'སང་ཉིན་སད་འབབ། ནས་ལ་རས་གཡོགས།',
    summary: 'སང་ཉིན་སད།',
    instruction: 'ནས་ལ་རས་གཡོགས།',
  },
  zh: {
    title: `霜冻预警${tag}`,
    body: '明天夜间有霜冻，请覆盖青稞。',
    summary: '明天霜冻，请覆盖青稞。',
    instruction: '覆盖青稞。',
  },
  en: {
    title: `Frost${tag}`,
    body: 'Frost tomorrow night: cover the barley.',
    summary: 'Frost tomorrow: cover the barley.',
  },
});

export const guideBody = (over: Record<string, unknown> = {}) => ({
  commodity: 'barley_qingke',
  stage: 'during',
  topic: 'weather',
  regions: ['pref_shigatse'],
  months: [5, 6, 7],
  versions: versions(),
  ...over,
});

export const bulletinBody = (over: Record<string, unknown> = {}) => ({
  date: '2026-06-01',
  regions: ['pref_shigatse'],
  versions: versions(),
  ...over,
});

export const alertBody = (now: Date, over: Record<string, unknown> = {}) => ({
  kind: 'weather',
  severity: 'severe',
  regions: ['cty_shigatse_gyantse', 'pref_lhasa'],
  onset: new Date(now.getTime() - 3_600_000).toISOString(),
  expires: new Date(now.getTime() + 2 * 86_400_000).toISOString(),
  versions: versions(),
  ...over,
});

export interface ItemOut {
  id: string;
  version: number;
  status: string;
  seq: number;
  reviews: Record<'bo' | 'zh', { state: string }>;
  published?: { version: number };
}

/** Creates, submits and has both languages approved: the item published, through the API only. */
export async function publishThroughApi(
  api: ReturnType<typeof apiAs>,
  tokens: { editor: string; bo: string; zh: string },
  path: 'guides' | 'bulletins' | 'alerts',
  body: unknown,
): Promise<ItemOut> {
  const created = await api(tokens.editor, `/${path}`, postJson(body));
  assert.equal(created.status, 201, await created.clone().text());
  const item = (await created.json()) as ItemOut;
  return approveBoth(api, tokens, path, item);
}

/** Submits an item (draft) and approves it in both languages. */
export async function approveBoth(
  api: ReturnType<typeof apiAs>,
  tokens: { editor: string; bo: string; zh: string },
  path: 'guides' | 'bulletins' | 'alerts',
  item: ItemOut,
): Promise<ItemOut> {
  const submitted = await api(tokens.editor, `/${path}/${item.id}/submit`, postJson({}));
  assert.equal(submitted.status, 200, await submitted.clone().text());
  for (const language of ['bo', 'zh'] as const) {
    const res = await api(
      tokens[language],
      `/${path}/${item.id}/approve`,
      postJson({ language, version: item.version }),
    );
    assert.equal(res.status, 200, await res.clone().text());
  }
  const res = await api(tokens.editor, `/knowledge/${item.id}`);
  const view = (await res.json()) as { item: ItemOut };
  assert.equal(view.item.status, 'published');
  return view.item;
}
