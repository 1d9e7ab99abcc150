/**
 * Every page fits a 360 × 640 phone in bo, zh and en: in a real headless
 * Chromium with JavaScript off, the page never scrolls sideways — a wide table may scroll
 * inside its own box — and the price chart's text is at least 11 px as rendered. Public pages
 * are visited for every commodity, region and market; staff pages signed in as an admin, with
 * a review queue, an upload preview and an audit log that have something in them.
 *
 * A failure names the page, the language, the page's width and the elements that stick out.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { beforeAll, test } from 'vitest';
import { addDays } from '#core/dates.ts';
import type { Language } from '#core/i18n.ts';
import { day, priceStaff } from '#test/support/prices.ts';
import { ADMIN, advanceClock, postJson, signIn } from '#test/support/staff.ts';
import { browserSession, describeBrowser } from './support.ts';

const WIDTH = 360;
const HEIGHT = 640;
const LANGS: Language[] = ['bo', 'zh', 'en'];
/** The smallest chart text a phone user can read, in CSS pixels as rendered. */
const MIN_CHART_TEXT_PX = 11;

/** What sticks out of the viewport: the widest elements whose right edge passes it (not inside a scrolling box). */
const overflowProbe = `(() => {
  const width = document.documentElement.clientWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width) return { scrollWidth, width, offenders: [] };
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 0.5 && !scrolls(el)) {
      const id = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
      out.push(id + ' right=' + Math.round(r.right) + ' "' + (el.textContent || '').trim().slice(0, 40) + '"');
    }
  }
  return { scrollWidth, width, offenders: out.slice(-6) };
})()`;

/** The rendered font size of every text of the page's inline SVG charts, in CSS pixels. */
const chartTextProbe = `[...document.querySelectorAll('.chart svg text')].map((t) => {
  const m = t.getScreenCTM();
  const scale = m ? Math.hypot(m.a, m.b) : 1;
  return { text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale };
})`;

