/**
 * Turns the trilingual glossary (CSV + notes) into the project's seed file.
 * Run by a developer when the glossary changes, never at run time:
 *
 * @example
 *   npx tsx functions/local/import-glossary.ts ../shared/data/glossary.csv
 *
 * The glossary gives names; the tables below add what it does not say and is our own
 * domain judgement: commodity groups and quoting units (from the glossary's notes on
 * typical pricing units), which region a market lies in, and unit conversions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  referenceDataSchema,
  type CommodityGroup,
  type Confidence,
  type ReferenceData,
} from '#core/reference/schemas.ts';

const commodityFacts: Record<string, [CommodityGroup, string]> = {
  barley_qingke: ['grain', 'jin'], wheat: ['grain', 'jin'], peas: ['grain', 'jin'],
  rapeseed: ['grain', 'jin'], buckwheat: ['grain', 'jin'], tsampa: ['grain', 'jin'],
  potato: ['vegetable', 'jin'], radish: ['vegetable', 'jin'], turnip: ['vegetable', 'jin'],
  cabbage: ['vegetable', 'jin'], walnut: ['fruit', 'jin'], apple: ['fruit', 'jin'],
  yak_live: ['livestock', 'head'], sheep_live: ['livestock', 'head'], goat_live: ['livestock', 'head'],
  cattle: ['livestock', 'head'], dzo: ['livestock', 'head'], horse: ['livestock', 'head'],
  yak_meat: ['livestock_product', 'jin'], mutton: ['livestock_product', 'jin'],
  butter: ['livestock_product', 'jin'], dried_cheese_chura: ['livestock_product', 'jin'],
  milk: ['livestock_product', 'jin'], yogurt: ['livestock_product', 'jin'],
  yak_wool: ['livestock_product', 'kg'], sheep_wool: ['livestock_product', 'kg'],
  cashmere: ['livestock_product', 'kg'], yak_hide: ['livestock_product', 'piece'],
  cordyceps: ['fungus', 'piece'], matsutake: ['fungus', 'jin'],
  fertilizer: ['input', 'kg'], barley_seed: ['input', 'jin'], fodder_hay: ['input', 'kg'],
};

/** Markets → the most specific listed region that contains them (null: outside our regions). */
const marketRegions: Record<string, string | null> = {
  mkt_lhasa_tromsikhang: 'cty_lhasa_chengguan', mkt_lhasa_barkhor: 'cty_lhasa_chengguan',
  mkt_lhasa_dongga: 'cty_lhasa_doilungdeqen', mkt_lhasa_nyangre: 'cty_lhasa_chengguan',
  mkt_nagqu_biru_cordyceps: 'pref_nagqu', mkt_chamdo_cordyceps: 'cty_chamdo_karub',
  mkt_ngari_purang_tangga: 'pref_ngari', mkt_shigatse_gyirong_port: 'pref_shigatse',
  mkt_shigatse_yadong_renqinggang: 'pref_shigatse', mkt_yunnan_shangrila_matsutake: null,
  mkt_qinghai_zadoi_cordyceps: null, mkt_qinghai_xining: null, mkt_sichuan_kangding: null,
};

/**
 * The glossary's `unit_*` rows that are units prices are quoted in (kind, and kilograms per
 * unit; 1 for count units). Their names come from the glossary: `unit_piece` is རྡོག (rdog);
 * `unit_head` has no Tibetan word, as Tibetan counts livestock without a classifier (noun +
 * numeral; glossary §3), so SMS replies name the animal itself (`smsUnitName`). The other
 * `unit_*` rows are words, not units — `unit_yuan` (སྒོར), `unit_per` (རེ "each"),
 * `unit_head_count` (ཁ་གྲངས "number of head") — and are imported as terms.
 */
const units: Record<string, ['mass' | 'count' | 'volume', number | null]> = {
  jin: ['mass', 0.5], liang: ['mass', 0.05], kg: ['mass', 1], khal: ['volume', null], bre: ['volume', null],
  head: ['count', 1], piece: ['count', 1],
};
const isUnitRow = (r: Row) => r.id!.startsWith('unit_') && r.id!.slice('unit_'.length) in units;

