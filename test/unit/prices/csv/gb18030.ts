// A test-only GB18030 encoder for the characters of the two-byte (GBK) range, built by decoding
// every lead/trail byte pair once: Node has a GB18030 decoder but no encoder.
let table: Map<string, [number, number]> | undefined;

function gbkTable(): Map<string, [number, number]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gb18030', { fatal: true });
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      try {
        const c = decoder.decode(new Uint8Array([lead, trail]));
        if ([...c].length === 1 && !table.has(c)) table.set(c, [lead, trail]);
      } catch {
        // not a two-byte character
      }
    }
  }
  return table;
}

/** GB18030 bytes of ASCII and GBK characters (all this project's Chinese names); throws on others. */
export function encodeGb18030(text: string): Uint8Array {
  const out: number[] = [];
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x80) out.push(code);
    else {
      const pair = gbkTable().get(c);
      if (!pair) throw new Error(`no two-byte GB18030 code for ${c}`);
      out.push(...pair);
    }
  }
  return new Uint8Array(out);
}
