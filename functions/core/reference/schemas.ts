import * as z from '../zod.ts';

/** The three languages every user-facing name and string exists in. */
export const languages = ['bo', 'zh', 'en'] as const;
export type Language = (typeof languages)[number];

const text = (description: string) => z.string().register(z.globalRegistry, { description });

export const confidenceSchema = z.enum(['high', 'medium', 'low']);
export type Confidence = z.infer<typeof confidenceSchema>;

export const namesSchema = z.object({
  bo: text('Tibetan script, without trailing tsheg'),
  zh: text('Simplified Chinese'),
  en: text('English'),
});
export type Names = z.infer<typeof namesSchema>;

export const aliasesSchema = z.object({
  bo: z.array(z.string()),
  zh: z.array(z.string()),
  en: z.array(z.string()),
  wylie: z.array(z.string()).register(z.globalRegistry, { description: 'EWTS of the Tibetan aliases, same order' }),
});
export type Aliases = z.infer<typeof aliasesSchema>;

const referenceBase = {
  id: z
    .string()
    .check(z.regex(/^[a-z0-9_]+$/))
    .register(z.globalRegistry, { description: 'Stable ASCII id' }),
  names: namesSchema,
  wylie: text('THL Extended Wylie of names.bo'),
  aliases: aliasesSchema,
  confidence: confidenceSchema.register(z.globalRegistry, {
    description: 'Confidence of the Tibetan naming in the source glossary',
  }),
  source: text('Where the names were verified'),
};

export const commodityGroups = [
  'grain',
  'vegetable',
  'fruit',
  'livestock',
  'livestock_product',
  'fungus',
  'input',
] as const;
export const commodityGroupSchema = z.enum(commodityGroups);
export type CommodityGroup = z.infer<typeof commodityGroupSchema>;

export const commoditySchema = z.object({
  ...referenceBase,
  group: commodityGroupSchema,
  defaultUnit: text('Unit id prices are usually quoted in'),
  staleDays: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(366))).register(z.globalRegistry, {
    description: 'A latest price older than this many days is shown as old (default 14)',
  }),
});
export type Commodity = z.infer<typeof commoditySchema>;

export const regionLevels = ['prefecture', 'county', 'town'] as const;
export const regionSchema = z.object({
  ...referenceBase,
  level: z.enum(regionLevels),
  parentId: z
    .nullable(z.string())
    .register(z.globalRegistry, { description: 'Parent region id; null for a prefecture' }),
  gbcode: z.optional(z.string().check(z.regex(/^\d{6}$/))).register(z.globalRegistry, {
    description:
      'GB/T 2260 administrative division code (prefectures end in 00); absent for a place without one, e.g. a town',
  }),
});
export type Region = z.infer<typeof regionSchema>;

/** Province codes (GB/T 2260 abbreviations) for markets outside the regions we list. */
export const provinces = ['XZ', 'QH', 'YN', 'SC'] as const;
export const marketSchema = z.object({
  ...referenceBase,
  regionId: z
    .nullable(z.string())
    .register(z.globalRegistry, { description: 'Region the market lies in, when that region is listed' }),
  province: z.enum(provinces),
});
export type Market = z.infer<typeof marketSchema>;

export const unitSchema = z.object({
  ...referenceBase,
  dimension: z.enum(['mass', 'count', 'volume']),
  /** Kilograms in one unit for mass units, 1 for count units (per head, per piece). */
  perBase: z.nullable(z.number().check(z.positive())),
});
export type Unit = z.infer<typeof unitSchema>;

/** SMS keywords and option words: used by the SMS parser, not stored per item. */
export const termSchema = z.object({ ...referenceBase });
export type Term = z.infer<typeof termSchema>;

export const referenceDataSchema = z.object({
  commodities: z.array(commoditySchema),
  regions: z.array(regionSchema),
  markets: z.array(marketSchema),
  units: z.array(unitSchema),
  terms: z.array(termSchema),
});
export type ReferenceData = z.infer<typeof referenceDataSchema>;

export type ReferenceKind = 'commodity' | 'region' | 'market' | 'unit';
