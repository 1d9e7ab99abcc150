/**
 * The knowledge API against the real stack (dynalite, the real knowledge service): who may do
 * what (401, 403 by role, region and language), validation (400 with each field named, nothing
 * created), the Idempotency-Key, the whole paired review by API (submit, approvals by a
 * Tibetan and a Chinese reviewer, a stale version, the author refused), the public reads, a
 * correction, an urgent alert, and the CAP 1.2 form validated against the schema.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { outsideQuietHours } from '#test/support/broadcasts.ts';
import { validateCap } from '#test/support/cap.ts';
import {
  alertBody,
  apiAs,
  approveBoth,
  bulletinBody,
  guideBody,
  type ItemOut,
  type Problem,
  publishThroughApi,
  putJson,
  staffToken,
} from '#test/support/knowledge-api.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: ReturnType<typeof apiAs>;
const tokens = { editor: '', bo: '', zh: '', lhasaEditor: '', collector: '', lhasaBo: '', editorReviewer: '' };

/** Every draft of a kind the editor sees in Shigatse: the count proves a refusal created nothing. */
async function drafts(kind: 'guide' | 'bulletin' | 'alert'): Promise<string[]> {
  const res = await api(tokens.editor, `/knowledge?kind=${kind}&status=draft&region=pref_shigatse`);
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { items: Array<{ id: string }> }).items.map((i) => i.id);
}

const problemOf = async (res: Response) => {
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  return (await res.json()) as Problem;
};

beforeAll(async () => {
  stack = await startTestStack({ ...outsideQuietHours() });
  api = apiAs(stack);
  tokens.editor = await staffToken(stack, '+8613900001201', [
    { role: 'editor', regions: ['pref_shigatse', 'pref_lhasa'] },
  ]);
  tokens.bo = await staffToken(stack, '+8613900001202', [
    { role: 'reviewer', regions: ['pref_shigatse', 'pref_lhasa'], languages: ['bo'] },
  ]);
  tokens.zh = await staffToken(stack, '+8613900001203', [
    { role: 'reviewer', regions: ['pref_shigatse', 'pref_lhasa'], languages: ['zh'] },
  ]);
  tokens.lhasaEditor = await staffToken(stack, '+8613900001204', [{ role: 'editor', regions: ['pref_lhasa'] }]);
  tokens.collector = await staffToken(stack, '+8613900001205', [{ role: 'collector', regions: ['pref_shigatse'] }]);
  tokens.lhasaBo = await staffToken(stack, '+8613900001206', [
    { role: 'reviewer', regions: ['pref_lhasa'], languages: ['bo'] },
  ]);
  tokens.editorReviewer = await staffToken(stack, '+8613900001207', [
    { role: 'editor', regions: ['pref_shigatse'] },
    { role: 'reviewer', regions: ['pref_shigatse'], languages: ['zh'] },
  ]);
});
afterAll(() => stack?.close());

describe('knowledge API: who may', () => {
  test('a stranger gets 401 on every staff route, before anything else', async () => {
    for (const [path, init] of [
      ['/guides', postJson(guideBody())],
      ['/alerts', postJson(alertBody(new Date()))],
      ['/knowledge?kind=guide&status=draft', {}],
      ['/knowledge/g0000000000', {}],
      ['/guides/g0000000000/submit', postJson({})],
      ['/alerts/a0000000000/approve', postJson({ language: 'bo', version: 1 })],
    ] as const) {
      const res = await api(undefined, path, init);
      assert.equal(res.status, 401, path);
      assert.equal((await problemOf(res)).code, 'unauthorized');
    }
  });

  test('a role without content.edit, or an editor of another region, is a 403 and nothing is made', async () => {
    const before = await drafts('guide');
    const collector = await api(tokens.collector, '/guides', postJson(guideBody()));
    assert.equal(collector.status, 403);
    const lhasa = await api(tokens.lhasaEditor, '/guides', postJson(guideBody({ regions: ['pref_shigatse'] })));
    assert.equal(lhasa.status, 403);
    assert.equal((await problemOf(lhasa)).code, 'forbidden');
    assert.deepEqual(await drafts('guide'), before);
  });
});

