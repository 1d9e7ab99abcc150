/**
 * The public price pages on the real app and dynalite, in three languages, with prices entered
 * through the real POST /prices (an admin's entries are approved at once).
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { addDays, oneYearBefore } from '#core/dates.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let d: string;
const GRADE = '<b>一级</b> & "x"';

beforeAll(async () => {
  stack = await startTestStack();
  ({ api } = await priceStaff(stack));
  d = day(stack, -1);
  const put = async (
    commodity: string,
    market: string,
    date: string,
    price: string,
    extra: Record<string, string> = {},
  ) => {
    const res = await api('/prices', postJson({ commodity, market, date, price, unit: 'jin', ...extra }));
    assert.equal(res.status, 201, await res.text());
  };
  const y1 = oneYearBefore(d);
  const y2 = oneYearBefore(y1);
  // Barley at Dongga: about 4.00 in the same weeks of two earlier years, 6.00 now (high for the season).
  for (const [date, price] of [
    [addDays(y2, -4), '3.90'],
    [y2, '4.00'],
    [y1, '4.00'],
    [addDays(y1, 5), '4.10'],
    [addDays(d, -60), '4.60'],
    [addDays(d, -7), '5.00'],
    [d, '6.00'],
  ] as const) {
    await put('barley_qingke', 'mkt_lhasa_dongga', date, price);
  }
  // Barley at Barkhor: unchanged on the week.
  await put('barley_qingke', 'mkt_lhasa_barkhor', addDays(d, -10), '4.20');
  await put('barley_qingke', 'mkt_lhasa_barkhor', addDays(d, -3), '4.20');
  // Wheat: an old price. Butter: a grade with markup in it.
  await put('wheat', 'mkt_lhasa_dongga', addDays(d, -30), '3.10');
  await put('butter', 'mkt_lhasa_dongga', d, '30.00', { grade: GRADE });
});
afterAll(() => stack.close());

const page = async (path: string, lang = 'en') => {
  const res = await stack.app.request(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
  return { status: res.status, html: await res.text() };
};

describe('price pages', () => {
  test('/prices: the newest price of each commodity by group, old ones marked, in three languages', async () => {
    const en = await page('/prices');
    assert.equal(en.status, 200);
    assert.match(en.html, /<h1>Latest prices<\/h1>/);
    assert.match(en.html, /<h2>Grain and oilseed<\/h2>/);
    assert.match(en.html, /href="\/prices\/barley_qingke"/);
    // Barley's newest is Dongga's 6.00 (yesterday), not Barkhor's older 4.20.
    assert.match(en.html, /<strong class="num">6\.00<\/strong> <small>per jin · retail<\/small>/);
    assert.doesNotMatch(en.html, /4\.20/);
    assert.match(en.html, new RegExp(`${addDays(d, -30)}</span> <span class="badge badge-medium">old</span>`));
    assert.doesNotMatch(en.html, /<script/);

    const zh = await page('/prices', 'zh');
    assert.match(zh.html, /<html lang="zh"/);
    assert.match(zh.html, /最新价格/);
    assert.match(zh.html, /每斤 · 零售/);
    assert.match(zh.html, />旧</);

    const bo = await page('/prices', 'bo');
    assert.match(bo.html, /<span lang="bo" class="primary">ནས<\/span><span class="wylie" lang="bo-Latn"> nas<\/span>/);
    assert.match(bo.html, /རིན་གོང་གསར་ཤོས།/);
    assert.match(bo.html, /[0-9]\.[0-9]{2}/, 'ASCII digits in Tibetan too');
  });

  test('/prices/<commodity>: each market with changes, season flag, and the trend chart', async () => {
    const { status, html } = await page('/prices/barley_qingke');
    assert.equal(status, 200);
    // Dongga: +20.00% on the previous period (5.00), +50.00% on a year ago (4.00), high for the season.
    const dongga = /<tr><td><a href="\/prices\/bulletin\?market=mkt_lhasa_dongga">.*?<\/tr>/s.exec(html)?.[0] ?? '';
    assert.match(dongga, /▲ \+20\.00%.*5\.00 · /s);
    assert.match(dongga, /▲ \+50\.00%.*4\.00 · /s);
    assert.match(dongga, /<strong class="season high">high for the season<\/strong>/);
    assert.match(dongga, /median 4\.00 of the same weeks in 2 earlier years/);
    const barkhor = /<tr><td><a href="\/prices\/bulletin\?market=mkt_lhasa_barkhor">.*?<\/tr>/s.exec(html)?.[0] ?? '';
    assert.match(barkhor, /＝ 0\.00%/);
    assert.match(barkhor, /<td[^>]*>—<\/td><\/tr>$/, 'no season check without earlier years');
    // The chart: an accessible SVG with one line per market.
    assert.match(html, /<svg viewBox="0 0 \d+ \d+" role="img" aria-labelledby="chart-t chart-d"/);
    assert.match(html, /<title id="chart-t">highland barley \(qingke\) · Price over 12 months<\/title>/);
    assert.match(
      html,
      /<desc id="chart-d">Price in yuan per jin \(retail\) from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}: [^<]*6\.00/,
    );
    assert.equal(html.match(/<polyline/g)?.length, 2);
    assert.ok(gzipSync(html).length < 14 * 1024, `gzip ${gzipSync(html).length} bytes`);

    const one = await page('/prices/barley_qingke?market=mkt_lhasa_barkhor');
    assert.equal(one.html.match(/<polyline/g)?.length, 1, '?market= draws that market only');
    assert.match(one.html, /<option value="mkt_lhasa_barkhor" selected="">/);

    const bo = await page('/prices/barley_qingke', 'bo');
    assert.match(bo.html, /དུས་ཚིགས་ལས་མཐོ།/);
    const zh = await page('/prices/barley_qingke', 'zh');
    assert.match(zh.html, /高于同季/);
  });

  test('/prices/<unknown>: 404 page; a commodity without prices says so', async () => {
    assert.equal((await page('/prices/unicorn_horn')).status, 404);
    const none = await page('/prices/cashmere');
    assert.equal(none.status, 200);
    assert.match(none.html, /No reviewed price of this product yet\./);
  });

  test('/prices/bulletin: heading, N down · M up · K flat, each item, the year switch and recent dates', async () => {
    const { status, html } = await page(`/prices/bulletin?market=mkt_lhasa_dongga&date=${d}`);
    assert.equal(status, 200);
    assert.match(html, new RegExp(`<h2>Dongga wholesale market[^<]*, ${d}</h2>`));
    assert.match(html, /<p class="counts">0 down, 1 up, 0 flat<\/p>/);
    assert.match(html, /5\.00 <small class="muted">/);
    assert.match(html, /▲ \+20\.00%/);
    assert.match(html, new RegExp(`href="/prices/bulletin\\?market=mkt_lhasa_dongga&amp;date=${d}&amp;compare=year"`));
    assert.match(html, new RegExp(`<option selected="">${d}</option>`));
    assert.match(html, new RegExp(`<option>${addDays(d, -7)}</option>`));
    // The grade is text, never markup.
    assert.ok(
      html.includes('&lt;b&gt;一级&lt;/b&gt; &amp; &quot;x&quot;') ||
        html.includes('&lt;b&gt;一级&lt;/b&gt; &amp; "x"'),
    );
    assert.doesNotMatch(html, /<b>一级/);

    const year = await page(`/prices/bulletin?market=mkt_lhasa_dongga&date=${d}&compare=year`, 'zh');
    assert.match(year.html, /<p class="counts">0降、1涨、0平<\/p>/);
    assert.match(year.html, /去年同期/);
    // A date without prices, in the date list in order, with nothing to show.
    const quiet = await page(`/prices/bulletin?market=mkt_lhasa_dongga&date=${addDays(d, -2)}`);
    assert.match(quiet.html, /No reviewed prices at this market yet\./);
    const listed = [...quiet.html.matchAll(/<option(?: selected="")?>(\d{4}-\d{2}-\d{2})<\/option>/g)].map(
      (m) => m[1]!,
    );
    assert.ok(listed.includes(addDays(d, -2)));
    assert.deepEqual(listed, [...listed].sort().reverse());
    const bo = await page('/prices/bulletin?market=mkt_lhasa_dongga', 'bo');
    assert.match(bo.html, /<p class="counts">0 དམའ། 1 མཐོ། 0 འགྱུར་མེད།<\/p>/);
  });

  test("/prices/bulletin: a form first; an unknown market or a future date is a 400 page in the reader's language", async () => {
    const form = await page('/prices/bulletin');
    assert.equal(form.status, 200);
    assert.match(form.html, /<form method="get" action="\/prices\/bulletin"/);
    const unknown = await page('/prices/bulletin?market=%3Cscript%3Ex', 'zh');
    assert.equal(unknown.status, 400);
    assert.match(unknown.html, /role="alert">未知市场“&lt;script&gt;x”/);
    const future = await page(`/prices/bulletin?market=mkt_lhasa_dongga&date=${day(stack, 3)}`);
    assert.equal(future.status, 400);
    assert.match(future.html, /is in the future/);
  });

  test('/prices/sheet: every latest price at one market, dated; unknown market 404', async () => {
    const { status, html } = await page('/prices/sheet?market=mkt_lhasa_dongga');
    assert.equal(status, 200);
    assert.match(html, /<div class="sheet">/);
    assert.match(html, new RegExp(`Reviewed prices as of ${d}`));
    for (const price of ['6.00', '3.10', '30.00'])
      assert.match(html, new RegExp(`<strong class="num">${price.replace('.', '\\.')}</strong>`));
    assert.doesNotMatch(html, /4\.20/, 'only this market');
    // Each commodity's two-digit number, pressed on the voice line (core/voice/speech/sheet-numbers.ts).
    for (const no of ['10', '11', '52']) assert.match(html, new RegExp(`<td><span class="sheet-no">${no}</span>`));
    assert.match((await page('/prices/sheet')).html, /href="\/prices\/sheet\?market=mkt_lhasa_dongga"/);
    assert.equal((await page('/prices/sheet?market=nowhere')).status, 404);
    const byName = await page(`/prices/sheet?market=${encodeURIComponent('东嘎批发市场')}`, 'zh');
    assert.match(byName.html, /<strong class="num">6\.00<\/strong>/, 'a market by any of its names');
  });

  test('links: the navigation, the home page and a market page lead to the price pages', async () => {
    assert.match((await page('/')).html, /<a href="\/prices"[^>]*>Prices<\/a>/);
    const market = await page('/markets/mkt_lhasa_dongga');
    assert.match(market.html, /href="\/prices\/bulletin\?market=mkt_lhasa_dongga"/);
    assert.match(market.html, /href="\/prices\/sheet\?market=mkt_lhasa_dongga"/);
  });
});
