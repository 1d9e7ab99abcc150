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
  type CommodityGroup,
  type Confidence,
  type ReferenceData,
  type Region,
  referenceDataSchema,
} from '#core/reference/schemas.ts';

const commodityFacts: Record<string, [CommodityGroup, string]> = {
  barley_qingke: ['grain', 'jin'],
  wheat: ['grain', 'jin'],
  peas: ['grain', 'jin'],
  rapeseed: ['grain', 'jin'],
  buckwheat: ['grain', 'jin'],
  tsampa: ['grain', 'jin'],
  potato: ['vegetable', 'jin'],
  radish: ['vegetable', 'jin'],
  turnip: ['vegetable', 'jin'],
  cabbage: ['vegetable', 'jin'],
  walnut: ['fruit', 'jin'],
  apple: ['fruit', 'jin'],
  yak_live: ['livestock', 'head'],
  sheep_live: ['livestock', 'head'],
  goat_live: ['livestock', 'head'],
  cattle: ['livestock', 'head'],
  dzo: ['livestock', 'head'],
  horse: ['livestock', 'head'],
  yak_meat: ['livestock_product', 'jin'],
  mutton: ['livestock_product', 'jin'],
  butter: ['livestock_product', 'jin'],
  dried_cheese_chura: ['livestock_product', 'jin'],
  milk: ['livestock_product', 'jin'],
  yogurt: ['livestock_product', 'jin'],
  yak_wool: ['livestock_product', 'kg'],
  sheep_wool: ['livestock_product', 'kg'],
  cashmere: ['livestock_product', 'kg'],
  yak_hide: ['livestock_product', 'piece'],
  cordyceps: ['fungus', 'piece'],
  matsutake: ['fungus', 'jin'],
  fertilizer: ['input', 'kg'],
  barley_seed: ['input', 'jin'],
  fodder_hay: ['input', 'kg'],
};

/**
 * Markets → the most specific listed region that contains them (null: outside our regions).
 * The four border and cordyceps markets lie in the county their glossary names and sources
 * give (比如县…, 普兰县…, 吉隆口岸, 亚东…); the Chamdo centre's town is Karub's seat.
 */
const marketRegions: Record<string, string | null> = {
  mkt_lhasa_tromsikhang: 'cty_lhasa_chengguan',
  mkt_lhasa_barkhor: 'cty_lhasa_chengguan',
  mkt_lhasa_dongga: 'cty_lhasa_doilungdeqen',
  mkt_lhasa_nyangre: 'cty_lhasa_chengguan',
  mkt_nagqu_biru_cordyceps: 'cty_nagqu_biru',
  mkt_chamdo_cordyceps: 'cty_chamdo_karub',
  mkt_ngari_purang_tangga: 'cty_ngari_burang',
  mkt_shigatse_gyirong_port: 'cty_shigatse_gyirong',
  mkt_shigatse_yadong_renqinggang: 'cty_shigatse_yadong',
  mkt_yunnan_shangrila_matsutake: null,
  mkt_qinghai_zadoi_cordyceps: null,
  mkt_qinghai_xining: null,
  mkt_sichuan_kangding: null,
};

/**
 * The glossary's `unit_*` rows that are units prices are quoted in (kind, and kilograms per
 * unit; 1 for count units). Their names come from the glossary: `unit_piece` is རྡོག (rdog);
 * `unit_head` has no Tibetan word, as Tibetan counts livestock without a classifier (noun +
 * numeral; glossary §3), so SMS replies name the animal itself (`smsUnitName`). The other
 * `unit_*` rows are words, not units — `unit_yuan` (སྒོར), `unit_per` (རེ "each"),
 * `unit_head_count` (ཁ་གྲངས "number of head") — and are imported as terms.
 */
/** Towns have no GB/T 2260 code at our level: the county each lies in (glossary §4: Shiquanhe is Gar's seat). */
const townCounties: Record<string, string> = { town_ngari_shiquanhe: 'cty_ngari_gar' };

const units: Record<string, ['mass' | 'count' | 'volume', number | null]> = {
  jin: ['mass', 0.5],
  liang: ['mass', 0.05],
  kg: ['mass', 1],
  khal: ['volume', null],
  bre: ['volume', null],
  head: ['count', 1],
  piece: ['count', 1],
};
const isUnitRow = (r: Row) => r.id!.startsWith('unit_') && r.id!.slice('unit_'.length) in units;

type Row = Record<string, string>;
const split = (s: string | undefined) =>
  s
    ? s
        .split('|')
        .map((x) => x.trim())
        .filter(Boolean)
    : [];

