/** TIP's ranking (core/knowledge/tip.ts), pure. */
import { describe, expect, test } from 'vitest';
import type { TipEntry } from '#core/knowledge/item.ts';
import { coverage, rankTips, stageDistance, stageOfMonth } from '#core/knowledge/tip.ts';

const entry = (guideId: string, over: Partial<TipEntry> = {}): TipEntry => ({
  guideId,
  version: 1,
  commodityId: 'barley_qingke',
  stage: 'during',
  topic: 'technique',
  regions: ['*'],
  months: [6],
  summaries: { en: guideId },
  publishedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const HOME = ['cty_shigatse_gyantse', 'pref_shigatse'];

describe('rankTips', () => {
  test('county before prefecture before everywhere; other regions left out', () => {
    const ranked = rankTips(
      [
        entry('all'),
        entry('pref', { regions: ['pref_shigatse'] }),
        entry('county', { regions: ['cty_shigatse_gyantse'] }),
        entry('lhasa', { regions: ['pref_lhasa'] }),
      ],
      HOME,
      6,
    );
    expect(ranked.map((e) => e.guideId)).toEqual(['county', 'pref', 'all']);
  });

  test('then fewer months, then the month’s stage, then the newest', () => {
    const ranked = rankTips(
      [
        entry('wide', { months: [5, 6, 7] }),
        entry('after', { stage: 'after' }),
        entry('old'),
        entry('new', { publishedAt: '2026-05-01T00:00:00.000Z' }),
      ],
      HOME,
      6,
    );
    expect(ranked.map((e) => e.guideId)).toEqual(['new', 'old', 'after', 'wide']);
  });

  test('home unknown: only the everywhere guides; one entry per guide', () => {
    expect(
      rankTips([entry('a', { regions: ['pref_shigatse'] }), entry('b'), entry('b')], [], 6).map((e) => e.guideId),
    ).toEqual(['b']);
  });
});

describe('stages and coverage', () => {
  test('the months of each stage, and the distance from the month’s own', () => {
    expect([1, 3, 6, 10].map(stageOfMonth)).toEqual(['after', 'before', 'during', 'after']);
    expect(stageDistance('during', 6)).toBe(0);
    expect(stageDistance('after', 6)).toBe(1);
    expect(stageDistance('before', 6)).toBe(2);
  });
  test('coverage', () => {
    expect(coverage(['cty_shigatse_gyantse'], HOME)).toBe(0);
    expect(coverage(['pref_shigatse'], HOME)).toBe(1);
    expect(coverage(['*'], HOME)).toBe(2);
    expect(coverage(['pref_lhasa'], HOME)).toBeUndefined();
  });
});
