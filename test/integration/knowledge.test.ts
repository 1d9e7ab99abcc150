/**
 * The knowledge library's workflow on the real local stack (dynalite, the real stores, the
 * broadcasts service): paired bilingual review, needs_update, refusals of the author, of a
 * reviewer without the language or the region and of one reviewer for both, urgent alerts, a
 * correction, archiving, and the broadcast a publication drafts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoKnowledgeStore } from '#adapters/dynamodb/knowledge-store.ts';
import { shanghaiDay } from '#core/dates.ts';
import { AppError } from '#core/errors.ts';
import type { Item } from '#core/knowledge/item.ts';
import * as review from '#core/knowledge/review.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import {
  acting,
  alertInput,
  BO_REVIEWER,
  EDITOR,
  editorOf,
  guideInput,
  publish,
  reviewerOf,
  ZH_REVIEWER,
} from '#test/support/knowledge.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const ADMIN = acting('+8613800000000', { role: 'admin', regions: ['*'] });

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00' });
}, 60_000);
afterAll(() => stack?.close());

const k = () => stack.deps.knowledge;

/** The AppError a call throws, with the message keys of its details. */
async function refusalOf(p: Promise<unknown>): Promise<{ code: string; keys: string[] }> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { code: err.code, keys: err.details.map((d) => d.key ?? '') };
  }
  throw new Error('expected a refusal');
}

async function auditActions(target: string): Promise<string[]> {
  const page = await stack.deps.audit.listDay(shanghaiDay(new Date()), { limit: 500 });
  return page.items
    .filter((e) => e.target === target)
    .map((e) => e.action)
    .reverse();
}

describe('paired review', () => {
  test('published only when bo and zh are approved for the same version by two people; then public', async () => {
    const draft = await k().create(EDITOR, 'guide', guideInput({ regions: ['cty_shigatse_gyantse'] }));
    expect(draft.status).toBe('draft');
    expect(draft.version).toBe(1);
    await expect(k().approve(BO_REVIEWER, draft.id, 'bo', 1)).rejects.toMatchObject({ code: 'conflict' });
    await k().submit(EDITOR, draft.id);
    const half = await k().approve(BO_REVIEWER, draft.id, 'bo', 1);
    expect(half.status).toBe('in_review');
    expect(await k().publicGet(draft.id)).toBeUndefined();
    const done = await k().approve(ZH_REVIEWER, draft.id, 'zh', 1);
    expect(done.status).toBe('published');
    expect(done.published?.approvals.bo?.by).toBe(BO_REVIEWER.actor.phone);
    expect(done.published?.approvals.zh?.by).toBe(ZH_REVIEWER.actor.phone);
    const pub = await k().publicGet(draft.id);
    expect(pub?.version).toBe(1);
    const list = await k().guides({ commodityId: 'barley_qingke', regionId: 'cty_shigatse_gyantse' });
    expect(list.items.map((g) => g.id)).toContain(draft.id);
    expect((await k().guideCommodities()).barley_qingke).toBeGreaterThanOrEqual(1);
    expect(await auditActions(draft.id)).toEqual([
      'knowledge.create',
      'knowledge.submit',
      'knowledge.approve',
      'knowledge.approve',
      'knowledge.publish',
    ]);
  });

  test('changing the Chinese text after the Tibetan approval: bo needs_update, a new version', async () => {
    const draft = await k().create(EDITOR, 'guide', guideInput());
    await k().submit(EDITOR, draft.id);
    await k().approve(BO_REVIEWER, draft.id, 'bo', 1);
    const input = guideInput();
    input.versions.zh = { ...input.versions.zh!, body: '青稞出苗后浇水，每周一次。' };
    const changed = await k().update(EDITOR, draft.id, input);
    expect(changed.version).toBe(2);
    expect(changed.reviews.bo.state).toBe('needs_update');
    expect(changed.reviews.zh.state).toBe('pending');
    expect(changed.status).toBe('in_review');
    // An approval of the old version is stale.
    expect((await refusalOf(k().approve(ZH_REVIEWER, draft.id, 'zh', 1))).keys).toEqual([
      'errors:knowledge.staleVersion',
    ]);
    // The same form saved again changes nothing.
    expect((await k().update(EDITOR, draft.id, input)).version).toBe(2);
    // English alone withdraws nothing.
    await k().approve(ZH_REVIEWER, draft.id, 'zh', 2);
    const en = guideInput();
    en.versions = { ...input.versions, en: { ...input.versions.en!, body: 'Water it weekly.' } };
    const third = await k().update(EDITOR, draft.id, en);
    expect(third.reviews.zh.state).toBe('approved');
    expect(third.version).toBe(3);
  });

  test('refused: the author, a reviewer without the language or the region, one reviewer for both', async () => {
    const both = acting('+8613900000201', { role: 'editor', regions: ['*'] }, { role: 'reviewer', regions: ['*'] });
    const draft = await k().create(both, 'guide', guideInput());
    await k().submit(both, draft.id);
    const own = await refusalOf(k().approve(both, draft.id, 'bo', 1));
    expect(own).toEqual({ code: 'forbidden', keys: ['errors:knowledge.ownWork'] });
    const wrong = await refusalOf(k().approve(BO_REVIEWER, draft.id, 'zh', 1));
    expect(wrong).toEqual({ code: 'forbidden', keys: ['errors:knowledge.wrongLanguage'] });
    const lhasa = reviewerOf('+8613900000202', ['zh'], ['pref_lhasa']);
    const regional = await k().create(EDITOR, 'guide', guideInput({ regions: ['pref_shigatse'] }));
    await k().submit(EDITOR, regional.id);
    expect((await refusalOf(k().approve(lhasa, regional.id, 'zh', 1))).code).toBe('forbidden');
    const bilingual = reviewerOf('+8613900000203');
    await k().approve(bilingual, draft.id, 'bo', 1);
    expect(await refusalOf(k().approve(bilingual, draft.id, 'zh', 1))).toEqual({
      code: 'forbidden',
      keys: ['errors:knowledge.sameReviewer'],
    });
    const after = await k().get(ADMIN, draft.id);
    expect(after.item.status).toBe('in_review');
    expect(after.item.reviews.zh.state).toBe('pending');
  });

  test('an editor of another region may not write there', async () => {
    const lhasaEditor = editorOf('+8613900000204', ['pref_lhasa']);
    expect((await refusalOf(k().create(lhasaEditor, 'guide', guideInput({ regions: ['pref_shigatse'] })))).code).toBe(
      'forbidden',
    );
  });
});

