/**
 * PRICE by SMS through POST /dev/sms: approved prices seeded through
 * the price repository, then asked for in Chinese, English and Tibetan. Checks the market,
 * price, unit and date of each row, the old mark, the home region first, the "no price"
 * replies, and the segment figures (zh/en one market: 1 SMS; bo three markets: ≤ 2).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { PriceSubmission } from '#core/prices/ports.ts';
import { freshNumber, replyTo, smsText } from '#test/support/dev-sms.ts';
import { priceSubmission } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;

/** A business date (Asia/Shanghai) so many days before today. */
const daysAgo = (n: number) => new Date(Date.now() + 8 * 3_600_000 - n * 86_400_000).toISOString().slice(0, 10);
const mmdd = (date: string) => date.slice(5);

const GYIRONG = { marketId: 'mkt_shigatse_gyirong_port', regionId: 'cty_shigatse_gyirong' };
const TROMSIKHANG = { marketId: 'mkt_lhasa_tromsikhang', regionId: 'cty_lhasa_chengguan' };
const DONGGA = { marketId: 'mkt_lhasa_dongga', regionId: 'cty_lhasa_doilungdeqen' };
const BARKHOR = { marketId: 'mkt_lhasa_barkhor', regionId: 'cty_lhasa_chengguan' };

const enter = (
  commodityId: string,
  where: { marketId: string; regionId: string },
  date: string,
  priceFen: number,
  over: Partial<PriceSubmission> = {},
) =>
  stack.deps.prices.enterApproved(
    priceSubmission(commodityId, date, priceFen, { ...where, ...over }),
    '+8613900000002',
  );

/** A number registered by its first message, then given a home region. */
async function subscriberIn(first: string, homeRegionId?: string): Promise<string> {
  const phone = freshNumber('138');
  await replyTo(stack, phone, first);
  if (homeRegionId) {
    const sub = await stack.deps.subscribers.get(phone);
    await stack.deps.subscribers.save({ ...sub!, homeRegionId });
  }
  return phone;
}

beforeAll(async () => {
  stack = await startTestStack();
  // Barley at four markets; the home one (Shigatse) is not the newest.
  await enter('barley_qingke', GYIRONG, daysAgo(3), 320);
  await enter('barley_qingke', TROMSIKHANG, daysAgo(1), 350);
  await enter('barley_qingke', DONGGA, daysAgo(2), 340);
  await enter('barley_qingke', BARKHOR, daysAgo(40), 300);
  // Tsampa only at Gyirong, and old.
  await enter('tsampa', GYIRONG, daysAgo(20), 1200);
});
afterAll(() => stack.close());

