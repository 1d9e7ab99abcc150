/**
 * Whole numbers as clips, per language. Every clip is one lexical piece (a word the speaker
 * records once), so a few dozen recordings speak any number from 0 to 100,000; beyond that, and
 * for codes, digit by digit. Our own domain (the rules of Tibetan and Chinese counting), so it is
 * written here as data tables and a few rules, each rule commented.
 */
import type { ClipId } from '../call.ts';
import type { SpeechLanguage } from './language.ts';

/** Numbers up to this are spoken by the counting rules; larger ones digit by digit. */
export const MAX_SPOKEN_NUMBER = 100_000;

/** Tibetan and Chinese: the clip id → the word. English: development placeholders. */
export const numberWords: Readonly<Record<SpeechLanguage, Readonly<Record<string, string>>>> = {
  bo: {
    'num.0': 'ཀླད་ཀོར',
    'num.1': 'གཅིག',
    'num.2': 'གཉིས',
    'num.3': 'གསུམ',
    'num.4': 'བཞི',
    'num.5': 'ལྔ',
    'num.6': 'དྲུག',
    'num.7': 'བདུན',
    'num.8': 'བརྒྱད',
    'num.9': 'དགུ',
    'num.10': 'བཅུ',
    // The teens that change their ten: བཅོ་ before ལྔ and བརྒྱད (one word each).
    'num.15': 'བཅོ་ལྔ',
    'num.18': 'བཅོ་བརྒྱད',
    'num.20': 'ཉི་ཤུ',
    'num.30': 'སུམ་ཅུ',
    'num.40': 'བཞི་བཅུ',
    'num.50': 'ལྔ་བཅུ',
    'num.60': 'དྲུག་ཅུ',
    'num.70': 'བདུན་ཅུ',
    'num.80': 'བརྒྱད་ཅུ',
    'num.90': 'དགུ་བཅུ',
    // The connector each decade puts between its ten and a unit (21 ཉི་ཤུ་རྩ་གཅིག).
    'num.con.20': 'རྩ',
    'num.con.30': 'སོ',
    'num.con.40': 'ཞེ',
    'num.con.50': 'ང',
    'num.con.60': 'རེ',
    'num.con.70': 'དོན',
    'num.con.80': 'གྱ',
    'num.con.90': 'གོ',
    // "Exactly": after a round ten (10 བཅུ་ཐམ་པ, 20 ཉི་ཤུ་ཐམ་པ).
    'num.tham': 'ཐམ་པ',
    // Hundreds and thousands: the multiplier is bound to the word (ཉིས་བརྒྱ, not གཉིས་བརྒྱ), so each is one clip.
    'num.100': 'བརྒྱ',
    'num.200': 'ཉིས་བརྒྱ',
    'num.300': 'སུམ་བརྒྱ',
    'num.400': 'བཞི་བརྒྱ',
    'num.500': 'ལྔ་བརྒྱ',
    'num.600': 'དྲུག་བརྒྱ',
    'num.700': 'བདུན་བརྒྱ',
    'num.800': 'བརྒྱད་བརྒྱ',
    'num.900': 'དགུ་བརྒྱ',
    'num.1000': 'སྟོང',
    'num.2000': 'ཉིས་སྟོང',
    'num.3000': 'སུམ་སྟོང',
    'num.4000': 'བཞི་སྟོང',
    'num.5000': 'ལྔ་སྟོང',
    'num.6000': 'དྲུག་སྟོང',
    'num.7000': 'བདུན་སྟོང',
    'num.8000': 'བརྒྱད་སྟོང',
    'num.9000': 'དགུ་སྟོང',
    // Ten-thousands: ཁྲི alone, ཁྲི་ཕྲག + a unit for more (20,000 ཁྲི་ཕྲག་གཉིས).
    'num.10000': 'ཁྲི',
    'num.phrag': 'ཕྲག',
    'num.100000': 'འབུམ',
    // "And": once, before the last part (245 ཉིས་བརྒྱ་དང་བཞི་བཅུ་ཞེ་ལྔ).
    'num.dang': 'དང',
    // The decimal point: ཚེག (the dot), the plain word; listed for review.
    'num.point': 'ཚེག',
  },
  zh: {
    'num.0': '零',
    'num.1': '一',
    'num.2': '二',
    'num.3': '三',
    'num.4': '四',
    'num.5': '五',
    'num.6': '六',
    'num.7': '七',
    'num.8': '八',
    'num.9': '九',
    'num.10': '十',
    'num.100': '百',
    'num.1000': '千',
    'num.10000': '万',
    'num.liang': '两',
    'num.point': '点',
  },
  en: {
    ...Object.fromEntries(
      'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'
        .split(' ')
        .map((w, i) => [`num.${i}`, w]),
    ),
    'num.20': 'twenty',
    'num.30': 'thirty',
    'num.40': 'forty',
    'num.50': 'fifty',
    'num.60': 'sixty',
    'num.70': 'seventy',
    'num.80': 'eighty',
    'num.90': 'ninety',
    'num.100': 'hundred',
    'num.1000': 'thousand',
    'num.point': 'point',
  },
};