describe('bad input changes nothing', () => {
  test('a draft missing Chinese cannot be submitted', async () => {
    const input = guideInput();
    delete input.versions.zh;
    const draft = await k().create(EDITOR, 'guide', input);
    expect(await refusalOf(k().submit(EDITOR, draft.id))).toEqual({
      code: 'validation_failed',
      keys: ['errors:knowledge.missingLanguage'],
    });
    expect((await k().get(EDITOR, draft.id)).item.status).toBe('draft');
  });

  test('a summary over its segments is refused on save, with the count per script', async () => {
    const long = '青稞出苗后及时浇水，保持土壤湿润，注意防治病虫害，适时追肥，确保丰收。'.repeat(2);
    const r = await refusalOf(k().create(EDITOR, 'guide', guideInput({ summary: { zh: long } })));
    expect(r.code).toBe('validation_failed');
    expect(r.keys).toContain('errors:knowledge.summaryTooLong');
    const checks = await k().checkSummaries('guide', guideInput({ summary: { zh: long } }).versions);
    const zh = checks.find((c) => c.language === 'zh')!.groups[0]!;
    expect(zh).toMatchObject({ group: 'zh', limit: 1, fits: false });
    const bo = checks.find((c) => c.language === 'bo')!;
    expect(bo.groups.map((g) => g.group)).toEqual(['bo-tibetan', 'bo-wylie']);
  });

  test('unknown commodity and region, months out of range, expiry before onset', async () => {
    const r = await refusalOf(
      k().create(EDITOR, 'guide', {
        ...guideInput({ regions: ['nowhere'] }),
        fields: { kind: 'guide', commodityId: 'unobtainium', stage: 'during', topic: 'technique', months: [13] },
      }),
    );
    expect(r.keys).toEqual(
      expect.arrayContaining([
        'errors:knowledge.unknownRegion',
        'errors:knowledge.unknownCommodity',
        'errors:knowledge.invalidMonths',
      ]),
    );
    const now = new Date();
    const alert = alertInput(now);
    alert.fields = {
      ...(alert.fields as object),
      expires: new Date(now.getTime() - 7200_000).toISOString(),
    } as typeof alert.fields;
    expect((await refusalOf(k().create(EDITOR, 'alert', alert))).keys).toContain('errors:knowledge.expiresBeforeOnset');
  });
});

