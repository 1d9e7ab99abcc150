/**
 * The GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table.
 *
 * A GSM-7 message is a sequence of 7-bit septets. Every character of the default alphabet takes
 * one septet; a character of the extension table is sent as the escape septet 0x1B followed by
 * its code, so it takes two septets and must never be split across the parts of a long message.
 *
 * Rule choices:
 * - Position 0x09 is the capital Ç (U+00C7), as printed in the standard; the small ç (U+00E7) is
 *   not in the alphabet and makes a message UCS-2 (mapping it to Ç would change the text).
 * - Only characters are listed: 0x1B (escape) itself, and the extension table's second escape and
 *   "CR2" positions, are control codes with no character of their own.
 * - No "smart" replacement (curly quotes → straight quotes and the like) happens here: the
 *   composer sends exactly the text it is given, and the segment count describes that text.
 */

/** Escape septet that introduces a character of the extension table. */
export const GSM7_ESCAPE = 0x1b;

/** The default alphabet, indexed by septet value (0x1B, the escape, is `null`). */
const BASIC_TABLE: readonly (string | null)[] = [
  // 0x00–0x0F
  '@',
  '£',
  '$',
  '¥',
  'è',
  'é',
  'ù',
  'ì',
  'ò',
  'Ç',
  '\n',
  'Ø',
  'ø',
  '\r',
  'Å',
  'å',
  // 0x10–0x1F
  'Δ',
  '_',
  'Φ',
  'Γ',
  'Λ',
  'Ω',
  'Π',
  'Ψ',
  'Σ',
  'Θ',
  'Ξ',
  null,
  'Æ',
  'æ',
  'ß',
  'É',
  // 0x20–0x2F
  ' ',
  '!',
  '"',
  '#',
  '¤',
  '%',
  '&',
  "'",
  '(',
  ')',
  '*',
  '+',
  ',',
  '-',
  '.',
  '/',
  // 0x30–0x3F
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  ':',
  ';',
  '<',
  '=',
  '>',
  '?',
  // 0x40–0x4F
  '¡',
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'I',
  'J',
  'K',
  'L',
  'M',
  'N',
  'O',
  // 0x50–0x5F
  'P',
  'Q',
  'R',
  'S',
  'T',
  'U',
  'V',
  'W',
  'X',
  'Y',
  'Z',
  'Ä',
  'Ö',
  'Ñ',
  'Ü',
  '§',
  // 0x60–0x6F
  '¿',
  'a',
  'b',
  'c',
  'd',
  'e',
  'f',
  'g',
  'h',
  'i',
  'j',
  'k',
  'l',
  'm',
  'n',
  'o',
  // 0x70–0x7F
  'p',
  'q',
  'r',
  's',
  't',
  'u',
  'v',
  'w',
  'x',
  'y',
  'z',
  'ä',
  'ö',
  'ñ',
  'ü',
  'à',
];

/** The extension table: character → code sent after the escape septet. */
const EXTENSION_TABLE: readonly (readonly [string, number])[] = [
  ['\f', 0x0a], // form feed (page break)
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
];

/** Default alphabet: character → septet value. 127 characters. */
export const GSM7_BASIC: ReadonlyMap<string, number> = new Map(
  BASIC_TABLE.flatMap((ch, code) => (ch === null ? [] : [[ch, code] as const])),
);

/** Extension table: character → code after the escape. 10 characters, 2 septets each. */
export const GSM7_EXTENSION: ReadonlyMap<string, number> = new Map(EXTENSION_TABLE);

/**
 * Septets that one character takes in GSM-7: 1 for the default alphabet, 2 for the extension
 * table, `undefined` when the character cannot be sent in GSM-7. `ch` is one code point.
 */
export function gsm7Septets(ch: string): 1 | 2 | undefined {
  if (GSM7_BASIC.has(ch)) return 1;
  if (GSM7_EXTENSION.has(ch)) return 2;
  return undefined;
}

/** True when every character of `text` is in the default alphabet or the extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) {
    if (gsm7Septets(ch) === undefined) return false;
  }
  return true;
}

/** Septets `text` takes in GSM-7, or `undefined` when it has a character GSM-7 cannot carry. */
export function gsm7Length(text: string): number | undefined {
  let septets = 0;
  for (const ch of text) {
    const n = gsm7Septets(ch);
    if (n === undefined) return undefined;
    septets += n;
  }
  return septets;
}

/**
 * The unpacked septets of `text` (one number 0–127 each, an extension character as 0x1B and its
 * code). Throws a RangeError naming the first character that GSM-7 cannot carry.
 */
export function toGsm7Septets(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const basic = GSM7_BASIC.get(ch);
    if (basic !== undefined) {
      out.push(basic);
      continue;
    }
    const ext = GSM7_EXTENSION.get(ch);
    if (ext === undefined) {
      const cp = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      throw new RangeError(`U+${cp} is not in the GSM 03.38 default alphabet or extension table`);
    }
    out.push(GSM7_ESCAPE, ext);
  }
  return out;
}
