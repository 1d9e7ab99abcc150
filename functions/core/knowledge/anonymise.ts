/**
 * A farmer's question made fit for a public guide: phone numbers and question codes taken
 * out (a name typed in the text is for the editor to see: the draft goes through review).
 */

/** Runs of digits that may be a phone number: 7 or more digits, spaces, dashes, dots or brackets between, an optional +. */
const PHONE = /\+?\d[\d\s\-.()]{5,}\d/gu;
/** Our question codes as typed: Q1234, q 1234. */
const CODE = /\b[qQ]\s?\d{3,8}\b/gu;

const digitCount = (s: string) => (s.match(/\d/gu) ?? []).length;

/**
 * @example anonymise('Q4821 call me 138 0000 0001') // '… call me …'
 */
export function anonymise(text: string): string {
  return text
    .replace(CODE, '…')
    .replace(PHONE, (m) => (digitCount(m) >= 7 ? '…' : m))
    .replace(/[ \t]{2,}/gu, ' ')
    .trim();
}
