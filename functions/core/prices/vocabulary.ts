/**
 * The words people write for a price's unit and kind, in a CSV cell, an SMS or a form: 斤,
 * kg, 元/公斤, 批发, farm-gate… Apart from the CSV reader so that the SMS and web paths can
 * read them without bundling csv-parse.
 */
import type { Unit } from '../reference/schemas.ts';
import { matchKey, normaliseText } from '../text/normalise.ts';
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

/** "元/斤", "yuan/jin": the unit after a currency word and a slash. */
const currencyPer = /^(?:元|yuan|rmb|¥)\//u;

/** A unit cell: 斤, kg, 元/公斤, yuan/jin… (the words above only; `resolveUnit` adds the reference names). */
export function parseUnit(cell: string): PriceUnitId | undefined {
  return unitWords.get(wordKey(cell).replace(currencyPer, ''));
}

/** What `resolveUnit` reads of a unit in the reference data: its names in every script. */
export type UnitNames = Pick<Unit, 'id' | 'names' | 'wylie' | 'aliases'>;
/** The reference units, as the catalog keeps them (a Map) or a list. */
export type UnitList = { values(): Iterable<UnitNames> } | undefined;

/**
 * The one reader of a price's unit, for every way in (POST /prices, the entry form, CSV, SMS P):
 * an id or any name of one of the price units — the words above (斤, 市斤, 公斤, 千克, 两, 头,
 * 只, 个, kg, catty…, also after 元/), and the reference data's names in Tibetan, Chinese,
 * English and Wylie with their aliases (རྒྱ་མ, སྤྱི་རྒྱ, ཀི་ལོ, rgya ma, srang…). Undefined when
 * none matches.
 *
 * @example resolveUnit('རྒྱ་མ', catalog.units) // 'jin'
 */
export function resolveUnit(text: string, units?: UnitList): PriceUnitId | undefined {
  const byWord = parseUnit(text);
  if (byWord) return byWord;
  const key = matchKey(text.trim().replace(currencyPer, ''));
  if (!key) return undefined;
  for (const unit of units?.values() ?? []) {
    if (!(priceUnitIds as readonly string[]).includes(unit.id)) continue;
    const names = [
      unit.id,
      unit.names.bo,
      unit.names.zh,
      unit.names.en,
      unit.wylie,
      ...Object.values(unit.aliases).flat(),
    ];
    if (names.some((n) => n && matchKey(n) === key)) return unit.id as PriceUnitId;
  }
  return undefined;
}

/**
 * The accepted units for an error message, each with its names in every script that has one:
 * "jin (斤 / རྒྱ་མ), kg (公斤 / སྤྱི་རྒྱ), …" — understood whatever the reader's language.
 */
export function acceptedUnits(units?: UnitList): string {
  const byId = new Map([...(units?.values() ?? [])].map((u) => [u.id, u]));
  return priceUnitIds
    .map((id) => {
      const u = byId.get(id);
      const names = u ? [u.names.zh, u.names.bo].filter(Boolean) : [];
      return names.length ? `${id} (${names.join(' / ')})` : id;
    })
    .join(', ');
}

/** A kind cell: wholesale, 批发, farm-gate, 地头价…; undefined when not one of ours. */
export function parseKind(cell: string): PriceKind | undefined {
  return kindWords.get(wordKey(cell));
}