function wylieAliasesFrom(notes: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const start = notes.indexOf('## Appendix B');
  if (start < 0) return out;
  for (const line of notes.slice(start).split('\n')) {
    const m = /^\|\s*([a-z0-9_]+)\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
    if (m && m[1] !== 'id')
      out.set(
        m[1]!,
        m[2]!.split(';').map((x) => x.trim()),
      );
  }
  return out;
}

const levelOfPrefix: Record<string, Region['level']> = { pref: 'prefecture', cty: 'county', town: 'town' };

/**
 * Regions with their level (from the id: pref_, cty_, town_), GB/T 2260 code and parent. A
 * county's parent is the prefecture whose code shares its first four digits (540127 → 540100),
 * and must be the one its id names (cty_lhasa_… → pref_lhasa): a glossary row that disagrees
 * with itself stops the import rather than seeding a wrong tree.
 */
function regionsFrom(rows: Row[], base: (r: Row) => Omit<Region, 'level' | 'parentId' | 'gbcode'>): Region[] {
  const levelOf = (r: Row) => {
    const level = levelOfPrefix[r.id!.split('_')[0]!];
    if (!level) throw new Error(`${r.id}: a region id starts with pref_, cty_ or town_`);
    return level;
  };
  const seen = new Map<string, string>();
  for (const r of rows) {
    const code = r.gbcode ?? '';
    if (!code) {
      if (levelOf(r) !== 'town') throw new Error(`${r.id}: no GB/T 2260 code (gbcode)`);
      continue;
    }
    if (!/^\d{6}$/.test(code)) throw new Error(`${r.id}: gbcode ${code} is not 6 digits`);
    if ((levelOf(r) === 'prefecture') !== code.endsWith('00'))
      throw new Error(`${r.id}: gbcode ${code} — prefecture codes, and only they, end in 00`);
    if (seen.has(code)) throw new Error(`${r.id}: gbcode ${code} is also ${seen.get(code)}`);
    seen.set(code, r.id!);
  }
  return rows.map((r) => {
    const id = r.id!;
    const level = levelOf(r);
    const gbcode = r.gbcode || undefined;
    let parentId: string | null = null;
    if (level === 'county') {
      parentId = seen.get(`${gbcode!.slice(0, 4)}00`) ?? null;
      if (!parentId) throw new Error(`${id}: no prefecture has code ${gbcode!.slice(0, 4)}00`);
      if (parentId !== `pref_${id.split('_')[1]}`) throw new Error(`${id}: gbcode ${gbcode} places it in ${parentId}`);
    } else if (level === 'town') {
      parentId = townCounties[id] ?? null;
      if (!parentId || !rows.some((p) => p.id === parentId)) throw new Error(`no county for town ${id}`);
    }
    return { ...base(r), level, parentId, ...(gbcode ? { gbcode } : {}) };
  });
}

export function buildReferenceData(csv: string, notes: string): ReferenceData {
  const rows: Row[] = parse(csv, { columns: true, skip_empty_lines: true, trim: true });
  const wylieAliases = wylieAliasesFrom(notes);
  const base = (r: Row) => {
    const bo = split(r.aliases_bo);
    const wylie = wylieAliases.get(r.id!) ?? [];
    if (wylie.length !== bo.length)
      throw new Error(`${r.id}: ${bo.length} Tibetan aliases but ${wylie.length} in Wylie`);
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
    regions: regionsFrom(of('region'), base),
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
    terms: of('term')
      .filter((r) => !isUnitRow(r))
      .map(base),
  };
  return referenceDataSchema.parse(data);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const csvPath = process.argv[2];
  if (!csvPath) throw new Error('usage: import-glossary.ts <glossary.csv> (glossary.md beside it)');
  const data = buildReferenceData(
    readFileSync(csvPath, 'utf8'),
    readFileSync(join(dirname(csvPath), 'glossary.md'), 'utf8'),
  );
  // Terms go in a file of their own: the SMS parser needs them in every Lambda, the rest
  // only the seeding one.
  const { terms, ...items } = data;
  const out = new URL('../core/reference/seed-data.json', import.meta.url);
  writeFileSync(out, `${JSON.stringify(items, null, 1)}\n`);
  writeFileSync(new URL('../core/reference/sms-terms.json', import.meta.url), `${JSON.stringify(terms, null, 1)}\n`);
  console.log(
    `wrote ${out.pathname}: ${data.commodities.length} commodities, ${data.regions.length} regions, ${data.markets.length} markets, ${data.units.length} units, ${data.terms.length} terms`,
  );
}
