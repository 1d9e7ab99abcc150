/** Bad input on the price pages: re-shown with translated errors, nothing stored. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { parseIdentity } from '#core/prices/observation.ts';
import { fieldError, formsTo, staffBrowser, upload } from '#test/support/price-web.ts';
import { day } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { advanceClock } from '#test/support/staff.ts';

let stack: TestStack;
let collector: Awaited<ReturnType<typeof staffBrowser>>;
let reviewer: Awaited<ReturnType<typeof staffBrowser>>;
beforeAll(async () => {
  stack = await startTestStack();
  collector = await staffBrowser(stack, '+8613900000801', [{ role: 'collector', regions: ['pref_lhasa'] }]);
  reviewer = await staffBrowser(stack, '+8613900000802', [{ role: 'reviewer', regions: ['pref_lhasa'] }]);
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
const pendingCount = async () =>
  (await stack.deps.prices.pendingInRegion('cty_lhasa_chengguan', { limit: 100 })).items.length;

async function post(fields: Record<string, string>, lang: string) {
  const page = await (await collector.get(`/staff/prices/new?lang=${lang}`)).text();
  const res = await collector.post(`/staff/prices/new?lang=${lang}`, page, fields);
  return { status: res.status, html: await res.text() };
}

describe('price entry form: bad values', () => {
  test('zh: every bad field is re-shown with its value kept and its error beside it; nothing stored', async () => {
    const before = await pendingCount();
    const { status, html } = await post(
      entry({ commodity: '', commodityText: '青稞子', date: day(stack, 3), price: '4.555', unit: 'bag' }),
      'zh',
    );
    assert.equal(status, 400);
    assert.match(html, /请更正下面标出的内容。/);
    assert.match(fieldError(html, 'commodity') ?? '', /青稞子/);
    assert.match(fieldError(html, 'date') ?? '', /[\u4e00-\u9fff]/);
    assert.match(fieldError(html, 'date') ?? '', new RegExp(day(stack, 3)));
    assert.match(fieldError(html, 'price') ?? '', /[\u4e00-\u9fff]/);
    assert.match(fieldError(html, 'unit') ?? '', /bag/);
    assert.equal(fieldError(html, 'market'), undefined, 'a good field has no error');
    assert.match(html, /id="commodityText" name="commodityText" value="青稞子"/, 'the typed values are kept');
    assert.match(html, /id="price" name="price" value="4\.555"/);
    assert.match(html, /aria-invalid="true" aria-describedby="price-error"/);
    assert.equal(await pendingCount(), before);
  });

  test('bo: the errors are in Tibetan; an empty price says it is required', async () => {
    const { status, html } = await post(entry({ price: '', date: '1999-12-31' }), 'bo');
    assert.equal(status, 400);
    assert.equal(fieldError(html, 'price'), 'ངེས་པར་དགོས།');
    assert.match(fieldError(html, 'date') ?? '', /[\u0F00-\u0FFF]/);
    assert.match(html, /<html lang="bo">/);
  });

  test('an unknown commodity name comes back with the closest names', async () => {
    const { html } = await post(entry({ commodity: '', commodityText: 'barly' }), 'en');
    assert.match(fieldError(html, 'commodity') ?? '', /barly.*highland barley/is);
  });
});

describe('review queue: bad decisions', () => {
  async function pendingRow(price: string, daysAgo: number) {
    const page = await (await collector.get('/staff/prices/new')).text();
    const res = await collector.post(
      '/staff/prices/new',
      page,
      entry({ commodity: 'wheat', price, date: day(stack, -daysAgo) }),
    );
    const identity = new URL(res.headers.get('location')!, 'http://x').searchParams.get('saved')!;
    const queue = await (await reviewer.get('/staff/prices/review?region=pref_lhasa&lang=en')).text();
    return {
      identity,
      queue,
      row: formsTo(queue, '/staff/prices/review/approve').find((f) => f.identity === identity)!,
    };
  }

  test('reject without a reason: back to the queue saying so; still pending', async () => {
    const { identity, queue, row } = await pendingRow('3.00', 4);
    const res = await reviewer.post('/staff/prices/review/reject', queue, { ...row, reason: '   ' });
    assert.equal(res.headers.get('location'), '/staff/prices/review?region=pref_lhasa&error=reason');
    assert.match(await (await reviewer.get(`${res.headers.get('location')}&lang=zh`)).text(), /请填写退回原因。/);
    assert.equal((await stack.deps.prices.getSubmission(parseIdentity(identity)!))?.status, 'pending');
  });

  test('approving a version that was replaced since: "changed since you looked", nothing approved', async () => {
    const { identity, queue, row } = await pendingRow('3.10', 5);
    await pendingRow('3.20', 5); // the collector resubmits: version 2
    const res = await reviewer.post('/staff/prices/review/approve', queue, row);
    assert.equal(res.headers.get('location'), '/staff/prices/review?region=pref_lhasa&error=changed');
    assert.match(
      await (await reviewer.get(`${res.headers.get('location')}&lang=en`)).text(),
      /changed since you looked/,
    );
    const stored = await stack.deps.prices.getSubmission(parseIdentity(identity)!);
    assert.deepEqual([stored?.status, stored?.priceFen, stored?.version], ['pending', 320, 2]);
  });
});

describe('CSV upload: bad files', () => {
  const good = () => `commodity,market,date,price,unit\n青稞,东嘎批发市场,${day(stack, -1)},4.40,斤\n`;

  test('every bad row is listed with line, column header and translated reason, with suggestions; no Confirm', async () => {
    const csv = [
      '品名,市场,日期,价格,单位',
      `青稞,东嘎批发市场,${day(stack, -1)},4.50,斤`,
      `青稞,Donga,${day(stack, -1)},4.50,斤`,
      `青稞,东嘎批发市场,${day(stack, 5)},4.50,斤`,
      `酥油,冲赛康市场,${day(stack, -1)},-3,斤`,
    ].join('\n');
    const form = await (await collector.get('/staff/prices/upload')).text();
    const res = await collector.raw('/staff/prices/upload/preview?lang=zh', upload(form, csv));
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /未保存任何内容：文件中有 3 个问题。/);
    const rows = [
      ...html.matchAll(
        /<tr><td class="num">(\d+)<\/td><td>([^<]*)<small class="muted"> · ([^<]*)<\/small><\/td><td>([^<]*)<\/td><\/tr>/g,
      ),
    ].map((m) => [m[1], m[2], m[4], m[3]]);
    assert.deepEqual(
      rows.map(([line, header, , column]) => [line, header, column]),
      [
        ['3', '市场', '市场'],
        ['4', '日期', '日期'],
        ['5', '价格', '价格'],
      ],
    );
    assert.match(rows[0]![2]!, /Donga/);
    assert.match(rows[0]![2]!, /东嘎批发市场/, 'the closest market is suggested');
    assert.ok(
      rows.every(([, , reason]) => /[\u4e00-\u9fff]/.test(reason!)),
      'translated',
    );
    assert.equal(formsTo(html, '/staff/prices/upload/confirm').length, 0);
    assert.equal(
      await stack.deps.prices.getSubmission({
        commodityId: 'barley_qingke',
        marketId: 'mkt_lhasa_dongga',
        date: day(stack, -1),
        unit: 'jin',
      }),
      undefined,
    );
  });

  test("a file over 4 MB → a 413 page in the reader's language (not JSON); 2 MB is read", async () => {
    const form = await (await collector.get('/staff/prices/upload')).text();
    const header = 'commodity,market,date,price,unit\n';
    const row = `barley_qingke,mkt_lhasa_barkhor,${day(stack, -1)},4.50,jin\n`;
    const big = await collector.raw(
      '/staff/prices/upload/preview?lang=zh',
      upload(form, header + row.repeat(Math.ceil((5 * 1024 * 1024) / row.length))),
    );
    assert.equal(big.status, 413);
    assert.match(big.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await big.text(), /4 MB/);
    const fresh = await (await collector.get('/staff/prices/upload')).text();
    const medium = await collector.raw(
      '/staff/prices/upload/preview?lang=en',
      upload(fresh, header + row.repeat(Math.ceil((2 * 1024 * 1024) / row.length))),
    );
    assert.notEqual(medium.status, 413);
  });

  test('no file chosen → the form again, saying so', async () => {
    const form = await (await collector.get('/staff/prices/upload')).text();
    const res = await collector.raw('/staff/prices/upload/preview?lang=en', upload(form, ''));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Choose a CSV file first\./);
  });

  test('a Confirm with an altered token, another file name, or another member’s token → 400, nothing written', async () => {
    const form = await (await collector.get('/staff/prices/upload')).text();
    const preview = await (await collector.raw('/staff/prices/upload/preview', upload(form, good(), 'a.csv'))).text();
    const [confirm] = formsTo(preview, '/staff/prices/upload/confirm');
    const [sha, issued, mac] = confirm!.token!.split('.') as [string, string, string];
    const flip = (s: string) => (s[0] === 'a' ? 'b' : 'a') + s.slice(1);
    const attempts: Array<[typeof collector, Record<string, string>]> = [
      [collector, { ...confirm!, token: `${flip(sha)}.${issued}.${mac}` }],
      [collector, { ...confirm!, token: `${sha}.${Number(issued) + 1}.${mac}` }],
      [collector, { ...confirm!, token: `${sha}.${issued}.${flip(mac)}` }],
      [collector, { ...confirm!, fileName: 'b.csv' }],
      [collector, { ...confirm!, token: 'garbage' }],
      [reviewer, confirm!],
    ];
    for (const [who, fields] of attempts) {
      const page = who === reviewer ? await (await reviewer.get('/staff/prices/upload')).text() : preview;
      const res = await who.post('/staff/prices/upload/confirm?lang=en', page, fields);
      assert.equal(res.status, 400, JSON.stringify(fields));
      assert.match(await res.text(), /That confirmation is not valid\. Upload the file again\./);
    }
    assert.equal(
      await stack.deps.prices.getSubmission({
        commodityId: 'barley_qingke',
        marketId: 'mkt_lhasa_dongga',
        date: day(stack, -1),
        unit: 'jin',
      }),
      undefined,
    );
    // The genuine token still works once.
    const ok = await collector.post('/staff/prices/upload/confirm', preview, confirm!);
    assert.equal(ok.status, 303);
    assert.equal(
      (
        await stack.deps.prices.getSubmission({
          commodityId: 'barley_qingke',
          marketId: 'mkt_lhasa_dongga',
          date: day(stack, -1),
          unit: 'jin',
        })
      )?.priceFen,
      440,
    );
    const replay = await collector.post('/staff/prices/upload/confirm?lang=en', preview, confirm!);
    assert.equal(replay.status, 409, 'the token was used');
    assert.match(
      await replay.text(),
      /This file was already imported with this confirmation; nothing was saved again\./,
    );
  });

  test('five Confirms of one token at once: exactly one imports; the others are told it was already imported and write nothing', async () => {
    const csv = `commodity,market,date,price,unit\n青稞,东嘎批发市场,${day(stack, -3)},4.70,斤\n酥油,冲赛康市场,${day(stack, -3)},38.50,斤\n`;
    const form = await (await collector.get('/staff/prices/upload')).text();
    const preview = await (await collector.raw('/staff/prices/upload/preview', upload(form, csv, 'twice.csv'))).text();
    const [confirm] = formsTo(preview, '/staff/prices/upload/confirm');
    const imports = async () =>
      (await stack.deps.audit.listDay(day(stack), { limit: 500 })).items.filter(
        (e) => e.action === 'price.import' && e.detail?.fileName === 'twice.csv',
      );

    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        collector.post(`/staff/prices/upload/confirm?lang=${i % 2 ? 'zh' : 'en'}`, preview, confirm!),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [303, 409, 409, 409, 409]);
    for (const [i, res] of answers.entries()) {
      if (res.status !== 409) continue;
      assert.match(
        await res.text(),
        i % 2 ? /该文件已用此确认导入，未重复保存。/ : /This file was already imported with this confirmation/,
      );
    }
    assert.equal((await imports()).length, 1, 'one import, audited once');
    const barley = await stack.deps.prices.getSubmission({
      commodityId: 'barley_qingke',
      marketId: 'mkt_lhasa_dongga',
      date: day(stack, -3),
      unit: 'jin',
    });
    assert.deepEqual([barley?.status, barley?.priceFen, barley?.version], ['pending', 470, 1], 'written once');
    const queued = (await stack.deps.prices.pendingInRegion('cty_lhasa_doilungdeqen', { limit: 100 })).items.filter(
      (p) => p.date === day(stack, -3),
    );
    assert.equal(queued.length, 1, 'one entry in the review queue');

    const later = await collector.post('/staff/prices/upload/confirm?lang=bo', preview, confirm!);
    assert.equal(later.status, 409);
    assert.match(await later.text(), /ཡིག་ཆ་འདི་ཉར་ཚགས་ཟིན།/);
    assert.equal((await imports()).length, 1);
  });

  test('a preview left over an hour is refused as expired', async () => {
    const form = await (await collector.get('/staff/prices/upload')).text();
    const preview = await (
      await collector.raw('/staff/prices/upload/preview', upload(form, good().replace('4.40', '4.45')))
    ).text();
    const [confirm] = formsTo(preview, '/staff/prices/upload/confirm');
    advanceClock(stack, 3601);
    const res = await collector.post('/staff/prices/upload/confirm?lang=en', preview, confirm!);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /no longer here/);
  });
});
