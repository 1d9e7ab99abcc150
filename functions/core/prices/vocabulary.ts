/**
 * The words people write for a price's unit and kind, in a CSV cell, an SMS or a form: 斤,
 * kg, 元/公斤, 批发, farm-gate… Apart from the CSV reader so that the SMS and web paths can
 * read them without bundling csv-parse.
 */
import { normaliseText } from '../text/normalise.ts';
import type { PriceKind } from './observation.ts';

/** Unit ids (reference data) a price may be quoted in. */
export const priceUnitIds = ['jin', 'kg', 'liang', 'head', 'piece'] as const;
export type PriceUnitId = (typeof priceUnitIds)[number];

/** The compact form of a short cell for vocabulary lookups: normalised, no spaces, - or _. */
const wordKey = (cell: string) => normaliseText(cell).text.replace(/[\s_-]+/gu, '');

const unitWords = new Map<string, PriceUnitId>([
  ...['jin', '斤', '市斤', 'catty'].map((w) => [w, 'jin'] as const),
  ...['kg', 'kgs', 'kilo', 'kilogram', '公斤', '千克'].map((w) => [w, 'kg'] as const),
  ...['liang', '两', 'tael'].map((w) => [w, 'liang'] as const),
  // 只 counts animals (一只羊): a per-animal price, like 头.
  ...['head', '头', '只'].map((w) => [w, 'head'] as const),
  ...['piece', 'pc', 'pcs', '个', '张', '根'].map((w) => [w, 'piece'] as const),
]);

const kindWords = new Map<string, PriceKind>([
  ...['wholesale', '批发', '批发价'].map((w) => [w, 'wholesale'] as const),
  ...['retail', '零售', '零售价'].map((w) => [w, 'retail'] as const),
  ...['farmgate', '出厂', '出厂价', '地头', '地头价'].map((w) => [w, 'farm_gate'] as const),
]);

/** A unit cell: 斤, kg, 元/公斤, yuan/jin… */
export function parseUnit(cell: string): PriceUnitId | undefined {
  return unitWords.get(wordKey(cell).replace(/^(?:元|yuan|rmb|¥)\//u, ''));
}

/** A kind cell: wholesale, 批发, farm-gate, 地头价…; undefined when not one of ours. */
export function parseKind(cell: string): PriceKind | undefined {
  return kindWords.get(wordKey(cell));
}
