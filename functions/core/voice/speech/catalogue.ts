/**
 * Every clip the line can ask for, and what each says: the studio's list of what to record
 * (per language) and the script beside each recording.
 */
import { voiceResources } from '#locales/voice.ts';
import type { Catalog } from '../../reference/catalog.ts';
import type { Names } from '../../reference/schemas.ts';
import type { ClipId } from '../call.ts';
import type { SpeechLanguage } from './language.ts';
import { numberWords } from './numbers.ts';

export type { SpeechLanguage } from './language.ts';

// The phrase texts are read here straight from their files, not through i18next: the voice
// Lambda needs only these, and i18n with every namespace would be most of its bundle.

export type ClipFamily = 'say' | 'num' | 'commodity' | 'market' | 'region' | 'unit';
export interface NeededClip {
  id: ClipId;
  family: ClipFamily;
}

type Tree = { readonly [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Array<[string, string]> {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : flatten(value, `${prefix}${key}.`),
  );
}

/** `say.<key>` → its text, per language, read straight from the language's own file (no fallback: a Tibetan clip never reads Chinese). */
const phraseTexts: Record<SpeechLanguage, Map<string, string>> = {
  bo: new Map(flatten(voiceResources.bo as Tree)),
  zh: new Map(flatten(voiceResources.zh as Tree)),
  en: new Map(flatten(voiceResources.en as Tree)),
};

/** The phrase keys (`alertKind.weather` …), from English, which has every key. */
export const phraseKeys: readonly string[] = [...phraseTexts.en.keys()];

/**
 * Every fixed clip the flows can ask for in a language: the phrases, the number words, and the
 * catalog's names (commodities, markets, regions, units). Item clips (a guide's or alert's
 * summary) are not fixed: they come and go with what is published.
 */
export function neededClips(lang: SpeechLanguage, catalog: Catalog): NeededClip[] {
  return [
    ...phraseKeys.map((key): NeededClip => ({ id: `say.${key}`, family: 'say' })),
    ...Object.keys(numberWords[lang]).map((id): NeededClip => ({ id, family: 'num' })),
    ...[...catalog.commodities.keys()].map((id): NeededClip => ({ id: `commodity.${id}`, family: 'commodity' })),
    ...[...catalog.markets.keys()].map((id): NeededClip => ({ id: `market.${id}`, family: 'market' })),
    ...[...catalog.regions.keys()].map((id): NeededClip => ({ id: `region.${id}`, family: 'region' })),
    ...[...(catalog.units?.keys() ?? [])].map((id): NeededClip => ({ id: `unit.${id}`, family: 'unit' })),
  ];
}

/** A name in exactly this language (a Tibetan clip with no Tibetan name has no text, never the Chinese one). */
function nameOf(names: Names, lang: SpeechLanguage): string | undefined {
  return names[lang].trim() || undefined;
}

/**
 * "Per <unit>". Tibetan: <unit>་རེར (རྒྱ་མ་རེར, as the SMS price row says it); a unit with no
 * Tibetan word (head: Tibetan counts animals without one) is རེ་རེར, "each". Chinese: 每 + the
 * spoken name (克(藏克) is said 藏克, not 克, which would be heard as grams). English: the name
 * before any gloss.
 */
function unitText(names: Names, lang: SpeechLanguage): string | undefined {
  if (lang === 'bo') return names.bo.trim() ? `${names.bo.trim()}་རེར` : 'རེ་རེར';
  if (lang === 'zh') {
    const zh = names.zh.trim();
    const spoken = /\(([^)]+)\)/u.exec(zh)?.[1] ?? zh;
    return spoken ? `每${spoken}` : undefined;
  }
  const en = names.en.split(/ \(| \//u)[0]?.trim();
  return en ? `per ${en}` : undefined;
}

/**
 * The script of a clip: say.* from `voice:<key>`, names from the catalog, numbers from the
 * tables, item.* from `items`. Undefined when the clip has no text in this language.
 */
export function clipText(
  lang: SpeechLanguage,
  id: ClipId,
  catalog: Catalog,
  items?: (itemId: string, version: number, lang: SpeechLanguage) => string | undefined,
): string | undefined {
  const dot = id.indexOf('.');
  const family = id.slice(0, dot);
  const rest = id.slice(dot + 1);
  switch (family) {
    case 'say':
      return phraseTexts[lang].get(rest);
    case 'num':
      return numberWords[lang][id];
    case 'commodity': {
      const c = catalog.commodities.get(rest);
      return c && nameOf(c.names, lang);
    }
    case 'market': {
      const m = catalog.markets.get(rest);
      return m && nameOf(m.names, lang);
    }
    case 'region': {
      const r = catalog.regions.get(rest);
      return r && nameOf(r.names, lang);
    }
    case 'unit': {
      const u = catalog.units?.get(rest);
      return u && unitText(u.names, lang);
    }
    case 'item': {
      const match = /^(.+)\.(\d+)$/u.exec(rest);
      return match?.[1] && items ? items(match[1], Number(match[2]), lang) : undefined;
    }
    default:
      return undefined;
  }
}
