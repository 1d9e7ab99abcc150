import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { AppError } from '#core/errors.ts';
import { resolve, resolveRegion } from '#core/reference/resolve.ts';
import { seedCatalog } from '#test/support/sms-catalog.ts';

const catalog = seedCatalog();

/** The first detail of the 400 that `fn` throws. */
function refused(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'validation_failed');
    return err.details[0]!;
  }
  assert.fail('expected a validation_failed error');
}

describe('resolve: names → ids', () => {
  test('an id, or a name in any script, finds the commodity or market', () => {
    assert.equal(resolve(catalog, 'commodity', 'butter').id, 'butter');
    assert.equal(resolve(catalog, 'commodity', '酥油').id, 'butter');
    assert.equal(resolve(catalog, 'market', 'mkt_lhasa_tromsikhang').id, 'mkt_lhasa_tromsikhang');
    assert.equal(resolve(catalog, 'market', '冲赛康市场').id, 'mkt_lhasa_tromsikhang');
  });

  test('an unknown name is a 400 naming the text, with suggestions when some are close', () => {
    const far = refused(() => resolve(catalog, 'market', 'zzzzzzzzzz'));
    assert.equal(far.path, 'market');
    assert.match(far.key ?? '', /^errors:price\.unknown_market/);
    assert.equal(far.params?.text, 'zzzzzzzzzz');
    const near = refused(() => resolve(catalog, 'commodity', 'buter'));
    assert.equal(near.key, 'errors:price.unknown_commodity_suggest');
    assert.match(String(near.params?.names), /\(butter\)/);
  });

  test('resolveRegion: an id or a name that names only it; else a translated 400', () => {
    assert.equal(resolveRegion(catalog, 'pref_lhasa').id, 'pref_lhasa');
    const region = catalog.regions.get('pref_shigatse')!;
    assert.equal(resolveRegion(catalog, region.names.en).id, 'pref_shigatse');
    const d = refused(() => resolveRegion(catalog, 'atlantis'));
    assert.equal(d.key, 'errors:price.unknown_region');
    assert.deepEqual(d.params, { text: 'atlantis' });
  });
});
