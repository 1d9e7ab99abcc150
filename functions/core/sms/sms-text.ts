/**
 * SMS message keys → text in one language. Chinese and English go through the translator as
 * they are; Tibetan templates are filled by `fillTibetan`, so that whatever a name ends with
 * (ང, a bare ཀ/ག, a digit, a Latin fallback) the tsheg, shad and spaces around it come out as
 * our orthography wants (`ཁྲོམ་གཟིགས་ཁང་།`, not `ཁྲོམ་གཟིགས་ཁང།`). Every Tibetan reply, alert and
 * list of names is made here.
 */
import { smsResources } from '#locales/sms.ts';
import { addNamespace, translatorFor } from '../i18n.ts';
import type { Language } from '../reference/schemas.ts';
import { fillTibetan, listTibetan } from '../text/tibetan-compose.ts';

// The SMS texts are bundled only where SMS are composed (this module is how they are read).
addNamespace('sms', smsResources);

type Params = Record<string, string | number>;
export type SmsTranslator = (key: string, params?: Params) => string;

/** The Tibetan template of an `sms` key (`price.row`), or undefined when there is none. */
function tibetanTemplate(key: string): string | undefined {
  let node: unknown = smsResources.bo;
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'string' ? node : undefined;
}

/**
 * A translator of `sms` keys (without the `sms:` prefix) for one language.
 *
 * @example smsTranslator('bo')('join.ok', { region: 'ཁྲོམ་གཟིགས་ཁང' }) // '… ཁྲོམ་གཟིགས་ཁང་།'
 */
export function smsTranslator(lang: Language): SmsTranslator {
  const t = translatorFor(lang);
  if (lang !== 'bo') return (key, params = {}) => t(`sms:${key}`, params);
  return (key, params = {}) => {
    const template = tibetanTemplate(key);
    return template === undefined ? t(`sms:${key}`, params) : fillTibetan(template, params);
  };
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
