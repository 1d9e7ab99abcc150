import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { referenceSeed } from '#core/reference/seed.ts';
import { buildReferenceData } from '#local/import-glossary.ts';

const glossary = new URL('../../../shared/data/glossary.csv', import.meta.url);

test('the committed seed is what the import tool makes of the shared glossary', { skip: !existsSync(glossary) && 'no ../shared glossary beside this checkout' }, () => {
  const fresh = buildReferenceData(readFileSync(glossary, 'utf8'), readFileSync(new URL('glossary.md', glossary), 'utf8'));
  assert.deepEqual(fresh, referenceSeed(), 'run: npx tsx functions/local/import-glossary.ts ../shared/data/glossary.csv');
});

test('the import refuses a glossary row it cannot place', () => {
  const csv = 'kind,id,en,zh,bo,wylie,aliases_en,aliases_zh,aliases_bo,source,confidence\ncommodity,quinoa,quinoa,藜麦,ཀི་ནོ,ki no,,,,x,low\n';
  assert.throws(() => buildReferenceData(csv, ''), /quinoa/);
});