const clip = (n: number): ClipId => `num.${n}`;

function check(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a whole number ≥ 0: ${n}`);
}

/** Tibetan 1–99: teens, decades with ཐམ་པ, decades + connector + unit. */
function boBelow100(n: number): ClipId[] {
  const tens = Math.floor(n / 10);
  const unit = n % 10;
  if (tens === 0) return [clip(unit)];
  if (tens === 1) {
    if (unit === 0) return ['num.10', 'num.tham'];
    // 15 and 18 are single words (བཅོ་ལྔ, བཅོ་བརྒྱད); the other teens are བཅུ + the unit.
    if (unit === 5 || unit === 8) return [clip(n)];
    return ['num.10', clip(unit)];
  }
  if (unit === 0) return [clip(tens * 10), 'num.tham'];
  return [clip(tens * 10), `num.con.${tens * 10}`, clip(unit)];
}

/**
 * Tibetan: the parts from the largest down (ten-thousands, thousands, hundreds, 1–99), with
 * one དང before the last part when more than one is spoken: 245 ཉིས་བརྒྱ་དང་བཞི་བཅུ་ཞེ་ལྔ,
 * 1005 སྟོང་དང་ལྔ, 1245 སྟོང་ཉིས་བརྒྱ་དང་བཞི་བཅུ་ཞེ་ལྔ, 1100 སྟོང་དང་བརྒྱ.
 */
function boNumber(n: number): ClipId[] {
  if (n === 0) return ['num.0'];
  if (n === 100_000) return ['num.100000'];
  const parts: ClipId[][] = [];
  const tenThousands = Math.floor(n / 10_000);
  const thousands = Math.floor(n / 1000) % 10;
  const hundreds = Math.floor(n / 100) % 10;
  const rest = n % 100;
  // 10,000 is ཁྲི; more is ཁྲི་ཕྲག + how many (20,000 ཁྲི་ཕྲག་གཉིས).
  if (tenThousands === 1) parts.push(['num.10000']);
  else if (tenThousands > 1) parts.push(['num.10000', 'num.phrag', clip(tenThousands)]);
  if (thousands) parts.push([clip(thousands * 1000)]);
  if (hundreds) parts.push([clip(hundreds * 100)]);
  if (rest) parts.push(boBelow100(rest));
  return parts.flatMap((part, i) => (i > 0 && i === parts.length - 1 ? ['num.dang', ...part] : part));
}

/**
 * Chinese by place value within 万: 十二, 二十, 一百零五, 一千零五, 一万零一十. A leading 1 before
 * 十 is silent (十二), except after a higher place (一百一十). A run of zeros between spoken places
 * is one 零. A leading 2 before 百/千/万 is 两 (两百, 两千, 两万): that is how numbers are said
 * aloud; 二百 is how they are read off a page, and the line speaks.
 */
function zhNumber(n: number): ClipId[] {
  if (n === 0) return ['num.0'];
  const places: Array<[number, ClipId | undefined]> = [
    [10_000, 'num.10000'],
    [1000, 'num.1000'],
    [100, 'num.100'],
    [10, 'num.10'],
    [1, undefined],
  ];
  const out: ClipId[] = [];
  let zeroPending = false;
  let remaining = n;
  for (const [value, word] of places) {
    // Taken from the top, each place holds one digit; only 万 can hold 10 (100,000 十万).
    const digit = Math.floor(remaining / value);
    remaining %= value;
    if (digit === 0) {
      if (out.length) zeroPending = true;
      continue;
    }
    if (zeroPending) out.push('num.0');
    zeroPending = false;
    const head = out.length === 0;
    // 十万: the count of 万 is itself a number.
    if (digit >= 10) out.push(...zhNumber(digit));
    else if (value === 10 && digit === 1 && head) {
      /* 十二, not 一十二 */
    } else if (digit === 2 && head && value >= 100) out.push('num.liang');
    else out.push(clip(digit));
    if (word) out.push(word);
  }
  return out;
}

/** English placeholders: "twelve thousand three hundred forty five". */
function enNumber(n: number): ClipId[] {
  const below1000 = (m: number): ClipId[] => {
    const out: ClipId[] = [];
    if (m >= 100) out.push(clip(Math.floor(m / 100)), 'num.100');
    const r = m % 100;
    if (r === 0) return out;
    if (r < 20) return [...out, clip(r)];
    out.push(clip(Math.floor(r / 10) * 10));
    if (r % 10) out.push(clip(r % 10));
    return out;
  };
  if (n === 0) return ['num.0'];
  const thousands = Math.floor(n / 1000);
  return [...(thousands ? [...below1000(thousands), 'num.1000'] : []), ...below1000(n % 1000)];
}

/**
 * A whole number 0…100,000 as clips in a language; larger numbers digit by digit.
 *
 * @example numberClips('bo', 21) // ['num.20', 'num.con.20', 'num.1'] ཉི་ཤུ་རྩ་གཅིག
 * @example numberClips('zh', 105) // ['num.1', 'num.100', 'num.0', 'num.5'] 一百零五
 */
export function numberClips(lang: SpeechLanguage, n: number): ClipId[] {
  check(n);
  if (n > MAX_SPOKEN_NUMBER) return digitClips(lang, String(n));
  if (lang === 'bo') return boNumber(n);
  if (lang === 'zh') return zhNumber(n);
  return enNumber(n);
}

/**
 * A code read one digit at a time (Q0321 → 0 3 2 1): anything not a digit is skipped, as the
 * letter of a code is said by the phrase around it. Full-width and Tibetan digits count too.
 */
export function digitClips(_lang: SpeechLanguage, digits: string): ClipId[] {
  const out: ClipId[] = [];
  for (const ch of digits.normalize('NFKC')) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x30 && code <= 0x39) out.push(clip(code - 0x30));
    else if (code >= 0x0f20 && code <= 0x0f29) out.push(clip(code - 0x0f20));
  }
  return out;
}

/**
 * A decimal written with a point ("4.25") as number, point, then each digit after it
 * (四点二五; བཞི་ཚེག་གཉིས་ལྔ). Not a number → [].
 */
export function decimalClips(lang: SpeechLanguage, value: string): ClipId[] {
  const match = /^(\d+)(?:\.(\d+))?$/u.exec(value.trim());
  if (!match) return [];
  const whole = numberClips(lang, Number(match[1]));
  return match[2] ? [...whole, 'num.point', ...digitClips(lang, match[2])] : whole;
}

/** The text of a number clip in a language, or undefined when the language has no such clip. */
export function numberText(lang: SpeechLanguage, id: ClipId): string | undefined {
  return numberWords[lang][id];
}
