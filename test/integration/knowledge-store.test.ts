/**
 * The knowledge store against the DynamoDB protocol (dynalite, or DYNAMODB_ENDPOINT): create
 * once, saves conditional on `seq`, staff lists per region, its ancestors and '*', immutable
 * published versions, public indexes that a publication replaces whole (a guide moved to other
 * months, stage or commodity; an alert whose expiry changed) and that replays and archives keep
 * right, guide counts under replays, and the request counts TIP relies on (a counting
 * middleware, not a mock).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoKnowledgeStore } from '#adapters/dynamodb/knowledge-store.ts';
import { AppError } from '#core/errors.ts';
import type { Item, ItemFields, PublishedVersion } from '#core/knowledge/item.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let counted: ReturnType<typeof countingDocumentClient>;
let store: DynamoKnowledgeStore;
beforeAll(async () => {
  stack = await startTestStack();
  counted = countingDocumentClient(stack);
  store = new DynamoKnowledgeStore(counted.db, stack.tableName, stack.deps.authz.regionPath, stack.deps.catalog);
});
afterAll(async () => {
  counted.db.destroy();
  await stack.close();
});

async function requestsOf(work: () => Promise<unknown>): Promise<number> {
  const before = counted.requests;
  await work();
  return counted.requests - before;
}

let serial = 0;
/** Ids and commodities of their own per test, so partitions of tests sharing the table never meet. */
const fresh = () => String(++serial).padStart(4, '0');

const COUNTY = 'cty_shigatse_gyantse';
const PREFECTURE = 'pref_shigatse';
const editor = '+8613800000001';

function item(kind: Item['kind'], fields: ItemFields, over: Partial<Item> = {}): Item {
  const at = '2026-11-20T02:00:00.000Z';
  return {
    id: `${kind[0] === 'b' ? 'n' : kind[0]}${fresh()}testxx`,
    kind,
    status: 'draft',
    version: 1,
    content: {
      regions: [COUNTY],
      fields,
      versions: {
        bo: { title: 'ནས།', body: 'ནས་ཀྱི་ཞིང་ལས།', summary: 'ནས་འདེབས།' },
        zh: { title: '青稞', body: '青稞种植技术', summary: '青稞播种' },
      },
    },
    reviews: { bo: { state: 'pending' }, zh: { state: 'pending' } },
    authors: [editor],
    attachments: [],
    createdBy: editor,
    createdAt: at,
    updatedAt: at,
    seq: 0,
    ...over,
  };
}

const withRegions = (i: Item, regions: string[]): Item => ({ ...i, content: { ...i.content, regions } });

const guideFields = (commodityId: string, over: Partial<Extract<ItemFields, { kind: 'guide' }>> = {}): ItemFields => ({
  kind: 'guide',
  commodityId,
  stage: 'before',
  topic: 'seed_inputs',
  months: [3, 4],
  ...over,
});

/** The item as the service leaves it after an approval: published is its working version. */
function published(i: Item, version = i.version, publishedAt = '2026-11-21T02:00:00.000Z'): Item {
  const pv: PublishedVersion = {
    version,
    content: i.content,
    publishedAt,
    approvals: { bo: { by: '+8613800000002', at: publishedAt }, zh: { by: '+8613800000003', at: publishedAt } },
    attachments: [],
  };
  return { ...i, version, status: 'published', published: pv, updatedAt: publishedAt };
}

async function allGuides(commodityId: string, filter: { stage?: 'before' | 'during' | 'after'; month?: number }) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.guides(commodityId, filter, { limit: 2, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((g) => g.id));
    cursor = page.cursor;
  } while (cursor);
  return ids.sort();
}