describe('alerts', () => {
  test('urgent: one reviewer of the main language publishes it alone; Chinese follows; the audit log says so', async () => {
    const draft = await k().create(EDITOR, 'alert', alertInput(new Date(), { urgent: true }));
    const urgent = await k().publishUrgent(BO_REVIEWER, draft.id, 1);
    expect(urgent.published?.follows).toEqual(['zh']);
    expect(Object.keys(urgent.published?.content.versions ?? {}).sort()).toEqual(['bo', 'en']);
    expect(urgent.status).toBe('in_review');
    const pub = await k().publicGet(draft.id);
    expect(pub?.content.versions.zh).toBeUndefined();
    expect(await auditActions(draft.id)).toContain('knowledge.publish_urgent');
    // The Chinese reviewer approves the same version: the whole alert is published.
    const whole = await k().approve(ZH_REVIEWER, draft.id, 'zh', 1);
    expect(whole.status).toBe('published');
    expect((await k().publicGet(draft.id))?.content.versions.zh?.summary).toMatch(/冰雹/u);
    // A zh reviewer cannot publish a bo-main urgent alert; an alert not marked urgent cannot be.
    const other = await k().create(EDITOR, 'alert', alertInput(new Date(), { urgent: true }));
    expect((await refusalOf(k().publishUrgent(ZH_REVIEWER, other.id, 1))).keys).toEqual([
      'errors:knowledge.wrongLanguage',
    ]);
    const calm = await k().create(EDITOR, 'alert', alertInput(new Date()));
    expect((await refusalOf(k().publishUrgent(BO_REVIEWER, calm.id, 1))).keys).toEqual(['errors:knowledge.notUrgent']);
  });

  test('a crash after the publishing approval was saved: the retried approval finishes the indexes and the broadcast', async () => {
    const draft = await k().create(EDITOR, 'alert', alertInput(new Date(), { broadcast: true }));
    await k().submit(EDITOR, draft.id);
    await k().approve(BO_REVIEWER, draft.id, 'bo', 1);
    // What the service does up to the crash: the approval that publishes, saved; nothing after it.
    const counted = countingDocumentClient(stack);
    try {
      const store = new DynamoKnowledgeStore(
        counted.db,
        stack.tableName,
        stack.deps.authz.regionPath,
        stack.deps.catalog,
      );
      const current = (await store.get(draft.id))!;
      const { item: next, published } = review.approve(current, 'zh', ZH_REVIEWER.actor.phone, 1, new Date());
      expect(published).toBe(true);
      await store.save(next);
    } finally {
      counted.db.destroy();
    }
    // The item reads as published, but the lists (the public indexes) do not have it yet.
    const listed = async () =>
      (await k().alerts({ regionId: 'cty_shigatse_gyantse', now: new Date() })).some((a) => a.id === draft.id);
    expect(await listed()).toBe(false);
    const again = await k().approve(ZH_REVIEWER, draft.id, 'zh', 1);
    expect(again.status).toBe('published');
    expect(await listed()).toBe(true);
    expect(again.broadcastId).toMatch(/^b/);
    // A second retry changes nothing: the same broadcast.
    expect((await k().approve(ZH_REVIEWER, draft.id, 'zh', 1)).broadcastId).toBe(again.broadcastId);
  });

  test('a severe alert drafts its broadcast through quiet hours; a minor one does not break them', async () => {
    const severe = await publish(k(), 'alert', alertInput(new Date(), { broadcast: true }));
    expect(severe.broadcastId).toBeDefined();
    const b = await stack.deps.broadcasts.get(ADMIN, severe.broadcastId!);
    expect(b.broadcast.source).toEqual({ kind: 'alert', id: severe.id, version: 1 });
    expect(b.broadcast.throughQuietHours).toBe(true);
    expect(b.broadcast.audience).toMatchObject({ regions: ['pref_shigatse'], topics: ['weather'] });
    expect(b.broadcast.status).toBe('draft');
    const minor = await publish(k(), 'alert', alertInput(new Date(), { broadcast: true, severity: 'minor' }));
    const mb = await stack.deps.broadcasts.get(ADMIN, minor.broadcastId!);
    expect(mb.broadcast.throughQuietHours).toBeUndefined();
    const quiet = await publish(k(), 'alert', alertInput(new Date()));
    expect(quiet.broadcastId).toBeUndefined();
  });

  test('current alerts of a region: severest first; expired ones gone', async () => {
    const now = new Date();
    await publish(k(), 'alert', alertInput(now, { regions: ['cty_shigatse_lhatse'], severity: 'extreme' }));
    const list = await k().alerts({ regionId: 'cty_shigatse_lhatse', now });
    const severities = list.map((a) => (a.content.fields.kind === 'alert' ? a.content.fields.severity : ''));
    expect(severities[0]).toBe('extreme');
    const later = await k().alerts({ regionId: 'cty_shigatse_lhatse', now: new Date(now.getTime() + 72 * 3600_000) });
    expect(later).toEqual([]);
  });
});

