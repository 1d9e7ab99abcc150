/**
 * Turns an uploaded CSV file's bytes into text. Bureaus' files come from Chinese Excel, which
 * saves "CSV" as GBK (a subset of GB18030) unless told otherwise; our template and most other
 * tools write UTF-8, with or without a byte-order mark. Excel's "Unicode text" is UTF-16 with a
 * BOM. Pure: uses only the WHATWG TextDecoder (Node ships full ICU, so gb18030 is available).
 */

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface DecodedCsv {
  text: string;
  encoding: CsvEncoding;
  /** True when the bytes were valid in no encoding we read, and U+FFFD replaced what was not. */
  lossy: boolean;
}

function tryDecode(label: string, bytes: Uint8Array): string | null {
  try {
    // ignoreBOM: the BOM has already been skipped (or was absent); keep any other U+FEFF as is.
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * Decodes CSV bytes: a BOM decides (UTF-8, UTF-16LE/BE); otherwise strict UTF-8 if the bytes are
 * valid UTF-8 (ASCII-only files land here too), else GB18030, which reads GBK and GB2312.
 * Never throws; bytes valid in no encoding are decoded as GB18030 with replacements, flagged lossy.
 *
 * @example decodeCsv(new Uint8Array([0xc6, 0xb7, 0xc3, 0xfb])) // { text: '品名', encoding: 'gb18030', lossy: false }
 */
export function decodeCsv(bytes: Uint8Array): DecodedCsv {
  const boms: [readonly number[], CsvEncoding, string][] = [
    [[0xef, 0xbb, 0xbf], 'utf-8-bom', 'utf-8'],
    [[0xff, 0xfe], 'utf-16le', 'utf-16le'],
    [[0xfe, 0xff], 'utf-16be', 'utf-16be'],
  ];
  for (const [bom, encoding, label] of boms) {
    if (!startsWith(bytes, bom)) continue;
    const body = bytes.subarray(bom.length);
    const text = tryDecode(label, body);
    if (text !== null) return { text, encoding, lossy: false };
    return { text: new TextDecoder(label, { ignoreBOM: true }).decode(body), encoding, lossy: true };
  }
  const utf8 = tryDecode('utf-8', bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8', lossy: false };
  const gb = tryDecode('gb18030', bytes);
  if (gb !== null) return { text: gb, encoding: 'gb18030', lossy: false };
  return { text: new TextDecoder('gb18030', { ignoreBOM: true }).decode(bytes), encoding: 'gb18030', lossy: true };
}