describe('items and staff lists', () => {
  test('create once, then saves only over the seq read; lists follow the status in every region of the path', async () => {
    const g = item('guide', guideFields(`c${fresh()}`));
    expect(await store.create(g)).toBe(true);
    expect(await store.create({ ...g, createdBy: 'someone else' })).toBe(false);
    expect((await store.get(g.id))?.createdBy).toBe(editor);

    for (const region of [COUNTY, PREFECTURE, '*']) {
      const page = await store.listStaff('guide', 'draft', region, { limit: 50 });
      expect(page.items.map((s) => s.id)).toContain(g.id);
    }
    const line = (await store.listStaff('guide', 'draft', COUNTY, { limit: 50 })).items.find((s) => s.id === g.id);
    expect(line).toMatchObject({ status: 'draft', titles: { bo: 'ནས།', zh: '青稞' }, reviews: { bo: 'pending' } });

    const saved = await store.save({ ...g, status: 'in_review', updatedAt: '2026-11-20T03:00:00.000Z' });
    expect(saved.seq).toBe(1);
    await expect(store.save({ ...g, status: 'draft' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(store.save({ ...g, status: 'draft' })).rejects.toBeInstanceOf(AppError);

    const drafts = await store.listStaff('guide', 'draft', PREFECTURE, { limit: 50 });
    expect(drafts.items.map((s) => s.id)).not.toContain(g.id);
    const inReview = await store.listStaff('guide', 'in_review', PREFECTURE, { limit: 50 });
    expect(inReview.items.map((s) => s.id)).toContain(g.id);

    // Moved to another prefecture's county: the old region's lines go.
    const moved = await store.save({
      ...saved,
      content: { ...saved.content, regions: ['cty_lhasa_chengguan'] },
      updatedAt: '2026-11-20T04:00:00.000Z',
    });
    expect(
      (await store.listStaff('guide', 'in_review', PREFECTURE, { limit: 50 })).items.map((s) => s.id),
    ).not.toContain(g.id);
    expect((await store.listStaff('guide', 'in_review', 'pref_lhasa', { limit: 50 })).items.map((s) => s.id)).toContain(
      g.id,
    );
    expect(moved.seq).toBe(2);
  });

  test('staff lists are newest change first and page with a cursor', async () => {
    const region = 'cty_shigatse_lhatse';
    const ids: string[] = [];
    for (let h = 0; h < 5; h++) {
      const b = withRegions(
        item('bulletin', { kind: 'bulletin', date: '2026-11-20' }, { updatedAt: `2026-11-2${h}T00:00:00.000Z` }),
        [region],
      );
      await store.create(b);
      ids.push(b.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listStaff('bulletin', 'draft', region, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((s) => s.id));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });
});

describe('guides', () => {
  test('publish writes the version, card, TIP entries per month and the count; a replay changes nothing', async () => {
    const commodity = `c${fresh()}`;
    const g = published(item('guide', guideFields(commodity)));
    await store.create(g);
    await store.publish(g);
    await store.publish(g);

    expect(await store.publishedVersion(g.id, 1)).toMatchObject({ version: 1, content: { regions: [COUNTY] } });
    expect(await store.publishedVersion(g.id, 2)).toBeUndefined();
    expect((await store.guideCounts())[commodity]).toBe(1);

    const tips = await store.tipEntries(commodity, 3);
    expect(tips).toEqual([
      {
        guideId: g.id,
        version: 1,
        commodityId: commodity,
        stage: 'before',
        topic: 'seed_inputs',
        regions: [COUNTY],
        months: [3, 4],
        summaries: { bo: 'ནས་འདེབས།', zh: '青稞播种' },
        publishedAt: '2026-11-21T02:00:00.000Z',
      },
    ]);
    expect(await store.tipEntries(commodity, 5)).toEqual([]);

    const page = await store.guides(commodity, {}, { limit: 10 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]!.content.versions.bo).toMatchObject({ title: 'ནས།', body: '' });

    const full = await store.getPublished(g.id);
    expect(full?.content.versions.bo?.body).toBe('ནས་ཀྱི་ཞིང་ལས།');
  });

  test('a correction that moves the guide replaces its index entries and both commodities are recounted', async () => {
    const a = `c${fresh()}`;
    const b = `c${fresh()}`;
    const v1 = published(item('guide', guideFields(a, { months: [3, 4], stage: 'before' })));
    await store.create(v1);
    await store.publish(v1);
    const content = { ...v1.content, fields: guideFields(b, { months: [7], stage: 'after' }) };
    const v2 = published({ ...v1, content, version: 2 }, 2, '2026-11-22T02:00:00.000Z');
    await store.publish(v2);

    expect(await store.tipEntries(a, 3)).toEqual([]);
    expect(await store.tipEntries(a, 4)).toEqual([]);
    expect((await store.tipEntries(b, 7)).map((t) => [t.guideId, t.version])).toEqual([[v1.id, 2]]);
    expect(await allGuides(a, {})).toEqual([]);
    expect(await allGuides(b, { stage: 'after' })).toEqual([v1.id]);
    const counts = await store.guideCounts();
    expect(counts[a]).toBeUndefined();
    expect(counts[b]).toBe(1);
    // The first version stays readable; a replay of it after the correction writes nothing.
    expect((await store.publishedVersion(v1.id, 1))?.content.fields).toMatchObject({ commodityId: a });
    await store.publish(v1);
    expect(await store.tipEntries(a, 3)).toEqual([]);
    expect((await store.guideCounts())[a]).toBeUndefined();
  });

  test('guides by stage and month, paged right when the month filter drops guides', async () => {
    const commodity = `c${fresh()}`;
    const want: string[] = [];
    const all: string[] = [];
    for (let n = 0; n < 9; n++) {
      const months = n % 3 === 0 ? [6] : [1, 2];
      const stage = n % 2 === 0 ? 'during' : 'before';
      const g = published(item('guide', guideFields(commodity, { months, stage })));
      await store.create(g);
      await store.publish(g);
      all.push(g.id);
      if (months.includes(6) && stage === 'during') want.push(g.id);
    }
    expect(await allGuides(commodity, {})).toEqual([...all].sort());
    expect(await allGuides(commodity, { month: 6, stage: 'during' })).toEqual([...want].sort());
    expect(await allGuides(commodity, { month: 2 })).toHaveLength(6);
    expect((await store.guideCounts())[commodity]).toBe(9);
    // One Query per page, filtered or not.
    expect(await requestsOf(() => store.guides(commodity, { month: 2 }, { limit: 2 }))).toBe(1);
  });

  test('archive (unpublish) removes every public entry and the count; a replayed publish of that version does not bring them back', async () => {
    const commodity = `c${fresh()}`;
    const g = published(item('guide', guideFields(commodity)));
    await store.create(g);
    await store.publish(g);
    const keep = published(item('guide', guideFields(commodity)));
    await store.create(keep);
    await store.publish(keep);
    expect((await store.guideCounts())[commodity]).toBe(2);

    const archived = await store.save({ ...g, status: 'archived' });
    await store.unpublish(archived);
    await store.unpublish(archived);
    expect(await store.getPublished(g.id)).toBeUndefined();
    expect((await store.tipEntries(commodity, 3)).map((t) => t.guideId)).toEqual([keep.id]);
    expect((await store.guideCounts())[commodity]).toBe(1);

    await store.publish(g);
    expect((await store.tipEntries(commodity, 3)).map((t) => t.guideId)).toEqual([keep.id]);
    expect((await store.guideCounts())[commodity]).toBe(1);
  });

  test('a drafted item is not public; TIP reads its index in 1 request and the counts in 1', async () => {
    const commodity = `c${fresh()}`;
    const draft = item('guide', guideFields(commodity));
    await store.create(draft);
    expect(await store.getPublished(draft.id)).toBeUndefined();
    expect(await store.getPublished('gnothere000')).toBeUndefined();
    for (let n = 0; n < 30; n++) {
      const g = published(item('guide', guideFields(commodity, { months: [3] })));
      await store.create(g);
      await store.publish(g);
    }
    expect(await requestsOf(() => store.tipEntries(commodity, 3))).toBe(1);
    expect(await store.tipEntries(commodity, 3)).toHaveLength(30);
    expect(await requestsOf(() => store.guideCounts())).toBe(1);
    expect((await store.guideCounts())[commodity]).toBe(30);
  });

  test('a publication a crash cut off half-way is finished by the rerun (entries of the version before removed)', async () => {
    const commodity = `c${fresh()}`;
    const v1 = published(item('guide', guideFields(commodity, { months: [1, 2, 3] })));
    await store.create(v1);
    await store.publish(v1);
    const v2 = published(
      { ...v1, version: 2, content: { ...v1.content, fields: guideFields(commodity, { months: [9] }) } },
      2,
    );
    // The crash: v2's publication stopped before its index writes, the
    // index still v1's. Simulated by a client that fails from its 4th request (version record, manifest read, widened manifest written; the entries not).
    const failing = countingDocumentClient(stack);
    failing.db.middlewareStack.add(
      (next) => async (args) => {
        if (failing.requests > 3) throw new Error('crash');
        return next(args);
      },
      { step: 'initialize', name: 'crashAfter', priority: 'low' },
    );
    const crashing = new DynamoKnowledgeStore(failing.db, stack.tableName, stack.deps.authz.regionPath);
    await expect(crashing.publish(v2)).rejects.toThrow('crash');
    failing.db.destroy();

    await store.publish(v2);
    for (const m of [1, 2, 3]) expect(await store.tipEntries(commodity, m)).toEqual([]);
    expect((await store.tipEntries(commodity, 9)).map((t) => t.version)).toEqual([2]);
    expect((await store.guideCounts())[commodity]).toBe(1);
  });
});

describe('bulletins and alerts', () => {
  test('bulletins: a region lists those of its own, of the regions above it and within it, newest date first; * lists all', async () => {
    const [a, b, pref] = ['cty_chamdo_karub', 'cty_chamdo_jomda', 'pref_chamdo'];
    const bulletin = (date: string, regions: string[]) =>
      published(withRegions(item('bulletin', { kind: 'bulletin', date }), regions));
    const older = bulletin('2026-10-01', [a]);
    const newer = bulletin('2026-11-01', [a]);
    const prefWide = bulletin('2026-10-15', [pref]);
    const everywhere = bulletin('2026-09-01', ['*']);
    for (const n of [older, newer, prefWide, everywhere]) {
      await store.create(n);
      await store.publish(n);
    }
    const ids = async (region: string) => (await store.bulletins(region, { limit: 100 })).items.map((n) => n.id);
    expect(await ids(a)).toEqual([newer.id, prefWide.id, older.id, everywhere.id]);
    expect(await ids(b)).toEqual([prefWide.id, everywhere.id]);
    expect(await ids(pref)).toEqual([newer.id, prefWide.id, older.id, everywhere.id]);
    expect(await ids('cty_shigatse_samzhubze')).toEqual([everywhere.id]);
    const star = (await store.bulletins('*', { limit: 100 })).items;
    expect(star.map((n) => n.id)).toEqual(expect.arrayContaining([older.id, newer.id, prefWide.id, everywhere.id]));
    expect(star.find((n) => n.id === older.id)?.content.versions.zh?.body).toBe('');

    // Corrected to one county: the other county's list loses it.
    await store.publish(published(withRegions({ ...prefWide, version: 2 }, [b]), 2));
    expect(await ids(a)).toEqual([newer.id, older.id, everywhere.id]);
    expect(await ids(b)).toEqual([prefWide.id, everywhere.id]);
  });

  test('current alerts: not expired, each once across the path; a new expiry replaces the entry; recent alerts newest first', async () => {
    const now = new Date('2026-11-21T06:00:00.000Z');
    const alertFields = (expires: string): ItemFields => ({
      kind: 'alert',
      alertKind: 'weather',
      severity: 'severe',
      onset: '2026-11-21T00:00:00.000Z',
      expires,
      urgent: false,
      mainLanguage: 'bo',
    });
    const both = published(
      withRegions(item('alert', alertFields('2026-11-22T00:00:00+08:00')), [COUNTY, PREFECTURE]),
      1,
      '2026-11-21T01:00:00.000Z',
    );
    const expired = published(
      withRegions(item('alert', alertFields('2026-11-21T05:00:00.000Z')), [COUNTY]),
      1,
      '2026-11-21T02:00:00.000Z',
    );
    const everywhere = published(
      withRegions(item('alert', alertFields('2026-11-25T00:00:00.000Z')), ['*']),
      1,
      '2026-11-21T03:00:00.000Z',
    );
    for (const a of [both, expired, everywhere]) {
      await store.create(a);
      await store.publish(a);
    }
    const ids = async () => (await store.currentAlerts([COUNTY, PREFECTURE, '*'], now)).map((a) => a.id).sort();
    expect(await ids()).toEqual([both.id, everywhere.id].sort());
    expect(await requestsOf(() => store.currentAlerts([COUNTY, PREFECTURE, '*'], now))).toBe(3);

    // Corrected: expires earlier (already over) — the old entry must not linger.
    const corrected = published(
      {
        ...both,
        version: 2,
        content: { ...both.content, fields: alertFields('2026-11-21T05:30:00.000Z') },
      },
      2,
      '2026-11-21T04:00:00.000Z',
    );
    await store.publish(corrected);
    expect(await ids()).toEqual([everywhere.id]);

    const recent = (await store.recentAlerts({ limit: 100 })).items.filter((a) =>
      [both.id, expired.id, everywhere.id].includes(a.id),
    );
    expect(recent.map((a) => [a.id, a.version])).toEqual([
      [both.id, 2],
      [everywhere.id, 1],
      [expired.id, 1],
    ]);
  });
});