describe('corrections and archiving', () => {
  test('a published version never changes: a correction is a new version, reviewed again', async () => {
    const v1 = await publish(k(), 'guide', guideInput());
    const input = guideInput({ summary: { zh: '青稞出苗后浇水两次。' } });
    const draft: Item = await k().update(EDITOR, v1.id, input);
    expect(draft).toMatchObject({ status: 'draft', version: 2 });
    expect(draft.reviews).toEqual({ bo: { state: 'pending' }, zh: { state: 'pending' } });
    expect((await k().publicGet(v1.id))?.version).toBe(1);
    await k().submit(EDITOR, v1.id);
    await k().approve(BO_REVIEWER, v1.id, 'bo', 2);
    await k().approve(ZH_REVIEWER, v1.id, 'zh', 2);
    expect((await k().publicGet(v1.id))?.content.versions.zh?.summary).toBe('青稞出苗后浇水两次。');
    expect((await k().publicVersion(v1.id, 1))?.content.versions.zh?.summary).toBe('青稞出苗后及时浇水。');
  });

  test('archived: gone from the public, every version; no more edits', async () => {
    const item = await publish(k(), 'guide', guideInput({ regions: ['cty_shigatse_samzhubze'] }));
    await k().archive(EDITOR, item.id);
    expect(await k().publicGet(item.id)).toBeUndefined();
    expect(await k().publicVersion(item.id, 1)).toBeUndefined();
    const list = await k().guides({ commodityId: 'barley_qingke', regionId: 'cty_shigatse_samzhubze' });
    expect(list.items.map((g) => g.id)).not.toContain(item.id);
    expect((await refusalOf(k().update(EDITOR, item.id, guideInput()))).keys).toEqual(['errors:knowledge.status']);
    expect(await auditActions(item.id)).toContain('knowledge.archive');
  });

  test('a resubmitted form (same request id) makes one item', async () => {
    const a = await k().create(
      EDITOR,
      'bulletin',
      {
        regions: ['pref_shigatse'],
        fields: { kind: 'bulletin', date: '2026-06-01' },
        versions: guideInput().versions,
      },
      'req-1',
    );
    const b = await k().create(
      EDITOR,
      'bulletin',
      {
        regions: ['pref_shigatse'],
        fields: { kind: 'bulletin', date: '2026-06-01' },
        versions: guideInput().versions,
      },
      'req-1',
    );
    expect(b.id).toBe(a.id);
    expect(a.id).toMatch(/^n/u);
  });
});

