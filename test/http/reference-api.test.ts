import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { referenceSeed } from '#core/reference/seed.ts';
import { jsonOf } from '#test/support/json.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

const get = (path: string, headers: Record<string, string> = {}) => stack.app.request(path, { headers });

describe('reference API', () => {
  test('lists every seeded commodity with names in three languages, Wylie and aliases', async () => {
    const res = await get('/api/v1/commodities');
    assert.equal(res.status, 200);
    const body = await jsonOf(res);
    assert.equal(body.items.length, referenceSeed().commodities.length);
    const barley = body.items.find((c: { id: string }) => c.id === 'barley_qingke');
    assert.deepEqual(barley.names, { bo: 'ནས', zh: '青稞', en: 'highland barley (qingke)' });
    assert.equal(barley.wylie, 'nas');
    assert.equal(barley.defaultUnit, 'jin');
    assert.deepEqual(barley.aliases.bo, ['ནས་འབྲུ']);
    assert.deepEqual(barley.aliases.wylie, ["nas 'bru"]);
    assert.ok(barley.aliases.zh.includes('青稞麦'));
    assert.equal(body.cursor, undefined);
    // storage attributes never leak
    assert.equal(barley.pk, undefined);
    assert.equal(barley.origin, undefined);
  });

  test('pages with an opaque cursor and no item twice', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await get(`/api/v1/commodities?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200);
      const body = await jsonOf(res);
      seen.push(...body.items.map((c: { id: string }) => c.id));
      cursor = body.cursor;
      pages++;
    } while (cursor && pages < 20);
    assert.equal(
      pages,
      Math.ceil(referenceSeed().commodities.length / 10) + (referenceSeed().commodities.length % 10 === 0 ? 1 : 0),
    );
    assert.equal(new Set(seen).size, referenceSeed().commodities.length);
  });

  test('a cursor from another list, or garbage, is a 400 problem', async () => {
    const first = await jsonOf(await get('/api/v1/regions?limit=2'));
    assert.ok(first.cursor);
    const res = await get(`/api/v1/commodities?cursor=${first.cursor}`);
    assert.equal(res.status, 400);
    assert.equal((await jsonOf(res)).code, 'invalid_cursor');
    const junk = await get('/api/v1/commodities?cursor=%%%');
    assert.equal(junk.status, 400);
  });

  test('regions carry their parent; ?parent= lists children', async () => {
    const gyantse = await jsonOf(await get('/api/v1/regions/cty_shigatse_gyantse'));
    assert.equal(gyantse.parentId, 'pref_shigatse');
    assert.equal(gyantse.level, 'county');
    assert.equal(gyantse.names.bo, 'རྒྱལ་རྩེ');
    const children = await jsonOf(await get('/api/v1/regions?parent=pref_lhasa'));
    assert.deepEqual(children.items.map((r: { id: string }) => r.id).sort(), [
      'cty_lhasa_chengguan',
      'cty_lhasa_dagze',
      'cty_lhasa_damxung',
      'cty_lhasa_doilungdeqen',
      'cty_lhasa_lhunzhub',
      'cty_lhasa_maizhokunggar',
      'cty_lhasa_nyemo',
      'cty_lhasa_quxu',
    ]);
  });

  test('regions carry their GB/T 2260 code (gbcode), in the list, one by one and in the OpenAPI document', async () => {
    const list = await jsonOf(await get('/api/v1/regions'));
    assert.equal(list.items.length, 82, 'every region in one default page');
    assert.equal(list.items.filter((r: { level: string }) => r.level === 'county').length, 74);
    for (const r of list.items) {
      if (r.level === 'town') assert.equal(r.gbcode, undefined, r.id);
      else assert.match(r.gbcode, /^54\d{4}$/, r.id);
    }
    const nyemo = await jsonOf(await get('/api/v1/regions/cty_lhasa_nyemo'));
    assert.deepEqual([nyemo.gbcode, nyemo.parentId, nyemo.names.zh], ['540123', 'pref_lhasa', '尼木县']);
    assert.equal((await jsonOf(await get('/api/v1/regions/pref_ngari'))).gbcode, '542500');
    const doc = await jsonOf(await get('/api/v1/openapi.json'));
    const region = doc.components.schemas.Region;
    assert.equal(region.properties.gbcode.type, 'string');
    assert.match(region.properties.gbcode.description, /GB\/T 2260/);
    assert.ok(!region.required.includes('gbcode'), 'optional: a town has none');
  });

  test('markets carry their region; ?region= lists the markets in it', async () => {
    const dongga = await jsonOf(await get('/api/v1/markets/mkt_lhasa_dongga'));
    assert.equal(dongga.regionId, 'cty_lhasa_doilungdeqen');
    assert.equal(dongga.names.zh, '拉萨市东嘎批发市场');
    const inChengguan = await jsonOf(await get('/api/v1/markets?region=cty_lhasa_chengguan'));
    assert.deepEqual(inChengguan.items.map((m: { id: string }) => m.id).sort(), [
      'mkt_lhasa_barkhor',
      'mkt_lhasa_nyangre',
      'mkt_lhasa_tromsikhang',
    ]);
  });

  test('units include jin = 0.5 kg', async () => {
    const { items } = await jsonOf(await get('/api/v1/units'));
    const jin = items.find((u: { id: string }) => u.id === 'jin');
    assert.equal(jin.perBase, 0.5);
    assert.equal(jin.names.zh, '斤');
  });

  test('unknown id → 404 problem+json translated by Accept-Language, with requestId', async () => {
    const res = await get('/api/v1/commodities/unobtainium', { 'Accept-Language': 'zh-CN,zh;q=0.9' });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const body = await jsonOf(res);
    assert.equal(body.code, 'not_found');
    assert.equal(body.title, '未找到');
    assert.match(body.detail, /unobtainium/);
    assert.equal(body.requestId, res.headers.get('x-request-id'));
    assert.ok(body.requestId.length >= 8);
  });

  test('invalid query → 400 validation problem naming the field', async () => {
    const res = await get('/api/v1/commodities?limit=0&lang=en');
    assert.equal(res.status, 400);
    const body = await jsonOf(res);
    assert.equal(body.code, 'validation_failed');
    assert.equal(body.errors[0].path, 'query.limit');
  });
});
