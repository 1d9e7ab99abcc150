import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { shanghaiDay } from '#core/dates.ts';
import { jsonOf } from '#test/support/json.ts';
import { csvText, postCsv, postCsvForm } from '#test/support/price-import.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { nextHour } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let admin: string;
let collector: string;
let reviewer: string;
beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  ({ api, admin } = staff);
  collector = await staff.member('+8613900000501', 'collector', ['pref_lhasa']);
  reviewer = await staff.member('+8613900000502', 'reviewer', ['pref_lhasa']);
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

const bureauHeader = '品名,市场,日期,本期价格,单位,规格';
const history = async (commodity: string, market: string, extra = '') =>
  (await jsonOf(await api(`/prices?commodity=${commodity}&market=${market}&from=2000-01-01${extra}`))).items as {
    date: string;
    price: string;
  }[];
/** UTF-8 text keeping a byte-order mark (Response.text() and a default TextDecoder drop it). */
const withBom = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
const verdicts = (body: { rows: { line: number; verdict: string; status: string }[] }) =>
  body.rows.map((r) => [r.line, r.verdict, r.status]);

describe('POST /api/v1/prices/import (happy path)', () => {
  test('a reviewer imports a bureau file: rows approved and public, the file kept, the import audited', async () => {
    const text = csvText(
      bureauHeader,
      `小麦,八廓街,${day(stack, -2)},3.20,斤,`,
      `小麦,八廓街,${day(stack, -1)},3.30,斤,`,
      `小麦,冲赛康市场,${day(stack, -1)},3.25,斤,`,
    );
    // Read first, so the process has wheat's (empty) latest prices in its cache: the import must drop them.
    assert.deepEqual((await jsonOf(await api('/prices/latest?commodity=wheat'))).items, []);
    const res = await postCsv(api, text, reviewer);
    assert.equal(res.status, 201);
    const body = await jsonOf(res);
    assert.equal(body.dryRun, false);
    assert.equal(body.encoding, 'utf-8');
    assert.deepEqual(body.counts, {
      rows: 3,
      new: 3,
      replaces_pending: 0,
      unchanged: 0,
      correction: 0,
      held: 0,
      pending: 0,
      approved: 3,
    });
    assert.deepEqual(verdicts(body), [
      [2, 'new', 'approved'],
      [3, 'new', 'approved'],
      [4, 'new', 'approved'],
    ]);
    assert.deepEqual(
      body.rows.map((r: Record<string, unknown>) => [r.commodityId, r.marketId, r.price, r.priceFen, r.unit, r.kind]),
      [
        ['wheat', 'mkt_lhasa_barkhor', '3.20', 320, 'jin', 'retail'],
        ['wheat', 'mkt_lhasa_barkhor', '3.30', 330, 'jin', 'retail'],
        ['wheat', 'mkt_lhasa_tromsikhang', '3.25', 325, 'jin', 'retail'],
      ],
    );

    assert.deepEqual(
      (await history('wheat', 'mkt_lhasa_barkhor')).map((p) => p.price),
      ['3.20', '3.30'],
    );
    const latest = await jsonOf(await api('/prices/latest?commodity=wheat'));
    assert.deepEqual(latest.items.map((i: { marketId: string; price: string }) => [i.marketId, i.price]).sort(), [
      ['mkt_lhasa_barkhor', '3.30'],
      ['mkt_lhasa_tromsikhang', '3.25'],
    ]);

    const kept = await stack.files.get(body.file.key);
    assert.equal(new TextDecoder().decode(kept!.body), text, 'the upload is kept byte for byte');
    assert.match(body.file.key, /^imports\/prices\/[0-9a-f]{64}\.csv$/);

    const audit = await jsonOf(await api(`/audit?day=${shanghaiDay(stack.deps.now())}`, {}, admin));
    const entry = audit.items.find((e: { action: string }) => e.action === 'price.import');
    assert.equal(entry?.actor, '+8613900000502');
    assert.equal(entry?.target, body.file.key);
    assert.equal(entry?.detail.approved, 3);
  });

  test('?dryRun=true previews every row and writes nothing', async () => {
    const text = csvText(
      bureauHeader,
      `豌豆,八廓街,${day(stack, -1)},5.00,斤,`,
      `豌豆,八廓街,${day(stack, -1)},5.50,公斤,`,
    );
    const res = await postCsv(api, text, reviewer, { dryRun: 'true' });
    assert.equal(res.status, 200);
    const body = await jsonOf(res);
    assert.equal(body.dryRun, true);
    assert.deepEqual(verdicts(body), [
      [2, 'new', 'approved'],
      [3, 'new', 'approved'],
    ]);
    assert.equal(body.file, undefined);
    assert.deepEqual(await history('peas', 'mkt_lhasa_barkhor'), []);
    assert.deepEqual(await history('peas', 'mkt_lhasa_barkhor', '&unit=kg'), []);
  });

  test('the same file twice: no duplicates, every row unchanged the second time', async () => {
    const text = csvText(
      bureauHeader,
      `荞麦,八廓街,${day(stack, -3)},2.10,斤,一级`,
      `荞麦,八廓街,${day(stack, -2)},2.20,斤,一级`,
    );
    assert.equal((await postCsv(api, text, reviewer)).status, 201);
    const again = await postCsv(api, text, reviewer);
    assert.equal(again.status, 201);
    const body = await jsonOf(again);
    assert.deepEqual(verdicts(body), [
      [2, 'unchanged', 'approved'],
      [3, 'unchanged', 'approved'],
    ]);
    assert.equal(body.counts.unchanged, 2);
    assert.deepEqual(
      (await history('buckwheat', 'mkt_lhasa_barkhor', `&grade=${encodeURIComponent('一级')}`)).map((p) => p.price),
      ['2.10', '2.20'],
    );
  });

  test("a collector's rows wait for review; a reviewer's file then approves the pending one and corrects an approved one", async () => {
    const d1 = day(stack, -2);
    const d2 = day(stack, -1);
    const mine = await postCsv(
      api,
      csvText(bureauHeader, `萝卜,八廓街,${d1},1.50,斤,`, `萝卜,八廓街,${d2},1.60,斤,`),
      collector,
    );
    assert.equal(mine.status, 201);
    assert.deepEqual(verdicts(await jsonOf(mine)), [
      [2, 'new', 'pending'],
      [3, 'new', 'pending'],
    ]);
    assert.deepEqual(await history('radish', 'mkt_lhasa_barkhor'), [], 'pending prices are not public');
    const queue = await jsonOf(await api('/prices/pending?region=pref_lhasa', {}, reviewer));
    assert.equal(
      queue.items.filter(
        (p: { commodityId: string; source: string }) => p.commodityId === 'radish' && p.source === 'csv',
      ).length,
      2,
    );

    // The collector sends the same file again with one value changed: that pending value is replaced.
    const resent = await postCsv(
      api,
      csvText(bureauHeader, `萝卜,八廓街,${d1},1.50,斤,`, `萝卜,八廓街,${d2},1.65,斤,`),
      collector,
    );
    assert.deepEqual(verdicts(await jsonOf(resent)), [
      [2, 'unchanged', 'pending'],
      [3, 'replaces_pending', 'pending'],
    ]);

    // The reviewer approves line 2's value by import, then corrects it.
    const approved = await jsonOf(await postCsv(api, csvText(bureauHeader, `萝卜,八廓街,${d1},1.50,斤,`), reviewer));
    assert.deepEqual(
      approved.rows.map((r: Record<string, unknown>) => [r.verdict, r.status, r.current]),
      [['replaces_pending', 'approved', '1.50']],
    );
    const corrected = await jsonOf(await postCsv(api, csvText(bureauHeader, `萝卜,八廓街,${d1},1.55,斤,`), reviewer));
    assert.deepEqual(
      corrected.rows.map((r: Record<string, unknown>) => [r.verdict, r.status, r.current]),
      [['correction', 'approved', '1.50']],
    );
    assert.deepEqual(
      (await history('radish', 'mkt_lhasa_barkhor')).map((p) => [p.date, p.price]),
      [[d1, '1.55']],
    );
    const identity = encodeURIComponent(['radish', 'mkt_lhasa_barkhor', d1, 'retail', '', 'jin'].join('|'));
    assert.equal(
      (
        await api(
          `/prices/${identity}/approve`,
          { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' },
          reviewer,
        )
      ).status,
      409,
      'already approved',
    );
  });

  test('a price over 10× the recent median is held for review with the reason, in the caller’s language', async () => {
    const lines = [-5, -4, -3].map((d) => `苹果,八廓街,${day(stack, d)},4.00,斤,`);
    assert.equal((await postCsv(api, csvText(bureauHeader, ...lines), reviewer)).status, 201);
    const res = await postCsv(
      api,
      csvText(bureauHeader, `苹果,八廓街,${day(stack, -1)},45.00,斤,`, `苹果,八廓街,${day(stack, -2)},4.20,斤,`),
      reviewer,
      { lang: 'zh' },
    );
    assert.equal(res.status, 201);
    const body = await jsonOf(res);
    assert.deepEqual(verdicts(body), [
      [2, 'held', 'pending'],
      [3, 'new', 'approved'],
    ]);
    assert.match(body.rows[0].holdReason, /4\.00/);
    assert.match(body.rows[0].holdReason, /[\u4e00-\u9fff]/u, 'in Chinese');
    assert.deepEqual(
      (await history('apple', 'mkt_lhasa_barkhor')).map((p) => p.price),
      ['4.00', '4.00', '4.00', '4.20'],
    );
    const queue = await jsonOf(await api('/prices/pending?region=pref_lhasa', {}, reviewer));
    const held = queue.items.find((p: { commodityId: string }) => p.commodityId === 'apple');
    assert.match(held?.holdReason ?? '', /recent median 4\.00/);
  });

  test('a multipart form upload (field "file") works like a CSV body and keeps the file name', async () => {
    const text = csvText(
      'commodity,market,date,price,unit,kind',
      `turnip,mkt_lhasa_dongga,${day(stack, -1)},1.10,kg,wholesale`,
    );
    const res = await postCsvForm(api, text, reviewer, '周报.csv');
    assert.equal(res.status, 201);
    const body = await jsonOf(res);
    assert.deepEqual(
      body.rows.map((r: Record<string, unknown>) => [r.commodityId, r.marketId, r.unit, r.kind, r.verdict]),
      [['turnip', 'mkt_lhasa_dongga', 'kg', 'wholesale', 'new']],
    );
    assert.equal(body.file.name, '周报.csv');
  });
});

describe('GET /api/v1/prices.csv and /prices/template.csv', () => {
  test('the export is UTF-8 with BOM and CRLF in the template columns, and imports again as unchanged', async () => {
    const rows = [
      `酥油,八廓街,${day(stack, -3)},30.00,斤,"一级, 新"`,
      `酥油,八廓街,${day(stack, -2)},31.50,斤,"一级, 新"`,
    ];
    assert.equal((await postCsv(api, csvText(bureauHeader, ...rows), reviewer)).status, 201);

    const res = await api(
      `/prices.csv?commodity=butter&market=mkt_lhasa_barkhor&grade=${encodeURIComponent('一级, 新')}`,
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /^attachment; filename="prices-butter-mkt_lhasa_barkhor\.csv"$/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = withBom(bytes);
    assert.equal(
      text,
      '\uFEFFcommodity,market,date,price,unit,grade,kind,source\r\n' +
        `butter,mkt_lhasa_barkhor,${day(stack, -3)},30.00,jin,"一级, 新",retail,csv\r\n` +
        `butter,mkt_lhasa_barkhor,${day(stack, -2)},31.50,jin,"一级, 新",retail,csv\r\n`,
    );

    const again = await jsonOf(await postCsv(api, bytes, reviewer, { dryRun: 'true' }));
    assert.equal(again.encoding, 'utf-8-bom');
    assert.deepEqual(verdicts(again), [
      [2, 'unchanged', 'approved'],
      [3, 'unchanged', 'approved'],
    ]);
  });

  test('an export streams every page of a long history', async () => {
    const dates = Array.from({ length: 620 }, (_, i) => day(stack, -1 - i));
    assert.equal(
      (await postCsv(api, csvText(bureauHeader, ...dates.map((d) => `牛奶,冲赛康市场,${d},6.00,斤,`)), admin)).status,
      201,
    );
    const text = await (await api('/prices.csv?commodity=milk&market=mkt_lhasa_tromsikhang')).text();
    const lines = text.split('\r\n').filter(Boolean);
    assert.equal(lines.length, 1 + dates.length);
    assert.equal(lines[1]!.split(',')[2], dates[dates.length - 1], 'oldest first');
  });

  test('the OpenAPI document lists the import (served by its own Lambda) and both downloads', async () => {
    const doc = await jsonOf(await stack.app.request('/api/v1/openapi.json'));
    const post = doc.paths['/prices/import'].post;
    assert.deepEqual(post.security, [{ bearerToken: [] }, { sessionCookie: [] }]);
    assert.deepEqual(Object.keys(post.responses).sort(), ['200', '201', '400', '401', '403', '413', '415']);
    assert.ok(doc.components.schemas.PriceImportRow.properties.verdict);
    assert.ok(doc.paths['/prices.csv'].get.responses['200'].content['text/csv']);
    assert.ok(doc.paths['/prices/template.csv'].get);
  });

  test('the template downloads as an attachment and passes a dry run', async () => {
    const res = await api('/prices/template.csv');
    assert.equal(res.status, 200);
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /^attachment; filename="zhingdrok-prices-template\.csv"$/,
    );
    const text = withBom(new Uint8Array(await res.arrayBuffer()));
    assert.ok(text.startsWith('\uFEFFcommodity,market,date,price,unit,grade,kind,source\r\n'));
    const check = await postCsv(api, text, admin, { dryRun: 'true' });
    assert.equal(check.status, 200, await check.clone().text());
    assert.equal((await jsonOf(check)).rows[0].commodityId, 'barley_qingke');
  });
});
