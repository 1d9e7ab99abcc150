/** The collector and reviewer price pages as a browser without JavaScript uses them: forms, redirects, cookies. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { parseIdentity } from '#core/prices/observation.ts';
import { jsonOf } from '#test/support/json.ts';
import { fieldError, formsTo, optionsOf, staffBrowser, upload } from '#test/support/price-web.ts';
import { day } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let collector: Awaited<ReturnType<typeof staffBrowser>>;
let reviewer: Awaited<ReturnType<typeof staffBrowser>>;
const COLLECTOR = '+8613900005678';
beforeAll(async () => {
  stack = await startTestStack();
  collector = await staffBrowser(stack, COLLECTOR, [{ role: 'collector', regions: ['pref_lhasa'] }]);
  reviewer = await staffBrowser(stack, '+8613900000702', [{ role: 'reviewer', regions: ['pref_lhasa'] }]);
});
afterAll(() => stack.close());

const entry = (over: Record<string, string> = {}) => ({
  commodity: 'barley_qingke',
  commodityText: '',
  market: 'mkt_lhasa_barkhor',
  date: day(stack, -1),
  price: '4.5',
  unit: 'jin',
  grade: '',
  kind: 'retail',
  ...over,
});

/** Enters a price through the form; returns the redirect target and the page it leads to. */
async function enter(who: typeof collector, fields: Record<string, string>, lang = 'en') {
  const page = await (await who.get(`/staff/prices/new?lang=${lang}`)).text();
  const res = await who.post('/staff/prices/new', page, fields);
  assert.equal(res.status, 303, await res.clone().text());
  const location = res.headers.get('location')!;
  return { location, html: await (await who.get(`${location}&lang=${lang}`)).text() };
}

