import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { referenceSeed } from '#core/reference/seed.ts';

const data = referenceSeed();
const tibetan = /^[\u0F00-\u0FFF]+$/;

describe('reference seed', () => {
  test('holds every glossary commodity, region and market', () => {
    assert.equal(data.commodities.length, 33);
    assert.equal(data.regions.length, 82);
    assert.equal(data.markets.length, 13);
  });

  test('every one of the TAR’s 74 county-level divisions, under its prefecture, with its GB/T 2260 code', () => {
    const prefectures = data.regions.filter((r) => r.level === 'prefecture');
    const counties = data.regions.filter((r) => r.level === 'county');
    assert.equal(prefectures.length, 7);
    assert.equal(counties.length, 74);
    const perPrefecture = Object.fromEntries(
      prefectures.map((p) => [p.id, counties.filter((c) => c.parentId === p.id).length]),
    );
    assert.deepEqual(perPrefecture, {
      pref_lhasa: 8,
      pref_shigatse: 18,
      pref_chamdo: 11,
      pref_nyingchi: 7,
      pref_shannan: 12,
      pref_nagqu: 11,
      pref_ngari: 7,
    });
    const codes = new Map(data.regions.filter((r) => r.gbcode).map((r) => [r.gbcode!, r]));
    assert.equal(codes.size, 81, 'codes are unique: 7 prefectures and 74 counties');
    for (const p of prefectures) assert.match(p.gbcode ?? '', /^54\d\d00$/, p.id);
    for (const c of counties) {
      assert.match(c.gbcode ?? '', /^54\d\d(?!00)\d\d$/, c.id);
      assert.equal(
        codes.get(`${c.gbcode!.slice(0, 4)}00`)?.id,
        c.parentId,
        `${c.id}: the code's prefecture is its parent`,
      );
    }
    assert.equal(data.regions.find((r) => r.id === 'cty_lhasa_maizhokunggar')?.gbcode, '540127');
    assert.equal(data.regions.find((r) => r.id === 'town_ngari_shiquanhe')?.gbcode, undefined, 'a town has none');
  });

  test('region ids that markets, staff grants and stored data refer to are kept', () => {
    const ids = new Set(data.regions.map((r) => r.id));
    // The 27 regions of the first seed (before the county list was completed).
    const first = [
      'pref_lhasa',
      'pref_shigatse',
      'pref_chamdo',
      'pref_nyingchi',
      'pref_shannan',
      'pref_nagqu',
      'pref_ngari',
      'cty_lhasa_chengguan',
      'cty_lhasa_doilungdeqen',
      'cty_lhasa_lhunzhub',
      'cty_shigatse_samzhubze',
      'cty_shigatse_gyantse',
      'cty_shigatse_lhatse',
      'cty_shigatse_tingri',
      'cty_shigatse_bainang',
      'cty_shigatse_nyalam',
      'cty_shannan_nedong',
      'cty_shannan_gonggar',
      'cty_nyingchi_bayi',
      'cty_nyingchi_mainling',
      'cty_nyingchi_gongbogyamda',
      'cty_chamdo_karub',
      'cty_nagqu_seni',
      'cty_nagqu_amdo',
      'cty_nagqu_baingoin',
      'cty_ngari_gar',
      'town_ngari_shiquanhe',
    ];
    for (const id of first) assert.ok(ids.has(id), id);
  });

  test('markets sit in the county their names give', () => {
    const market = (id: string) => data.markets.find((m) => m.id === id)?.regionId;
    assert.equal(market('mkt_nagqu_biru_cordyceps'), 'cty_nagqu_biru');
    assert.equal(market('mkt_ngari_purang_tangga'), 'cty_ngari_burang');
    assert.equal(market('mkt_shigatse_gyirong_port'), 'cty_shigatse_gyirong');
    assert.equal(market('mkt_shigatse_yadong_renqinggang'), 'cty_shigatse_yadong');
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
