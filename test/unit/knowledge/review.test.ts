/** The review workflow's state changes (core/knowledge/review.ts), pure. */
import { describe, expect, test } from 'vitest';
import { AppError } from '#core/errors.ts';
import type { Item, ItemContent } from '#core/knowledge/item.ts';
import { approve, archive, edit, freshReviews, publishUrgent, submit } from '#core/knowledge/review.ts';

const NOW = new Date('2026-06-01T04:00:00Z');
const content = (over: Partial<ItemContent> = {}): ItemContent => ({
  regions: ['pref_shigatse'],
  fields: {
    kind: 'alert',
    alertKind: 'weather',
    severity: 'severe',
    onset: '2026-06-01T00:00:00.000Z',
    expires: '2026-06-03T00:00:00.000Z',
    urgent: true,
    mainLanguage: 'bo',
  },
  versions: {
    bo: { title: 'སེར་བ།', body: 'སེར་བ་འབབ།', summary: 'སེར་བ་འབབ།' },
    zh: { title: '冰雹', body: '明天有冰雹。', summary: '明天有冰雹。' },
  },
  ...over,
});
const item = (over: Partial<Item> = {}): Item => ({
  id: 'a1mz4k0qx7d',
  kind: 'alert',
  status: 'draft',
  version: 1,
  content: content(),
  reviews: freshReviews(),
  authors: ['editor'],
  attachments: [],
  createdBy: 'editor',
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  seq: 1,
  ...over,
});
const keyOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.details[0]?.key : String(err);
  }
  return undefined;
};

describe('approve', () => {
  test('both languages of the same version by two people publish; one does not', () => {
    const inReview = submit(item(), NOW);
    const one = approve(inReview, 'bo', 'bo-rev', 1, NOW);
    expect(one.published).toBe(false);
    expect(one.item.reviews.bo).toMatchObject({ state: 'approved', by: 'bo-rev', version: 1 });
    const two = approve(one.item, 'zh', 'zh-rev', 1, NOW);
    expect(two.published).toBe(true);
    expect(two.item.status).toBe('published');
    expect(two.item.published?.version).toBe(1);
    expect(two.item.authors).toEqual([]);
  });

  test('refusals: not in review, stale version, the author, the same reviewer for both', () => {
    expect(keyOf(() => approve(item(), 'bo', 'x', 1, NOW))).toBe('errors:knowledge.status');
    const r = submit(item(), NOW);
    expect(keyOf(() => approve(r, 'bo', 'x', 2, NOW))).toBe('errors:knowledge.staleVersion');
    expect(keyOf(() => approve(r, 'bo', 'editor', 1, NOW))).toBe('errors:knowledge.ownWork');
    const one = approve(r, 'bo', 'same', 1, NOW).item;
    expect(keyOf(() => approve(one, 'zh', 'same', 1, NOW))).toBe('errors:knowledge.sameReviewer');
  });

  test('an approval given twice changes nothing', () => {
    const one = approve(submit(item(), NOW), 'bo', 'bo-rev', 1, NOW).item;
    expect(approve(one, 'bo', 'bo-rev', 1, NOW).item).toBe(one);
  });
});