describe('price entry and review pages (happy path, JavaScript off)', () => {
  test('the entry form offers only markets in the collector’s regions, today as the date, units and kinds by name', async () => {
    const res = await collector.get('/staff/prices/new?lang=zh');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<h1>录入价格<\/h1>/);
    const markets = optionsOf(html, 'market').map(([id]) => id);
    assert.ok(markets.includes('mkt_lhasa_barkhor'));
    assert.ok(markets.includes('mkt_lhasa_dongga'), 'a market of a county under the granted prefecture');
    assert.ok(!markets.includes('mkt_shigatse_gyirong_port'), 'no market outside the regions');
    assert.ok(!markets.includes('mkt_qinghai_xining'), 'no market outside every listed region');
    assert.ok(optionsOf(html, 'commodity').some(([id, label]) => id === 'barley_qingke' && label === '青稞'));
    assert.deepEqual(
      optionsOf(html, 'unit').map(([id]) => id),
      ['jin', 'kg', 'liang', 'head', 'piece'],
    );
    assert.ok(optionsOf(html, 'unit').some(([id, label]) => id === 'jin' && label === '斤'));
    assert.deepEqual(optionsOf(html, 'kind'), [
      ['wholesale', '批发'],
      ['retail', '零售'],
      ['farm_gate', '地头'],
    ]);
    assert.match(
      html,
      new RegExp(`id="date" name="date" type="date" value="${day(stack)}" min="2000-01-01" max="${day(stack)}"`),
    );
  });

  test('a collector’s entry waits for review; the reviewer approves it on the queue page and it is public', async () => {
    const { location, html } = await enter(collector, entry());
    assert.match(location, /^\/staff\/prices\/new\?saved=/);
    assert.match(
      html,
      /Saved: highland barley \(qingke\) · Barkhor market street \(Lhasa\) · \d{4}-\d\d-\d\d · 4\.50\/jin \(catty, 0\.5 kg\)\. It waits for a reviewer\./,
    );
    const identity = parseIdentity(new URL(location, 'http://x').searchParams.get('saved')!)!;
    assert.equal((await stack.deps.prices.getSubmission(identity))?.status, 'pending');
    assert.match(html, /<option value="mkt_lhasa_barkhor" selected="">/, 'the next entry starts from the same market');

    const queue = await (await reviewer.get('/staff/prices/review?region=pref_lhasa&lang=en')).text();
    assert.match(queue, /<h1>Review queue<\/h1>/);
    assert.match(queue, /\+86 139\*\*\*\*5678/, 'the collector, masked');
    assert.doesNotMatch(queue, /13900005678/);
    const row = formsTo(queue, '/staff/prices/review/approve').find((f) =>
      f.identity?.startsWith('barley_qingke|mkt_lhasa_barkhor'),
    )!;
    assert.equal(row.version, '1');
    const approved = await reviewer.post('/staff/prices/review/approve', queue, row);
    assert.equal(approved.status, 303);
    assert.equal(approved.headers.get('location'), '/staff/prices/review?region=pref_lhasa&done=approved');
    assert.match(
      await (await reviewer.get(`${approved.headers.get('location')}&lang=en`)).text(),
      /Approved\. The price is public now\./,
    );

    const latest = await jsonOf(await collector.get('/api/v1/prices/latest?commodity=barley_qingke'));
    assert.deepEqual(
      latest.items.map((i: Record<string, unknown>) => [i.marketId, i.price, i.unit, i.date]),
      [['mkt_lhasa_barkhor', '4.50', 'jin', day(stack, -1)]],
    );
  });

  test('a reviewer rejects with a reason: kept on the record, nothing published', async () => {
    const { location } = await enter(
      collector,
      entry({ commodity: '', commodityText: '小麦', price: '3.20', grade: '一级', kind: 'wholesale' }),
    );
    const identity = parseIdentity(new URL(location, 'http://x').searchParams.get('saved')!)!;
    assert.equal(identity.commodityId, 'wheat', 'the typed name wins over the empty list');
    const queue = await (await reviewer.get('/staff/prices/review?lang=en')).text();
    assert.match(queue, /Wholesale/);
    assert.match(queue, /一级/);
    const row = formsTo(queue, '/staff/prices/review/reject').find((f) => f.identity?.startsWith('wheat|'))!;
    const res = await reviewer.post('/staff/prices/review/reject', queue, { ...row, reason: 'Price from last week' });
    assert.equal(res.headers.get('location'), '/staff/prices/review?region=pref_lhasa&done=rejected');
    const stored = await stack.deps.prices.getSubmission(identity);
    assert.equal(stored?.status, 'rejected');
    assert.equal(stored?.rejectReason, 'Price from last week');
    assert.deepEqual((await jsonOf(await collector.get('/api/v1/prices/latest?commodity=wheat'))).items, []);
  });

  test('a reviewer’s own entry is approved at once; a far-off one is held and says why, in Tibetan', async () => {
    const { html } = await enter(
      reviewer,
      entry({ commodity: 'butter', price: '40', unit: 'jin', market: 'mkt_lhasa_tromsikhang' }),
    );
    assert.match(html, /Saved and approved: /);
    const held = await enter(
      reviewer,
      entry({ commodity: 'butter', price: '900', unit: 'jin', market: 'mkt_lhasa_tromsikhang', date: day(stack) }),
      'bo',
    );
    assert.match(held.html, /class="notice saved-held"/);
    assert.match(held.html, /<strong class="hold">[^<]*40\.00[^<]*<\/strong>/);
    const queue = await (await reviewer.get('/staff/prices/review?lang=zh')).text();
    assert.match(queue, /<tr class="held">/);
    assert.match(queue, /40\.00/);
    assert.equal(fieldError(held.html, 'price'), undefined);
  });

  test('/staff links to the pages the member’s roles allow', async () => {
    const mine = await (await collector.get('/staff?lang=en')).text();
    assert.match(mine, /href="\/staff\/prices\/new"/);
    assert.match(mine, /href="\/staff\/prices\/upload"/);
    assert.doesNotMatch(mine, /href="\/staff\/prices\/review"/);
    assert.match(await (await reviewer.get('/staff')).text(), /href="\/staff\/prices\/review"/);
  });

  test('upload: the preview shows every row’s verdict and writes nothing; Confirm imports exactly that file', async () => {
    // One row already pending (entered by form), so the file replaces it; the rest are new.
    await enter(collector, entry({ commodity: 'potato', price: '2.00', date: day(stack, -2) }));
    const csv = [
      '品名,市场,日期,价格,单位,规格',
      `青稞,东嘎批发市场,${day(stack, -2)},4.60,斤,`,
      `potato,mkt_lhasa_barkhor,${day(stack, -2)},2.10,jin,`,
      `酥油,冲赛康市场,${day(stack, -2)},38,斤,一级`,
    ].join('\n');
    const form = await (await collector.get('/staff/prices/upload?lang=en')).text();
    assert.match(form, /enctype="multipart\/form-data"/);
    assert.match(form, /href="\/api\/v1\/prices\/template\.csv"/);
    const res = await collector.raw('/staff/prices/upload/preview?lang=en', upload(form, csv, 'week 47.csv'));
    assert.equal(res.status, 200);
    const preview = await res.text();
    assert.match(preview, /week 47\.csv · utf-8 · 3 rows/);
    const verdicts = [...preview.matchAll(/<tr class="verdict-([a-z_]+)"><td class="num">(\d+)<\/td>/g)].map((m) => [
      m[2],
      m[1],
    ]);
    assert.deepEqual(verdicts, [
      ['2', 'new'],
      ['3', 'replaces_pending'],
      ['4', 'new'],
    ]);
    assert.match(preview, /Replaces a pending value<\/strong> · waits for review/);
    const barley = parseIdentity(`barley_qingke|mkt_lhasa_dongga|${day(stack, -2)}|retail||jin`)!;
    assert.equal(await stack.deps.prices.getSubmission(barley), undefined, 'the preview wrote nothing');

    const [confirm] = formsTo(preview, '/staff/prices/upload/confirm');
    assert.match(confirm!.token!, /^[0-9a-f]{64}\.\d+\.[\w-]{43}$/);
    const done = await collector.post('/staff/prices/upload/confirm', preview, confirm!);
    assert.equal(done.status, 303);
    const location = done.headers.get('location')!;
    assert.equal(
      location,
      '/staff/prices/upload?done=1&new=2&replaces_pending=1&correction=0&unchanged=0&held=0&pending=3&approved=0',
    );
    const result = await (await collector.get(`${location}&lang=zh`)).text();
    assert.match(result, /<h1>价格已保存<\/h1>/);
    assert.match(result, /新增：2/);
    assert.match(result, /等待审核：3/);
    assert.equal((await stack.deps.prices.getSubmission(barley))?.priceFen, 460);
    const potato = parseIdentity(`potato|mkt_lhasa_barkhor|${day(stack, -2)}|retail||jin`)!;
    assert.equal((await stack.deps.prices.getSubmission(potato))?.priceFen, 210);

    // The same file again: every row unchanged.
    const again = await (await collector.raw('/staff/prices/upload/preview?lang=en', upload(form, csv))).text();
    assert.deepEqual(
      [...again.matchAll(/<tr class="verdict-([a-z_]+)">/g)].map((m) => m[1]),
      ['unchanged', 'unchanged', 'unchanged'],
    );
  });

  test('the queue pages with a cursor: 50 a page, "More" for the rest', async () => {
    const county = await staffBrowser(stack, '+8613900000703', [
      { role: 'reviewer', regions: ['cty_lhasa_chengguan'] },
    ]);
    const base = {
      commodityId: 'milk',
      marketId: 'mkt_lhasa_nyangre',
      unit: 'jin',
      kind: 'retail' as const,
      source: 'test',
      collector: COLLECTOR,
      regionId: 'cty_lhasa_chengguan',
    };
    for (let i = 0; i < 52; i++)
      await stack.deps.prices.submit({
        ...base,
        date: day(stack, -100 - i),
        priceFen: 300 + i,
        submittedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      });
    const first = await (await county.get('/staff/prices/review?lang=en')).text();
    const rows = (html: string) =>
      formsTo(html, '/staff/prices/review/approve').filter((f) => f.identity!.startsWith('milk|'));
    assert.equal(formsTo(first, '/staff/prices/review/approve').length, 50);
    const more = /<a href="([^"]+)">More<\/a>/.exec(first)?.[1]?.replace(/&amp;/g, '&');
    assert.match(more ?? '', /^\/staff\/prices\/review\?region=cty_lhasa_chengguan&cursor=/);
    const second = await (await county.get(`${more}&lang=en`)).text();
    const seen = new Set([...rows(first), ...rows(second)].map((f) => f.identity));
    assert.equal(seen.size, 52, 'every milk entry once over the two pages');
    assert.doesNotMatch(second, />More<\/a>/);
  });
});
