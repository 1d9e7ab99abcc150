/**
 * SMS message keys → text in one language. Chinese and English go through the translator as
 * they are; Tibetan templates are filled by `fillTibetan`, so that whatever a name ends with
 * (ང, a bare ཀ/ག, a digit, a Latin fallback) the tsheg, shad and spaces around it come out as
 * our orthography wants (`ཁྲོམ་གཟིགས་ཁང་།`, not `ཁྲོམ་གཟིགས་ཁང།`). Every Tibetan reply, alert and
 * list of names is made here.
 */
import { smsResources } from '#locales/sms.ts';
import { addNamespace, type Fill, findTranslation, interpolate, translatorFor } from '../i18n.ts';
import type { Language } from '../reference/schemas.ts';
import { fillTibetan, listTibetan } from '../text/tibetan-compose.ts';

// The SMS texts are bundled only where SMS are composed (this module is how they are read).
addNamespace('sms', smsResources);

type Params = Record<string, string | number>;
export type SmsTranslator = (key: string, params?: Params) => string;

/**
 * What is sent when a key has no text in any language: the list of commands, never the key
 * (the locale tests make this unreachable; a key built at run time could still miss).
 */
function safeText(lang: Language): string {
  return findTranslation(lang, 'sms:help.commands') ?? findTranslation('en', 'sms:help.commands') ?? '';
}

/** A template written in Tibetan is filled by our orthography; a fallback (zh, en) as it is. */
const fillTibetanTemplate: Fill = (template, values, lang) =>
  lang === 'bo' ? fillTibetan(template, values) : interpolate(template, values, lang);

/**
 * A translator of `sms` keys (without the `sms:` prefix) for one language. A `count` picks the
 * plural form, a `context` the variant (`price.row` with `context: 'old'` is `price.row_old`).
 *
 * @example smsTranslator('bo')('join.ok', { region: 'ཁྲོམ་གཟིགས་ཁང' }) // '… ཁྲོམ་གཟིགས་ཁང་།'
 */
export function smsTranslator(lang: Language): SmsTranslator {
  const fill = lang === 'bo' ? fillTibetanTemplate : interpolate;
  return (key, params = {}) => findTranslation(lang, `sms:${key}`, params, fill) ?? safeText(lang);
}

/**
 * Names as a list in running text: `a、b` (zh), `a or b` (en), and in Tibetan with tsheg
 * between syllables, `རྒྱལ་རྩེ་ཡང་ན་རྒྱལ་ཐང`, not `རྒྱལ་རྩེ ཡང་ན་ རྒྱལ་ཐང` (a space between syllables).
 */
export function listNames(lang: Language, names: readonly string[]): string {
  const separator = translatorFor(lang)('sms:list.separator');
  if (lang !== 'bo') return names.join(separator);
  return listTibetan(names, separator.replace(/^[\s\u0f0b]+|[\s\u0f0b]+$/gu, ''));
}