describe('edit', () => {
  const approvedBo = () => approve(submit(item(), NOW), 'bo', 'bo-rev', 1, NOW).item;

  test('Chinese text changed after the Tibetan approval: bo needs_update, zh pending, version + 1, editor an author', () => {
    const c = content();
    c.versions.zh = { ...c.versions.zh!, body: '后天有冰雹。' };
    const next = edit(approvedBo(), c, 'editor2', NOW);
    expect(next.version).toBe(2);
    expect(next.reviews).toEqual({ bo: { state: 'needs_update' }, zh: { state: 'pending' } });
    expect(next.authors).toEqual(['editor', 'editor2']);
    expect(next.status).toBe('in_review');
  });

  test('the same content read back with its keys in another order (as DynamoDB may give it) is no change', () => {
    const stored = approvedBo();
    const reordered = (o: object) => Object.fromEntries(Object.entries(o).reverse());
    const c = content();
    const same: ItemContent = {
      ...c,
      fields: reordered(c.fields) as ItemContent['fields'],
      versions: Object.fromEntries(
        Object.entries(c.versions).map(([l, v]) => [l, reordered(v ?? {})]),
      ) as ItemContent['versions'],
    };
    expect(edit(stored, same, 'editor2', NOW)).toBe(stored);
    const zh = { ...same, versions: { ...same.versions, zh: { ...same.versions.zh!, body: '后天有冰雹。' } } };
    expect(edit(stored, zh, 'editor2', NOW).reviews.bo.state).toBe('needs_update');
  });

  test('Tibetan changed: its own approval withdrawn', () => {
    const c = content();
    c.versions.bo = { ...c.versions.bo!, summary: 'སེར་བ།' };
    expect(edit(approvedBo(), c, 'editor', NOW).reviews.bo.state).toBe('pending');
  });

  test('shared content (regions) withdraws both; English alone withdraws nothing; no change, same item', () => {
    const both = approve(approvedBo(), 'zh', 'zh-rev', 1, NOW).item;
    expect(both.status).toBe('published');
    const regions = edit(approvedBo(), content({ regions: ['pref_lhasa'] }), 'editor', NOW);
    expect(regions.reviews).toEqual(freshReviews());
    const c = content();
    c.versions.en = { title: 'Hail', body: 'Hail.', summary: 'Hail.' };
    const en = edit(approvedBo(), c, 'editor', NOW);
    expect(en.reviews.bo.state).toBe('approved');
    expect(en.version).toBe(2);
    const same = approvedBo();
    expect(edit(same, content(), 'editor', NOW)).toBe(same);
  });

  test('a published item: a correction in draft, reviews reset, the published version kept', () => {
    const pub = approve(approvedBo(), 'zh', 'zh-rev', 1, NOW).item;
    const c = content();
    c.versions.zh = { ...c.versions.zh!, summary: '冰雹已过。' };
    const next = edit(pub, c, 'editor', NOW);
    expect(next).toMatchObject({ status: 'draft', version: 2 });
    expect(next.reviews).toEqual(freshReviews());
    expect(next.published?.version).toBe(1);
    expect(next.published?.content.versions.zh?.summary).toBe('明天有冰雹。');
  });

  test('archived: not edited', () => {
    expect(keyOf(() => edit(archive(item(), NOW), content({ regions: ['*'] }), 'e', NOW))).toBe(
      'errors:knowledge.status',
    );
  });
});

describe('publishUrgent', () => {
  test('the main language alone, the other follows; the item stays in review for it', () => {
    const next = publishUrgent(item(), 'bo-rev', 1, NOW);
    expect(next.status).toBe('in_review');
    expect(next.published?.follows).toEqual(['zh']);
    expect(Object.keys(next.published?.content.versions ?? {})).toEqual(['bo']);
    expect(next.reviews.bo).toMatchObject({ state: 'approved', by: 'bo-rev' });
    // The other reviewer approves the same version: published whole.
    const whole = approve(next, 'zh', 'zh-rev', 1, NOW);
    expect(whole.published).toBe(true);
    expect(Object.keys(whole.item.published?.content.versions ?? {}).sort()).toEqual(['bo', 'zh']);
  });

  test('without the other language: published; not urgent, or by the author: refused', () => {
    const c = content();
    delete c.versions.zh;
    expect(publishUrgent(item({ content: c }), 'r', 1, NOW).status).toBe('published');
    const calm = content();
    calm.fields = { ...(calm.fields as Extract<ItemContent['fields'], { kind: 'alert' }>), urgent: false };
    expect(keyOf(() => publishUrgent(item({ content: calm }), 'r', 1, NOW))).toBe('errors:knowledge.notUrgent');
    expect(keyOf(() => publishUrgent(item(), 'editor', 1, NOW))).toBe('errors:knowledge.ownWork');
  });
});
