/**
 * TIP's choice among a commodity's guides for this month (the TIP index entries), pure: the
 * guide most relevant to the farmer's home region first, then the most specific to now, then
 * the stage the month is in, then the newest.
 */
import { ALL_REGIONS } from '../staff/roles.ts';
import type { Stage, TipEntry } from './item.ts';

/**
 * The production stage a month falls in on the plateau: sowing is prepared Feb–Apr (barley
 * goes in by late April), crops and herds grow May–Aug, harvest, storage and selling Sep–Jan.
 */
export function stageOfMonth(month: number): Stage {
  if (month >= 2 && month <= 4) return 'before';
  if (month >= 5 && month <= 8) return 'during';
  return 'after';
}

const cycle: readonly Stage[] = ['before', 'during', 'after'];

/** 0 for the month's own stage, 1 for the stage coming next, 2 for the one just past. */
export const stageDistance = (stage: Stage, month: number) =>
  (cycle.indexOf(stage) - cycle.indexOf(stageOfMonth(month)) + cycle.length) % cycle.length;

/**
 * How closely an entry's regions cover the home path (county first, then prefecture): 0 the
 * county, 1 the prefecture, 2 everywhere; undefined when it does not cover it.
 */
export function coverage(regions: readonly string[], homePath: readonly string[]): number | undefined {
  for (let i = 0; i < homePath.length; i++) if (regions.includes(homePath[i]!)) return Math.min(i, 1);
  return regions.includes(ALL_REGIONS) ? 2 : undefined;
}

/** The entries that apply to the home path, best first (home unknown: the everywhere guides only). */
export function rankTips(entries: readonly TipEntry[], homePath: readonly string[], month: number): TipEntry[] {
  const scored = entries.flatMap((entry) => {
    const cover = coverage(entry.regions, homePath);
    return cover === undefined ? [] : [{ entry, cover }];
  });
  scored.sort(
    (a, b) =>
      a.cover - b.cover ||
      a.entry.months.length - b.entry.months.length ||
      stageDistance(a.entry.stage, month) - stageDistance(b.entry.stage, month) ||
      b.entry.publishedAt.localeCompare(a.entry.publishedAt) ||
      a.entry.guideId.localeCompare(b.entry.guideId),
  );
  // One entry per guide (the index has one per month; a replay of a publication cannot double it here).
  const seen = new Set<string>();
  return scored.map((s) => s.entry).filter((e) => !seen.has(e.guideId) && seen.add(e.guideId));
}
