/**
 * "Per unit" on the price pages (web/components/price-cells.tsx) in each language: Tibetan
 * names a head by its animal and joins རེར with a tsheg, as SMS replies do; never a Chinese
 * classifier in Tibetan where the animal has a Tibetan name.
 */
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { type Language, translatorFor } from '#core/i18n.ts';
import { seedCatalog } from '#test/support/sms-catalog.ts';
import { perUnit } from '#web/components/price-cells.tsx';

const catalog = seedCatalog();
const per = (lang: Language, unit: string, commodity: string) =>
  perUnit({ t: translatorFor(lang), lang, catalog }, unit, commodity);

test('per unit on the price pages, in every language', () => {
  assert.deepEqual(
    ['bo', 'zh', 'en'].map((l) => per(l as Language, 'head', 'yak_live')),
    ['གཡག་རེར', '每头', 'per head'],
  );
  assert.deepEqual(
    ['bo', 'zh', 'en'].map((l) => per(l as Language, 'piece', 'cordyceps')),
    ['རྡོག་རེར', '每个', 'per piece'],
  );
  assert.deepEqual(
    ['bo', 'zh', 'en'].map((l) => per(l as Language, 'jin', 'butter')),
    ['རྒྱ་མ་རེར', '每斤', 'per jin'],
  );
  for (const unit of catalog.units?.values() ?? [])
    assert.doesNotMatch(per('bo', unit.id, 'sheep_live'), /\p{Script=Han}/u, unit.id);
});