type Row = Record<string, string>;
const split = (s: string | undefined) => (s ? s.split('|').map((x) => x.trim()).filter(Boolean) : []);

function wylieAliasesFrom(notes: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const start = notes.indexOf('## Appendix B');
  if (start < 0) return out;
  for (const line of notes.slice(start).split('\n')) {
    const m = /^\|\s*([a-z0-9_]+)\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
    if (m && m[1] !== 'id') out.set(m[1]!, m[2]!.split(';').map((x) => x.trim()));
  }
  return out;
}

export function buildReferenceData(csv: string, notes: string): ReferenceData {
  const rows: Row[] = parse(csv, { columns: true, skip_empty_lines: true, trim: true });
  const wylieAliases = wylieAliasesFrom(notes);
  const base = (r: Row) => {
    const bo = split(r.aliases_bo);
    const wylie = wylieAliases.get(r.id!) ?? [];
    if (wylie.length !== bo.length) throw new Error(`${r.id}: ${bo.length} Tibetan aliases but ${wylie.length} in Wylie`);
    return {
      id: r.id!,
      names: { bo: r.bo!, zh: r.zh!, en: r.en! },
      wylie: r.wylie!,
      aliases: { bo, zh: split(r.aliases_zh), en: split(r.aliases_en), wylie },
      confidence: r.confidence as Confidence,
      source: r.source!,
    };
  };
  const of = (kind: string) => rows.filter((r) => r.kind === kind);
  const data: ReferenceData = {
    commodities: of('commodity').map((r) => {
      const facts = commodityFacts[r.id!];
      if (!facts) throw new Error(`no group/unit for commodity ${r.id}`);
      return { ...base(r), group: facts[0], defaultUnit: facts[1] };
    }),
    regions: of('region').map((r) => {
      const id = r.id!;
      const [prefix, area] = id.split('_');
      const level = prefix === 'pref' ? 'prefecture' : prefix === 'cty' ? 'county' : 'town';
      const parentId = level === 'prefecture' ? null : level === 'county' ? `pref_${area}` : 'cty_ngari_gar';
      return { ...base(r), level, parentId } as const;
    }),
    markets: of('market').map((r) => {
      if (!(r.id! in marketRegions)) throw new Error(`no region for market ${r.id}`);
      const area = r.id!.split('_')[1];
      const province = area === 'yunnan' ? 'YN' : area === 'qinghai' ? 'QH' : area === 'sichuan' ? 'SC' : 'XZ';
      return { ...base(r), regionId: marketRegions[r.id!] ?? null, province } as const;
    }),
    units: of('term')
      .filter(isUnitRow)
      .map((r) => {
        const id = r.id!.slice('unit_'.length);
        const [dimension, perBase] = units[id]!;
        return { ...base(r), id, dimension, perBase };
      }),
    terms: of('term').filter((r) => !isUnitRow(r)).map(base),
  };
  return referenceDataSchema.parse(data);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const csvPath = process.argv[2];
  if (!csvPath) throw new Error('usage: import-glossary.ts <glossary.csv> (glossary.md beside it)');
  const data = buildReferenceData(readFileSync(csvPath, 'utf8'), readFileSync(join(dirname(csvPath), 'glossary.md'), 'utf8'));
  // Terms go in a file of their own: the SMS parser needs them in every Lambda, the rest
  // only the seeding one.
  const { terms, ...items } = data;
  const out = new URL('../core/reference/seed-data.json', import.meta.url);
  writeFileSync(out, JSON.stringify(items, null, 1) + '\n');
  writeFileSync(new URL('../core/reference/sms-terms.json', import.meta.url), JSON.stringify(terms, null, 1) + '\n');
  console.log(`wrote ${out.pathname}: ${data.commodities.length} commodities, ${data.regions.length} regions, ${data.markets.length} markets, ${data.units.length} units, ${data.terms.length} terms`);
}