describe('attachments', () => {
  const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(300).fill(7)]);
  const REDIRECT = 'http://localhost:3000/staff/knowledge/x/uploaded';

  /** Posts a file to the presigned form as a browser does: every field, then the file. */
  async function upload(form: { url: string; fields: Record<string, string> }, body: Uint8Array, name: string) {
    const data = new FormData();
    for (const [key, value] of Object.entries(form.fields)) data.append(key, value);
    data.append('file', new Blob([body], { type: 'application/octet-stream' }), name);
    const res = await fetch(form.url, { method: 'POST', body: data, redirect: 'manual' });
    expect(res.status).toBe(303);
  }

  test('a PNG uploaded straight to the bucket is kept by content type; a published version keeps its files', async () => {
    const item = await k().create(EDITOR, 'guide', guideInput());
    const form = await k().startUpload(EDITOR, item.id, REDIRECT);
    expect(form.uploadId.startsWith(`${item.id}-f`)).toBe(true);
    await upload(form, PNG, 'C:\\photos\\field.png');
    const kept = await k().finishUpload(EDITOR, item.id, form.uploadId, 'C:\\photos\\field.png');
    const attachment = kept.attachments[0]!;
    expect(attachment).toMatchObject({ name: 'field.png', type: 'image/png', bytes: PNG.length });
    expect(attachment.key).toBe(`attachments/${item.id}/${attachment.id}.png`);
    expect((await stack.deps.attachments!.read(attachment.key))?.type).toBe('image/png');
    expect(await stack.deps.attachments!.inspect(`uploads/${form.uploadId}`, 4)).toBeUndefined();
    // S3's redirect followed twice: one attachment.
    expect((await k().finishUpload(EDITOR, item.id, form.uploadId, 'field.png')).attachments).toHaveLength(1);
    expect(await auditActions(item.id)).toContain('knowledge.attach');
    await k().submit(EDITOR, item.id);
    await k().approve(BO_REVIEWER, item.id, 'bo', kept.version);
    await k().approve(ZH_REVIEWER, item.id, 'zh', kept.version);
    expect((await k().publicGet(item.id))?.attachments.map((a) => a.id)).toEqual([attachment.id]);
    await k().removeAttachment(EDITOR, item.id, attachment.id);
    expect((await stack.deps.attachments!.read(attachment.key))?.type).toBe('image/png');
  });

  test('over 5 MB: deleted and refused (S3 enforces the policy; s3rver does not, the service checks again)', async () => {
    const item = await k().create(EDITOR, 'guide', guideInput());
    const form = await k().startUpload(EDITOR, item.id, REDIRECT);
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(PNG);
    await upload(form, big, 'big.png');
    expect((await refusalOf(k().finishUpload(EDITOR, item.id, form.uploadId, 'big.png'))).keys).toEqual([
      'errors:knowledge.fileTooBig',
    ]);
    expect(await stack.deps.attachments!.inspect(`uploads/${form.uploadId}`, 4)).toBeUndefined();
  });

  test('a file of another type (by content, whatever its name) is deleted and refused; a missing upload too', async () => {
    const item = await k().create(EDITOR, 'guide', guideInput());
    const form = await k().startUpload(EDITOR, item.id, REDIRECT);
    await upload(form, new TextEncoder().encode('<html><script>alert(1)</script></html>'), 'photo.png');
    expect(await refusalOf(k().finishUpload(EDITOR, item.id, form.uploadId, 'photo.png'))).toEqual({
      code: 'validation_failed',
      keys: ['errors:knowledge.fileType'],
    });
    expect(await stack.deps.attachments!.inspect(`uploads/${form.uploadId}`, 4)).toBeUndefined();
    const never = await k().startUpload(EDITOR, item.id, REDIRECT);
    expect((await refusalOf(k().finishUpload(EDITOR, item.id, never.uploadId, 'x.pdf'))).keys).toEqual([
      'errors:knowledge.uploadMissing',
    ]);
    expect((await k().get(EDITOR, item.id)).item.attachments).toEqual([]);
    // Another item's upload id is no upload of this one.
    expect(
      (await refusalOf(k().finishUpload(EDITOR, item.id, `g0000000000-${never.uploadId.split('-')[1]}`, 'x'))).code,
    ).toBe('not_found');
  });
});
