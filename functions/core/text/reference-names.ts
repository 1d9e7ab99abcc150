import type { Commodity, Market, Region, Term, Unit } from '#core/reference/schemas.ts';

export type MatchKind = 'commodity' | 'region' | 'market' | 'unit' | 'term';

/** A reference item with the kind it was indexed as. */
export type KindedItem =
  | { kind: 'commodity'; item: Commodity }
  | { kind: 'region'; item: Region }
  | { kind: 'market'; item: Market }
  | { kind: 'unit'; item: Unit }
  | { kind: 'term'; item: Term };

export type NameForm = 'bo' | 'zh' | 'en' | 'wylie';

/**
 * How a key was made from a name: 'exact' (the name itself), 'trimmed' (a parenthetical or
 * one side of "a / b" left off: "Lhasa (prefecture-level city)" → "Lhasa"), 'shortened' (a
 * generic or qualifying word left off: "Gyantse County" → "Gyantse", "highland barley" → "barley").
 */
export type Derivation = 'exact' | 'trimmed' | 'shortened';

/** Which name of an item a key came from. */
export interface NameRef {
  form: NameForm;
  /** The name as written in the reference data. */
  text: string;
  alias: boolean;
  derivation: Derivation;
  /** The text the key was made from (text itself unless derived). */
  matchedText: string;
}

// Place names in the glossary carry the kind of place after the name; people leave it off.
const genericPlaceWords = /\s+(?:county|district|city|prefecture|town|market|street|port|centre|center)$/iu;

function trimmedForms(name: string): string[] {
  const base = name.replace(/\s*[(（][^()（）]*[)）]/gu, '').trim();
  const parts = base
    .split(/\s+\/\s+/u)
    .map((p) => p.trim())
    .filter(Boolean);
  return [base, ...parts];
}

function shortenedForms(kind: MatchKind, english: string): string[] {
  if (kind === 'region' || kind === 'market') {
    const out: string[] = [];
    let s = english;
    while (genericPlaceWords.test(s)) {
      s = s.replace(genericPlaceWords, '');
      out.push(s);
    }
    return out;
  }
  // A commodity is asked for by its head noun: "PRICE BARLEY" for "highland barley".
  if (kind === 'commodity') {
    const words = english.split(/\s+/u);
    return words.length > 1 ? [words.at(-1)!] : [];
  }
  return [];
}

/**
 * Every name an item can be asked for by, in order of preference: its names and Wylie, then
 * its aliases, then English and Chinese forms derived from them. Empty names are skipped.
 */
export function namesOf({ kind, item }: KindedItem): NameRef[] {
  const refs: NameRef[] = [];
  const add = (form: NameForm, text: string, alias: boolean) => {
    if (text.trim()) refs.push({ form, text, alias, derivation: 'exact', matchedText: text });
  };
  add('bo', item.names.bo, false);
  add('zh', item.names.zh, false);
  add('en', item.names.en, false);
  add('wylie', item.wylie, false);
  for (const form of ['bo', 'zh', 'en', 'wylie'] as const) {
    for (const alias of item.aliases[form]) add(form, alias, true);
  }
  for (const ref of [...refs]) {
    if (ref.form !== 'en' && ref.form !== 'zh') continue;
    const forms = [...new Set(trimmedForms(ref.text))];
    for (const t of forms) {
      if (t && t !== ref.text) refs.push({ ...ref, derivation: 'trimmed', matchedText: t });
    }
    // Only primary English names of commodities are cut to their head noun: an alias such as
    // "seed barley" would give one that belongs to another item.
    if (ref.form !== 'en' || (ref.alias && kind === 'commodity')) continue;
    for (const t of new Set(forms.filter((f) => !f.includes('/')).flatMap((f) => shortenedForms(kind, f)))) {
      refs.push({ ...ref, derivation: 'shortened', matchedText: t });
    }
  }
  return refs;
}
