import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { referenceSeed } from '#core/reference/seed.ts';

const data = referenceSeed();
const tibetan = /^[\u0F00-\u0FFF]+$/;

describe('reference seed', () => {
  test('holds every glossary commodity, region and market', () => {
    assert.equal(data.commodities.length, 33);
    assert.equal(data.regions.length, 82);
    assert.equal(data.markets.length, 13);
  });

  test('ids are unique within each kind', () => {
    for (const list of [data.commodities, data.regions, data.markets, data.units]) {
      assert.equal(new Set(list.map((i) => i.id)).size, list.length);
    }
  });

  test('every region parent and market region exists and is of a higher level', () => {
    const regions = new Map(data.regions.map((r) => [r.id, r]));
    const rank = { prefecture: 0, county: 1, town: 2 } as const;
    for (const r of data.regions) {
      if (r.level === 'prefecture') assert.equal(r.parentId, null);
      else {
        const parent = regions.get(r.parentId!);
        assert.ok(parent, `${r.id} parent ${r.parentId}`);
        assert.ok(rank[parent.level] < rank[r.level], r.id);
      }
    }
    for (const m of data.markets) {
      if (m.regionId) assert.ok(regions.has(m.regionId), `${m.id} region ${m.regionId}`);
      else assert.notEqual(m.province, 'XZ', `${m.id}: a Tibet market must name its region`);
    }
  });

  test('every default unit exists', () => {
    const units = new Set(data.units.map((u) => u.id));
    for (const c of data.commodities) assert.ok(units.has(c.defaultUnit), `${c.id} → ${c.defaultUnit}`);
  });

  test('Tibetan names are Tibetan script without trailing tsheg/shad; Wylie aliases pair with Tibetan ones', () => {
    for (const item of [...data.commodities, ...data.regions, ...data.markets]) {
      assert.match(item.names.bo.replace(/[\u0F0B ]/g, ''), tibetan, item.id);
      assert.doesNotMatch(item.names.bo, /[\u0F0B\u0F0D]$/, item.id);
      assert.ok(item.wylie.length > 0, item.id);
      assert.equal(item.aliases.wylie.length, item.aliases.bo.length, item.id);
    }
  });

  test('confidence is kept so reviewers can see what needs checking', () => {
    assert.equal(data.commodities.find((c) => c.id === 'matsutake')?.confidence, 'low');
    assert.ok(data.markets.some((m) => m.confidence === 'medium'));
  });

  test('mass units convert to kg: jin 0.5, liang 0.05', () => {
    const unit = (id: string) => data.units.find((u) => u.id === id);
    assert.equal(unit('jin')?.perBase, 0.5);
    assert.equal(unit('liang')?.perBase, 0.05);
    assert.equal(unit('kg')?.perBase, 1);
    assert.equal(unit('head')?.dimension, 'count');
  });
});
