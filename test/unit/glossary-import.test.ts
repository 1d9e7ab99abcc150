import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'vitest';
import { referenceSeed } from '#core/reference/seed.ts';
import { buildReferenceData } from '#local/import-glossary.ts';

const glossary = new URL('../../../shared/data/glossary.csv', import.meta.url);

test.skipIf(!existsSync(glossary) && 'no ../shared glossary beside this checkout')(
  'the committed seed is what the import tool makes of the shared glossary',
  () => {
    const fresh = buildReferenceData(
      readFileSync(glossary, 'utf8'),
      readFileSync(new URL('glossary.md', glossary), 'utf8'),
    );
    assert.deepEqual(
      fresh,
      referenceSeed(),
      'run: npx tsx functions/local/import-glossary.ts ../shared/data/glossary.csv',
    );
  },
);

test('the import refuses a glossary row it cannot place', () => {
  const csv =
    'kind,id,en,zh,bo,wylie,aliases_en,aliases_zh,aliases_bo,source,confidence\ncommodity,quinoa,quinoa,藜麦,ཀི་ནོ,ki no,,,,x,low\n';
  assert.throws(() => buildReferenceData(csv, ''), /quinoa/);
});

test('regions: a county’s parent is the prefecture of its GB/T 2260 code; a row that disagrees with itself is refused', () => {
  const header = 'kind,id,en,zh,bo,wylie,aliases_en,aliases_zh,aliases_bo,source,confidence,gbcode\n';
  const row = (id: string, gbcode: string) => `region,${id},${id},${id},ལྷ,lha,,,,x,high,${gbcode}\n`;
  const regions = (rows: string) => buildReferenceData(header + rows, '').regions;
  const pref = row('pref_lhasa', '540100') + row('pref_shigatse', '540200');

  const built = regions(
    pref +
      row('pref_ngari', '542500') +
      row('cty_lhasa_nyemo', '540123') +
      row('cty_ngari_gar', '542523') +
      row('town_ngari_shiquanhe', ''),
  );
  assert.deepEqual(
    built.map((r) => [r.id, r.level, r.parentId, r.gbcode]),
    [
      ['pref_lhasa', 'prefecture', null, '540100'],
      ['pref_shigatse', 'prefecture', null, '540200'],
      ['pref_ngari', 'prefecture', null, '542500'],
      ['cty_lhasa_nyemo', 'county', 'pref_lhasa', '540123'],
      ['cty_ngari_gar', 'county', 'pref_ngari', '542523'],
      ['town_ngari_shiquanhe', 'town', 'cty_ngari_gar', undefined],
    ],
  );
  assert.ok(!('gbcode' in built.at(-1)!), 'no gbcode key without a code');
  assert.throws(() => regions(pref + row('cty_lhasa_nyemo', '')), /cty_lhasa_nyemo: no GB\/T 2260 code/);
  assert.throws(
    () => regions(pref + row('cty_lhasa_nyemo', '540223')),
    /cty_lhasa_nyemo: gbcode 540223 places it in pref_shigatse/,
  );
  assert.throws(() => regions(pref + row('cty_lhasa_nyemo', '540323')), /no prefecture has code 540300/);
  assert.throws(() => regions(pref + row('cty_lhasa_nyemo', '540100')), /only they, end in 00/);
  assert.throws(
    () => regions(pref + row('cty_lhasa_nyemo', '540123') + row('cty_lhasa_quxu', '540123')),
    /540123 is also cty_lhasa_nyemo/,
  );
  assert.throws(() => regions(pref + row('town_lhasa_nowhere', '')), /no county for town town_lhasa_nowhere/);
});
