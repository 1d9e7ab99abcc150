/**
 * Names as an SMS writes them (kept apart from the replies so that code which only names things
 * in an SMS, like the rejection SMS of the http Lambda, does not carry the SMS composer).
 */
import { type Catalog, nameIn } from '../reference/catalog.ts';
import type { Language, Names } from '../reference/schemas.ts';
import { gsm7Septets } from './gsm7.ts';

/** A letter GSM-7 lacks (ê, ü, ō) as its base letter, where that one is GSM-7 (e, u, o). */
function foldToGsm(text: string): string {
  return [...text]
    .map((ch) => {
      if (gsm7Septets(ch) !== undefined) return ch;
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
      return base && [...base].every((b) => gsm7Septets(b) !== undefined) ? base : ch;
    })
    .join('');
}

/**
 * A name fit for an SMS: the reference name without its parenthetical and without the second
 * of "a / b" ("Gyantse County (Shigatse)" → "Gyantse County"); in English, letters that GSM-7
 * lacks lose their accent ("Doilungdêqên" → "Doilungdeqen"), since one such letter would make
 * the whole message UCS-2 and halve what one SMS holds. A Tibetan reply never falls back to the
 * Chinese name (one Han character would put Chinese into a Tibetan reply and make a Wylie one
 * UCS-2): without a Tibetan name it takes the English one.
 *
 * @example smsName({ bo: 'རྒྱལ་རྩེ', zh: '江孜县', en: 'Gyantse County (Shigatse)' }, 'en') // 'Gyantse County'
 * @example smsName({ bo: '', zh: '头', en: 'head (count unit for livestock)' }, 'bo') // 'head'
 */
export function smsName(names: Names, lang: Language): string {
  const full = lang === 'bo' ? names.bo || names.en || names.zh : nameIn(names, lang);
  const short =
    full
      .replace(/\s*[(（][^()（）]*[)）]/gu, '')
      .split(/\s+\/\s+/u)[0]!
      .trim() || full;
  return lang === 'en' || (lang === 'bo' && !names.bo) ? foldToGsm(short) : short;
}

/**
 * The unit a price is per, as an SMS names it. Tibetan has no classifier for livestock: it
 * counts the animal itself (glossary §3, `unit_head`), so a count unit without a Tibetan word
 * is the commodity's own name — the Tibetan templates say "per <unit>" as `<unit>་རེར་`, which
 * makes a price per yak `གཡག་རེར་སྒོར་…`. Otherwise the unit's name (in Tibetan, the English one
 * when the glossary has no Tibetan word; never the Chinese).
 */
export function smsUnitName(unitId: string, commodityId: string, lang: Language, catalog: Catalog): string {
  const unit = catalog.units?.get(unitId);
  const commodity = catalog.commodities.get(commodityId);
  if (lang === 'bo' && unit?.dimension === 'count' && !unit.names.bo && commodity?.names.bo)
    return smsName(commodity.names, lang);
  return (unit && smsName(unit.names, lang)) || unitId;
}