describe('knowledge API: bad input', () => {
  test('a body that does not fit the schema is a 400 naming each field', async () => {
    const before = await drafts('guide');
    const res = await api(
      tokens.editor,
      '/guides',
      postJson({ ...guideBody(), stage: 'harvest', topic: 'gossip', versions: { bo: { title: 1 } } }),
    );
    assert.equal(res.status, 400);
    const problem = await problemOf(res);
    assert.equal(problem.code, 'validation_failed');
    const paths = (problem.errors ?? []).map((e) => e.path);
    for (const p of ['body.stage', 'body.topic', 'body.versions.bo.title', 'body.versions.bo.body'])
      assert.ok(paths.includes(p), `${p} in ${JSON.stringify(paths)}`);
    assert.deepEqual(await drafts('guide'), before);
  });

  test("the service's refusals come through as translated 400s: months, an unknown commodity, expiry before onset", async () => {
    const before = await drafts('guide');
    const months = await api(tokens.editor, '/guides', postJson(guideBody({ months: [0, 13] })));
    assert.equal(months.status, 400);
    const unknown = await api(tokens.editor, '/guides?lang=zh', postJson(guideBody({ commodity: 'unobtainium' })));
    assert.equal(unknown.status, 400);
    const zh = await problemOf(unknown);
    assert.match(JSON.stringify(zh.errors), /[\u4e00-\u9fff]/, 'the detail is in Chinese');
    assert.deepEqual(await drafts('guide'), before);

    const alertsBefore = await drafts('alert');
    const now = new Date();
    const backwards = await api(
      tokens.editor,
      '/alerts',
      postJson(alertBody(now, { onset: now.toISOString(), expires: new Date(now.getTime() - 1000).toISOString() })),
    );
    assert.equal(backwards.status, 400);
    const notInstant = await api(tokens.editor, '/alerts', postJson(alertBody(now, { onset: 'tomorrow' })));
    assert.equal(notInstant.status, 400);
    assert.ok((await problemOf(notInstant)).errors?.some((e) => e.path === 'body.onset'));
    assert.deepEqual(await drafts('alert'), alertsBefore);
  });

  test('a summary over its segments is refused on save with the figures, nothing stored', async () => {
    const before = await drafts('bulletin');
    const long = '霜冻'.repeat(200);
    const base = bulletinBody();
    const res = await api(
      tokens.editor,
      '/bulletins',
      postJson({ ...base, versions: { ...base.versions, zh: { ...base.versions.zh, summary: long } } }),
    );
    assert.equal(res.status, 400);
    const problem = await problemOf(res);
    assert.ok(
      problem.errors?.some((e) => e.path?.includes('zh')),
      JSON.stringify(problem.errors),
    );
    assert.deepEqual(await drafts('bulletin'), before);
    // The form's check says the same without storing.
    const check = await api(
      tokens.editor,
      '/bulletins/summary-check',
      postJson({ versions: { zh: { ...base.versions.zh, summary: long } } }),
    );
    assert.equal(check.status, 200);
    const { checks } = (await check.json()) as {
      checks: Array<{ language: string; groups: Array<{ fits: boolean; segments: number }> }>;
    };
    const zh = checks.find((c) => c.language === 'zh')!;
    assert.equal(zh.groups[0]!.fits, false);
    assert.ok(zh.groups[0]!.segments > 2);
  });

  test('unknown ids are 404 problems; a malformed id a 400; another kind’s id under a path a 404', async () => {
    assert.equal((await api(undefined, '/guides/g0000000000')).status, 404);
    assert.equal((await api(undefined, '/alerts/a0000000000')).status, 404);
    assert.equal((await api(undefined, '/alerts/a0000000000.cap')).status, 404);
    assert.equal((await api(undefined, '/alerts/nonsense')).status, 400);
    assert.equal((await api(undefined, '/alerts/no-such.cap')).status, 400);
    const guide = (await (await api(tokens.editor, '/guides', postJson(guideBody()))).json()) as ItemOut;
    assert.equal((await api(tokens.editor, `/alerts/${guide.id}/submit`, postJson({}))).status, 404);
  });
});

