/** Validates XML with xmllint (compiled to WebAssembly: no system xmllint needed) against the CAP 1.2 schema. */
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';

const capSchema = readFileSync(new URL('../fixtures/cap-v1.2.xsd', import.meta.url), 'utf8');

/** Validity against test/fixtures/cap-v1.2.xsd, with xmllint's messages when invalid. */
export async function validateCap(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: [{ fileName: 'alert.xml', contents: xml }],
    schema: [{ fileName: 'cap-v1.2.xsd', contents: capSchema }],
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}

/** Whether a document is well-formed XML (no schema): xmllint parses and reformats it (--format). */
export async function wellFormed(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: [{ fileName: 'doc.xml', contents: xml }],
    normalization: 'format',
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}