describe('PRICE by SMS', () => {
  test('English, home region first: one market, one SMS, with price, unit and date', async () => {
    const phone = await subscriberIn('HELP', 'pref_shigatse');
    const reply = await replyTo(stack, phone, 'PRICE BARLEY');
    assert.equal(reply.segments, 1, reply.text);
    assert.match(reply.text, /highland barley:/);
    assert.ok(reply.text.includes(`Gyirong port 3.20 yuan/jin on ${mmdd(daysAgo(3))}.`), reply.text);
    const first = reply.text.indexOf('Gyirong');
    const other = reply.text.indexOf('Tromsikhang');
    assert.ok(other === -1 || first < other, 'the home region comes first');
    assert.doesNotMatch(reply.text, /\(old\)/);
  });

  test('home region first even when many rows of other markets sort before it (every latest row is read)', async () => {
    // Twelve grades of butter at Barkhor (ids sort before Gyirong's), one at Gyirong, older.
    for (let g = 1; g <= 12; g++)
      await enter('butter', BARKHOR, daysAgo(1), 4000 + g, { grade: `grade ${g}`, unit: 'kg' });
    await enter('butter', GYIRONG, daysAgo(5), 5200, { unit: 'kg' });
    const phone = await subscriberIn('HELP', 'pref_shigatse');
    const reply = await replyTo(stack, phone, 'PRICE BUTTER');
    assert.match(reply.text, /: Gyirong port 52\.00 yuan\/kilogram/, reply.text);
  });

  test('Chinese, 青稞价格: one SMS, the home market first', async () => {
    const phone = await subscriberIn('帮助', 'pref_shigatse');
    const reply = await replyTo(stack, phone, '青稞价格');
    assert.equal(reply.segments, 1, reply.text);
    assert.ok(reply.text.includes(`吉隆口岸3.20元/斤，${mmdd(daysAgo(3))}`), reply.text);
    assert.ok(reply.text.startsWith('【'), reply.text);
  });

  test('Chinese without a home region: the newest market first, in one SMS', async () => {
    const phone = await subscriberIn('帮助');
    const reply = await replyTo(stack, phone, 'PRICE 青稞');
    assert.equal(reply.segments, 1, reply.text);
    assert.ok(reply.text.includes(`冲赛康市场3.50元/斤，${mmdd(daysAgo(1))}`), reply.text);
  });

  test('Tibetan: three markets in at most two SMS, home region first', async () => {
    const phone = await subscriberIn('རོགས་རམ', 'pref_shigatse');
    const reply = await replyTo(stack, phone, 'ནས་རིན་གོང');
    assert.ok(reply.segments <= 2, `${reply.segments} segments: ${reply.text}`);
    const at = ['སྐྱིད་གྲོང', 'ཁྲོམ་གཟིགས་ཁང', 'གདོང་དཀར'].map((m) => reply.text.indexOf(m));
    assert.ok(
      at.every((i) => i >= 0),
      `three markets: ${reply.text}`,
    );
    assert.ok(at[0]! < at[1]! && at[1]! < at[2]!, reply.text);
    for (const price of ['3.20', '3.50', '3.40']) assert.ok(reply.text.includes(price), reply.text);
    assert.ok(reply.text.includes('རྒྱ་མ'), 'the unit');
    assert.ok(reply.text.includes(mmdd(daysAgo(3))), 'the date');
  });

  test('Wylie keyword: answered in Tibetan (Wylie letters)', async () => {
    const phone = freshNumber('138');
    const reply = await replyTo(stack, phone, 'rin gong nas');
    assert.equal(reply.encoding, 'GSM-7', reply.text);
    assert.ok(reply.segments <= 2);
    assert.ok(reply.text.includes('3.50'), reply.text);
  });

  test('a price older than 14 days is marked old', async () => {
    const phone = await subscriberIn('HELP');
    const reply = await replyTo(stack, phone, 'PRICE TSAMPA');
    assert.ok(reply.text.includes(`12.00 yuan/jin on ${mmdd(daysAgo(20))} (old).`), reply.text);
    const zh = await replyTo(stack, await subscriberIn('帮助'), '糌粑价格');
    assert.ok(zh.text.includes('（旧）'), zh.text);
  });

  test('no price anywhere: says so', async () => {
    const phone = await subscriberIn('HELP');
    const reply = await replyTo(stack, phone, 'PRICE WALNUT');
    assert.equal(reply.text, `[Zhingdrok] ${smsText('en', 'price.none', { commodity: 'walnut' })}`);
    const zh = await replyTo(stack, await subscriberIn('帮助'), '核桃价格');
    assert.ok(zh.text.endsWith(smsText('zh', 'price.none', { commodity: '核桃' })), zh.text);
  });

  test('no price at the place asked: says so and names the nearest market that has one', async () => {
    const phone = await subscriberIn('HELP');
    const reply = await replyTo(stack, phone, 'PRICE TSAMPA LHASA');
    assert.match(reply.text, /No tsampa price at .*Lhasa/i);
    assert.ok(reply.text.includes('Nearest: Gyirong port 12.00 yuan/jin'), reply.text);
    assert.equal(reply.segments, 1);
  });

  test('a place with prices: only its markets', async () => {
    const phone = await subscriberIn('HELP', 'pref_shigatse');
    const reply = await replyTo(stack, phone, 'PRICE BARLEY LHASA');
    assert.doesNotMatch(reply.text, /Gyirong/, reply.text);
    assert.match(reply.text, /Tromsikhang|Dongga|Barkhor/);
  });

  test('an unknown commodity gets "did you mean"', async () => {
    const phone = await subscriberIn('HELP');
    const reply = await replyTo(stack, phone, 'PRICE barly');
    assert.match(reply.text, /not found\. Did you mean .*barley/i);
  });
});
