import { normaliseText } from '../text/normalise.ts';

/** Largest accepted price: 10,000,000 yuan, in fen. Anything above is a typing slip. */
export const MAX_PRICE_FEN = 1_000_000_000;

export type MoneyFailure = 'not_a_number' | 'zero_or_negative' | 'too_many_decimals' | 'too_large';
export type MoneyParse = { ok: true; fen: number } | { ok: false; reason: MoneyFailure };

// After normaliseText: full-width ￥ is ¥ (NFKC), Tibetan and full-width digits are ASCII, Latin is lower case.
const currencyPrefix = /^¥\s*/u;
const currencySuffix = /\s*(?:元|块|sgor)$/u;
const minus = /^[-\u2212]/u;
const decimal = /^(\d*)(?:\.(\d*))?$/u;

/**
 * Parses a price typed by a person into integer fen, with string arithmetic only (no floats).
 * Accepts `4.5`, `4.50`, `４.５０`, `༤.༥`, `4`, `.5`, a leading ¥/￥ and a trailing 元, 块 or
 * sgor (Tibetan for "silver coin, yuan"). Trailing zeros past the second decimal (`4.500`, as
 * Excel writes) lose nothing and are accepted; any other third decimal is a failure, never rounded.
 *
 * @example parseFen('￥４.５元') // { ok: true, fen: 450 }
 */
export function parseFen(input: string): MoneyParse {
  let text = normaliseText(input).text.replace(currencyPrefix, '').replace(currencySuffix, '').trim();
  let negative = false;
  if (minus.test(text)) {
    negative = true;
    text = text.replace(minus, '').trim();
  }
  const match = decimal.exec(text);
  if (!match) return { ok: false, reason: 'not_a_number' };
  const whole = match[1] ?? '';
  let fraction = (match[2] ?? '').replace(/0+$/u, '');
  if (whole === '' && fraction === '' && !/\d/u.test(text)) return { ok: false, reason: 'not_a_number' };
  if (fraction.length > 2) return { ok: false, reason: 'too_many_decimals' };
  fraction = fraction.padEnd(2, '0');
  const digits = (whole + fraction).replace(/^0+/u, '');
  if (digits === '' || negative) return { ok: false, reason: 'zero_or_negative' };
  // Compare as strings so that a 30-digit input never goes through a lossy Number.
  const max = String(MAX_PRICE_FEN);
  if (digits.length > max.length || (digits.length === max.length && digits > max))
    return { ok: false, reason: 'too_large' };
  return { ok: true, fen: Number(digits) };
}

/**
 * Formats integer fen as yuan with exactly two decimals, without a currency sign.
 *
 * @example formatFen(450) // '4.50'
 */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fen must be a safe integer, got ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