describe('knowledge API: create once', () => {
  test('the same Idempotency-Key from the same editor is one item; another key is another', async () => {
    const key = { 'Idempotency-Key': `guide-${Date.now()}` };
    const first = await api(tokens.editor, '/guides', postJson(guideBody(), key));
    assert.equal(first.status, 201);
    const a = (await first.json()) as ItemOut;
    assert.equal(a.version, 1);
    assert.equal(a.status, 'draft');
    assert.match(first.headers.get('location') ?? '', new RegExp(`/api/v1/knowledge/${a.id}$`));
    const again = await api(tokens.editor, '/guides', postJson(guideBody(), key));
    assert.ok(again.status === 201 || again.status === 200, String(again.status));
    assert.equal(((await again.json()) as ItemOut).id, a.id);
    const other = await api(
      tokens.editor,
      '/guides',
      postJson(guideBody(), { 'Idempotency-Key': `${key['Idempotency-Key']}-2` }),
    );
    assert.notEqual(((await other.json()) as ItemOut).id, a.id);
    const bad = await api(tokens.editor, '/guides', postJson(guideBody(), { 'Idempotency-Key': 'x'.repeat(200) }));
    assert.equal(bad.status, 400);
  });
});

describe('knowledge API: the paired review', () => {
  test('draft → submit → bo and zh approvals of the same version by two reviewers → published; refusals change nothing', async () => {
    const now = stack.deps.now();
    const created = await api(
      tokens.editorReviewer,
      '/alerts',
      postJson(alertBody(now, { regions: ['cty_shigatse_gyantse'] })),
    );
    assert.equal(created.status, 201, await created.clone().text());
    const alert = (await created.json()) as ItemOut;

    // Not public while a draft, nor in review.
    assert.equal((await api(undefined, `/alerts/${alert.id}`)).status, 404);
    assert.equal((await api(undefined, `/alerts/${alert.id}.cap`)).status, 404);

    // Approving a draft: its status does not allow it.
    const early = await api(
      tokens.bo,
      `/alerts/${alert.id}/approve`,
      postJson({ language: 'bo', version: alert.version }),
    );
    assert.equal(early.status, 409);

    assert.equal((await api(tokens.editorReviewer, `/alerts/${alert.id}/submit`, postJson({}))).status, 200);

    // The author may not approve their own work, even holding the reviewer role.
    const own = await api(
      tokens.editorReviewer,
      `/alerts/${alert.id}/approve`,
      postJson({ language: 'zh', version: alert.version }),
    );
    assert.equal(own.status, 403, 'own work');
    assert.equal((await problemOf(own)).code, 'forbidden');
    // A Tibetan reviewer may not approve the Chinese text.
    const wrongLanguage = await api(
      tokens.bo,
      `/alerts/${alert.id}/approve`,
      postJson({ language: 'zh', version: alert.version }),
    );
    assert.equal(wrongLanguage.status, 403, 'wrong language');
    // A reviewer of another prefecture: 403.
    const elsewhere = await api(
      tokens.lhasaBo,
      `/alerts/${alert.id}/approve`,
      postJson({ language: 'bo', version: alert.version }),
    );
    assert.equal(elsewhere.status, 403);
    // A stale version: 409.
    const stale = await api(
      tokens.bo,
      `/alerts/${alert.id}/approve`,
      postJson({ language: 'bo', version: alert.version + 7 }),
    );
    assert.equal(stale.status, 409);
    // A body that is not an approval: 400.
    assert.equal((await api(tokens.bo, `/alerts/${alert.id}/approve`, postJson({ language: 'fr' }))).status, 400);

    const view = async () =>
      ((await (await api(tokens.editorReviewer, `/knowledge/${alert.id}`)).json()) as { item: ItemOut }).item;
    const mid = await view();
    assert.equal(mid.status, 'in_review');
    assert.equal(mid.reviews.bo.state, 'pending');
    assert.equal(mid.reviews.zh.state, 'pending');

    assert.equal(
      (await api(tokens.bo, `/alerts/${alert.id}/approve`, postJson({ language: 'bo', version: alert.version })))
        .status,
      200,
    );
    assert.equal((await view()).status, 'in_review');
    assert.equal((await api(undefined, `/alerts/${alert.id}`)).status, 404);
    const done = await api(
      tokens.zh,
      `/alerts/${alert.id}/approve`,
      postJson({ language: 'zh', version: alert.version }),
    );
    assert.equal(done.status, 200);
    assert.equal(((await done.json()) as ItemOut).status, 'published');

    // Public now: the alert, the region's current alerts, and its CAP form.
    const pub = await api(undefined, `/alerts/${alert.id}`);
    assert.equal(pub.status, 200);
    assert.match(pub.headers.get('cache-control') ?? '', /public, max-age=\d+/);
    const body = (await pub.json()) as { content: { versions: Record<string, { body: string }> }; version: number };
    assert.ok(body.content.versions.bo!.body.length > 0);
    const current = await api(undefined, '/alerts?region=cty_shigatse_gyantse');
    assert.ok(((await current.json()) as { items: Array<{ id: string }> }).items.some((i) => i.id === alert.id));
    const cap = await api(undefined, `/alerts/${alert.id}.cap`);
    assert.equal(cap.status, 200);
    assert.match(cap.headers.get('content-type') ?? '', /^application\/cap\+xml/);
    const xml = await cap.text();
    const valid = await validateCap(xml);
    assert.deepEqual(valid.errors, []);
    assert.match(xml, /<msgType>Alert<\/msgType>/);
    assert.match(xml, /<language>bo<\/language>[\s\S]*<language>zh-CN<\/language>[\s\S]*<language>en-US<\/language>/);
    assert.match(xml, /<valueName>GB\/T 2260<\/valueName><value>540222<\/value>/);
    assert.match(xml, new RegExp(`<web>http://[^<]+/alerts/${alert.id}\\?lang=bo</web>`));

    // A correction: the Chinese text changes → a new version in draft; the public keeps the published one.
    const fixed = alertBody(now, { regions: ['cty_shigatse_gyantse'] });
    fixed.versions.zh.body = '明天夜间有严重霜冻，请覆盖青稞。';
    const put = await api(tokens.editor, `/alerts/${alert.id}`, putJson(fixed));
    assert.equal(put.status, 200, await put.clone().text());
    const correction = (await put.json()) as ItemOut;
    assert.ok(correction.version > alert.version);
    assert.equal(correction.status, 'draft');
    assert.equal(correction.published?.version, alert.version);
    assert.equal(
      ((await (await api(undefined, `/alerts/${alert.id}`)).json()) as { version: number }).version,
      alert.version,
    );

    await approveBoth(api, { editor: tokens.editor, bo: tokens.bo, zh: tokens.zh }, 'alerts', correction);
    const updated = await (await api(undefined, `/alerts/${alert.id}.cap`)).text();
    assert.deepEqual((await validateCap(updated)).errors, []);
    assert.match(updated, /<msgType>Update<\/msgType>/);
    assert.match(updated, new RegExp(`<identifier>${alert.id}-v${correction.version}</identifier>`));
    assert.match(updated, new RegExp(`<references>[^,<]+,${alert.id}-v${alert.version},[^<]+\\+08:00</references>`));
  });

  test('a lost update is a 409: PUT with a seq someone else has moved past', async () => {
    const item = (await (await api(tokens.editor, '/guides', postJson(guideBody()))).json()) as ItemOut;
    const first = await api(
      tokens.editor,
      `/guides/${item.id}`,
      putJson({ ...guideBody({ months: [6] }), seq: item.seq }),
    );
    assert.equal(first.status, 200);
    const second = await api(
      tokens.editor,
      `/guides/${item.id}`,
      putJson({ ...guideBody({ months: [7] }), seq: item.seq }),
    );
    assert.equal(second.status, 409);
  });

  test('an urgent alert: one reviewer of its main language publishes it alone; its CAP has no Chinese <info>', async () => {
    const now = stack.deps.now();
    const created = await api(
      tokens.editor,
      '/alerts',
      postJson(
        alertBody(now, {
          urgent: true,
          mainLanguage: 'bo',
          severity: 'extreme',
          kind: 'disease',
          regions: ['pref_shigatse'],
        }),
      ),
    );
    assert.equal(created.status, 201, await created.clone().text());
    const alert = (await created.json()) as ItemOut;
    assert.equal((await api(tokens.editor, `/alerts/${alert.id}/submit`, postJson({}))).status, 200);
    // The Chinese reviewer is not a reviewer of the main language.
    const zh = await api(tokens.zh, `/alerts/${alert.id}/publish-urgent`, postJson({ version: alert.version }));
    assert.equal(zh.status, 403);
    const bo = await api(tokens.bo, `/alerts/${alert.id}/publish-urgent`, postJson({ version: alert.version }));
    assert.equal(bo.status, 200, await bo.clone().text());
    const pub = (await (await api(undefined, `/alerts/${alert.id}`)).json()) as { follows?: string[] };
    assert.deepEqual(pub.follows, ['zh']);
    const xml = await (await api(undefined, `/alerts/${alert.id}.cap`)).text();
    assert.deepEqual((await validateCap(xml)).errors, []);
    assert.equal(xml.match(/<info>/g)?.length, 2, 'bo and en: the Chinese follows');
    assert.doesNotMatch(xml, /<language>zh-CN<\/language>/);
    assert.match(xml, /<urgency>Immediate<\/urgency>/);
    assert.match(xml, /<category>Health<\/category>/);
    assert.match(xml, /<value>540200<\/value>/);
    // Guides have no urgent route.
    assert.equal((await api(tokens.bo, '/guides/g0000000000/publish-urgent', postJson({ version: 1 }))).status, 404);
  });
});