describeBrowser('every page fits a 360 px phone', (executablePath) => {
  const session = browserSession(executablePath, 'en-GB');
  const publicPaths: string[] = [];
  const staffPaths: string[] = [];
  let cookie = { name: '', value: '' };

  beforeAll(async () => {
    const stack = session.server.stack;
    const catalog = await stack.deps.catalog();
    const { api, member } = await priceStaff(stack);
    const d = day(stack, -1);
    const markets = [...catalog.markets.keys()];
    const put = async (token: string | undefined, body: Record<string, string>) => {
      const res = await api('/prices', postJson(body), token);
      assert.equal(res.status, 201, await res.text());
    };
    // Barley at every market, with history for the chart and the changes; long grades; a cordyceps price in the thousands.
    for (const market of markets) {
      for (const [offset, price] of [
        [-360, '3.80'],
        [-180, '4.10'],
        [-7, '4.40'],
        [0, '4.55'],
      ] as const) {
        await put(undefined, {
          commodity: 'barley_qingke',
          market,
          date: addDays(d, offset),
          price,
          unit: 'jin',
          kind: 'wholesale',
        });
      }
    }
    await put(undefined, {
      commodity: 'barley_qingke',
      market: 'mkt_lhasa_dongga',
      date: d,
      price: '4.80',
      unit: 'kg',
      grade: 'first grade, hulled, from Nyemo cooperative',
      kind: 'retail',
    });
    await put(undefined, {
      commodity: 'cordyceps',
      market: 'mkt_nagqu_biru_cordyceps',
      date: d,
      price: '12500.00',
      unit: 'jin',
      grade: '一级 2000条/斤',
    });
    await put(undefined, { commodity: 'butter', market: 'mkt_lhasa_barkhor', date: d, price: '38.50', unit: 'jin' });
    // Charts with long price labels: yak by the head, in the thousands.
    for (const [offset, price] of [
      [-60, '7600.00'],
      [-30, '7900.00'],
      [0, '12800.00'],
    ] as const)
      await put(undefined, {
        commodity: 'yak_live',
        market: 'mkt_nagqu_biru_cordyceps',
        date: addDays(d, offset),
        price,
        unit: 'head',
      });
    // A collector's pending entries for the review queue.
    const collector = await member('+8613900007777', 'collector', ['*']);
    await put(collector, {
      commodity: 'yak_live',
      market: 'mkt_lhasa_dongga',
      date: d,
      price: '8000',
      unit: 'head',
      grade: 'three-year-old bull, good condition',
    });
    await put(collector, {
      commodity: 'butter',
      market: 'mkt_lhasa_tromsikhang',
      date: d,
      price: '39.00',
      unit: 'jin',
    });

    advanceClock(stack, 61); // past the admin's code cooldown (priceStaff signed in through the API)
    const { cookie: pair } = await signIn(stack, ADMIN);
    const at = pair.indexOf('=');
    cookie = { name: pair.slice(0, at), value: pair.slice(at + 1) };

    publicPaths.push('/', '/commodities', '/regions', '/markets', '/prices', '/sign-in', '/no-such-page', '/dev/phone');
    for (const id of catalog.commodities.keys()) publicPaths.push(`/commodities/${id}`, `/prices/${id}`);
    for (const id of catalog.regions.keys()) publicPaths.push(`/regions/${id}`);
    for (const id of markets)
      publicPaths.push(`/markets/${id}`, `/prices/bulletin?market=${id}`, `/prices/sheet?market=${id}`);
    publicPaths.push(
      '/prices/barley_qingke?market=mkt_lhasa_dongga',
      '/prices/bulletin?market=mkt_lhasa_dongga&compare=year',
      '/prices/bulletin',
      '/prices/sheet',
    );
    staffPaths.push('/staff', '/staff/prices/new', '/staff/prices/review?region=*', '/staff/prices/upload');
  });

  async function measure(page: Page, path: string, lang: Language): Promise<string | undefined> {
    const sep = path.includes('?') ? '&' : '?';
    const res = await page.goto(`${path}${sep}lang=${lang}`);
    if (!res || res.status() >= 500) {
      const errors = session.server.stack.logs.filter((l) => l.level === 'error').slice(-3);
      assert.fail(`${path} (${lang}) answered ${res?.status()}; the server logged: ${JSON.stringify(errors)}`);
    }
    const { scrollWidth, width, offenders } = (await page.evaluate(overflowProbe)) as {
      scrollWidth: number;
      width: number;
      offenders: string[];
    };
    return scrollWidth > width
      ? `${path} [${lang}] is ${scrollWidth} px wide (viewport ${width}): ${offenders.join(' | ')}`
      : undefined;
  }

  async function phone(lang: Language, signedIn = false): Promise<Page> {
    const page = await session.open(lang === 'zh' ? 'zh-CN' : lang === 'bo' ? 'bo' : 'en-GB');
    await page.setViewportSize({ width: WIDTH, height: HEIGHT });
    if (signedIn) await page.context().addCookies([{ ...cookie, url: session.server.url }]);
    return page;
  }

  for (const lang of LANGS) {
    test(`public pages fit 360 px in ${lang}`, async () => {
      const page = await phone(lang);
      const wide: string[] = [];
      for (const path of publicPaths) {
        const problem = await measure(page, path, lang);
        if (problem) wide.push(problem);
      }
      assert.deepEqual(wide, [], `${wide.length} of ${publicPaths.length} pages scroll sideways:\n${wide.join('\n')}`);
    });

    test(`staff pages fit 360 px in ${lang}`, async () => {
      const page = await phone(lang, true);
      const wide: string[] = [];
      for (const path of staffPaths) {
        const problem = await measure(page, path, lang);
        if (problem) wide.push(problem);
      }
      // The upload preview: a file with a good row and a bad one, checked but not saved.
      await page.goto(`/staff/prices/upload?lang=${lang}`);
      const csv = `commodity,market,date,price,unit,grade,kind,source\nbarley_qingke,mkt_lhasa_dongga,${day(session.server.stack, -2)},4.40,jin,,retail,https://example.org/a/very/long/source/path/of/the/bureau/weekly/report.pdf\nno_such_thing,mkt_lhasa_dongga,2026-01-01,4.40,jin,,retail,csv\n`;
      await page.setInputFiles('input[type=file]', {
        name: 'bureau-weekly-report-with-a-long-name.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv),
      });
      await page.locator('form[enctype="multipart/form-data"] button[type=submit]').click();
      const { scrollWidth, width, offenders } = (await page.evaluate(overflowProbe)) as {
        scrollWidth: number;
        width: number;
        offenders: string[];
      };
      if (scrollWidth > width)
        wide.push(`upload preview [${lang}] is ${scrollWidth} px wide: ${offenders.join(' | ')}`);
      assert.deepEqual(wide, [], wide.join('\n'));
    });

    test(`chart text is at least ${MIN_CHART_TEXT_PX} px on a phone in ${lang}`, async () => {
      const page = await phone(lang);
      for (const path of ['/prices/barley_qingke', '/prices/yak_live']) {
        await page.goto(`${path}?lang=${lang}`);
        const texts = (await page.evaluate(chartTextProbe)) as Array<{ text: string; px: number }>;
        assert.ok(texts.length >= 6, `${path}: expected the chart's axis labels, found ${texts.length}`);
        const small = texts.filter((t) => t.px < MIN_CHART_TEXT_PX - 0.01);
        assert.deepEqual(small, [], `${path} [${lang}]: chart text under ${MIN_CHART_TEXT_PX} px`);
      }
    });
  }

  test('no raw research URL in the flow of a public item page', async () => {
    const page = await phone('en');
    const catalog = await session.server.stack.deps.catalog();
    const items = [
      ...[...catalog.regions.keys()].map((id) => `/regions/${id}`),
      ...[...catalog.markets.keys()].map((id) => `/markets/${id}`),
      ...[...catalog.commodities.keys()].map((id) => `/commodities/${id}`),
    ];
    const shown: string[] = [];
    for (const path of items) {
      await page.goto(path);
      // Visible text only: a collapsed <details> of sources is out of the flow.
      const visible = (await page.evaluate('document.querySelector("main").innerText')) as string;
      if (/https?:\/\//.test(visible)) shown.push(path);
    }
    assert.deepEqual(shown, [], `raw URLs shown on ${shown.length} pages`);
  });
});