describe('knowledge API: public reads', () => {
  test('guides by commodity, stage and month as light cards; the guide whole; counts without a commodity', async () => {
    const guide = await publishThroughApi(api, tokens, 'guides', guideBody({ months: [6] }));
    const list = await api(
      undefined,
      '/guides?commodity=barley_qingke&stage=during&month=6&region=cty_shigatse_gyantse',
    );
    assert.equal(list.status, 200);
    assert.match(list.headers.get('cache-control') ?? '', /^public/);
    const cards = (await list.json()) as {
      items: Array<{ id: string; content: { versions: Record<string, { body: string; title: string }> } }>;
    };
    const card = cards.items.find((i) => i.id === guide.id);
    assert.ok(card, 'the published guide is listed');
    assert.equal(card.content.versions.bo!.body, '');
    assert.ok(card.content.versions.bo!.title.length > 0);
    const otherMonth = (await (await api(undefined, '/guides?commodity=barley_qingke&month=1')).json()) as {
      items: Array<{ id: string }>;
    };
    assert.ok(!otherMonth.items.some((i) => i.id === guide.id));
    const whole = (await (await api(undefined, `/guides/${guide.id}`)).json()) as {
      content: { versions: Record<string, { body: string }> };
    };
    assert.ok(whole.content.versions.bo!.body.length > 0);
    const counts = (await (await api(undefined, '/guides')).json()) as { commodities: Record<string, number> };
    assert.ok((counts.commodities.barley_qingke ?? 0) >= 1);
    assert.equal((await api(undefined, '/guides?month=13')).status, 400);
  });

  test('bulletins of a region, newest first; archived items leave the public reads', async () => {
    const bulletin = await publishThroughApi(api, tokens, 'bulletins', bulletinBody());
    const listed = (await (await api(undefined, '/bulletins?region=cty_shigatse_gyantse')).json()) as {
      items: Array<{ id: string }>;
    };
    assert.ok(listed.items.some((i) => i.id === bulletin.id));
    assert.equal((await api(undefined, `/bulletins/${bulletin.id}`)).status, 200);
    assert.equal((await api(tokens.editor, `/bulletins/${bulletin.id}/archive`, postJson({}))).status, 200);
    assert.equal((await api(undefined, `/bulletins/${bulletin.id}`)).status, 404);
  });

  test('the OpenAPI document lists the knowledge routes, the CAP form with its media type', async () => {
    const doc = (await (await api(undefined, '/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    for (const path of [
      '/guides',
      '/guides/{id}',
      '/bulletins',
      '/alerts',
      '/alerts/{id}',
      '/knowledge',
      '/alerts/{id}/approve',
    ])
      assert.ok(doc.paths[path], path);
    assert.ok(doc.paths['/alerts/{id}.cap']?.get?.responses['200']?.content?.['application/cap+xml']);
  });
});
