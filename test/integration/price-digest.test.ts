/**
 * The daily price digest on the local stack: people subscribe by SMS (SUB PRICE in three
 * languages), a reviewer approves prices through the API, the job runs → exactly one SMS per
 * subscriber in their language; a second run the same day → none; STOP → none; UNSUB and
 * DELETE ME leave the topic index; an unchanged commodity → none the next day.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { DigestReport } from '#core/alerts/digest.ts';
import { runJob } from '#core/alerts/jobs.ts';
import { shanghaiDay } from '#core/dates.ts';
import { freshNumber, replyTo, smsText, TIBETAN } from '#test/support/dev-sms.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let reviewerToken: string;
const phones = { zh: '', en: '', bo: '', stopped: '', unsubscribed: '', deleted: '', tsampaOnly: '' };

/** Noon in Shanghai on the stack's day shifted by `days`: when the digest of that day runs. */
const digestTime = (days: number) => new Date(`${day(stack, days)}T10:00:00.000Z`);

const digestsTo = async (phone: string) =>
  (await stack.deps.outbound.listTo(phone, 100)).filter((m) => m.key === 'digest.item');

const approve = async (commodity: string, market: string, date: string, price: string) => {
  const res = await api('/prices', postJson({ commodity, market, date, price, unit: 'jin' }), reviewerToken);
  const body = await res.text();
  assert.equal(res.status, 201, body);
  assert.equal((JSON.parse(body) as { status: string }).status, 'approved');
};

const runDigest = async (days: number): Promise<DigestReport> => {
  const result = await runJob(stack.deps, 'price-digest', digestTime(days));
  assert.equal(result.job, 'price-digest');
  return (result as { report: DigestReport }).report;
};

beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  api = staff.api;
  reviewerToken = await staff.member(freshNumber('133'), 'reviewer', ['pref_lhasa']);
  for (const key of Object.keys(phones) as Array<keyof typeof phones>) phones[key] = freshNumber('132');

  await replyTo(stack, phones.zh, '订阅 青稞');
  await replyTo(stack, phones.en, 'SUB PRICE BARLEY');
  await replyTo(stack, phones.bo, 'མངགས་ཉོ རིན་གོང ནས');
  await replyTo(stack, phones.stopped, 'SUB PRICE BARLEY');
  await replyTo(stack, phones.stopped, 'STOP');
  await replyTo(stack, phones.unsubscribed, 'SUB PRICE BARLEY');
  await replyTo(stack, phones.unsubscribed, 'UNSUB PRICE BARLEY');
  await replyTo(stack, phones.deleted, 'SUB PRICE BARLEY');
  await replyTo(stack, phones.deleted, 'DELETE ME');
  await replyTo(stack, phones.tsampaOnly, 'SUB PRICE TSAMPA');
  // en also follows tsampa: one SMS covers both when both changed.
  await replyTo(stack, phones.en, 'SUB PRICE TSAMPA');

  await approve('青稞', '东嘎', day(stack, -2), '4.00');
  await approve('tsampa', 'Dongga', day(stack, -2), '12.00');
});
afterAll(() => stack.close());

describe('the topic index', () => {
  test('lists who follows a commodity, as the profiles say: not after UNSUB, not after DELETE ME', async () => {
    const barley = (await stack.deps.alerts.subscribersOf('price:barley_qingke', { limit: 100 })).items;
    assert.deepEqual(new Set(barley), new Set([phones.zh, phones.en, phones.bo, phones.stopped]));
    const tsampa = (await stack.deps.alerts.subscribersOf('price:tsampa', { limit: 100 })).items;
    assert.deepEqual(new Set(tsampa), new Set([phones.en, phones.tsampaOnly]));
  });
});

describe('the digest', () => {
  test('day 1: one SMS per subscriber, in their language, through the outbound path; STOP gets nothing', async () => {
    const report = await runDigest(-2);
    assert.deepEqual(report.changed, ['barley_qingke', 'tsampa']);
    assert.equal(report.sent, 4);

    const [zh] = await digestsTo(phones.zh);
    assert.equal((await digestsTo(phones.zh)).length, 1);
    assert.ok(zh!.text.startsWith('【农牧通】青稞：'), zh!.text);
    const mmdd = day(stack, -2).slice(5);
    assert.ok(zh!.text.includes(`4.00元/斤，${mmdd}`), `every price carries its date: ${zh!.text}`);
    assert.ok(zh!.text.endsWith(smsText('zh', 'footer.optOut')), 'an alert carries the opt-out footer');
    assert.equal(zh!.segments, 1);

    const en = await digestsTo(phones.en);
    assert.equal(en.length, 1, 'barley and tsampa in one SMS');
    assert.equal(en[0]!.encoding, 'GSM-7');
    assert.equal(en[0]!.segments, 1);
    assert.match(en[0]!.text, new RegExp(`^\\[Zhingdrok\\] highland barley: .*4\\.00 yuan/jin on ${mmdd}`));
    assert.match(en[0]!.text, /tsampa/i);

    const bo = await digestsTo(phones.bo);
    assert.equal(bo.length, 1);
    assert.ok(TIBETAN.test(bo[0]!.text));
    assert.ok(bo[0]!.text.includes(`རྒྱ་མ་རེར་སྒོར་4.00 ${mmdd}།`), bo[0]!.text);
    assert.ok(bo[0]!.segments <= 2);

    assert.equal((await digestsTo(phones.tsampaOnly)).length, 1);
    assert.deepEqual(await digestsTo(phones.stopped), [], 'STOP: nothing sent, nothing recorded');
    assert.deepEqual(await digestsTo(phones.unsubscribed), []);
    assert.deepEqual(await digestsTo(phones.deleted), []);
    for (const phone of [phones.zh, phones.en, phones.bo, phones.tsampaOnly]) {
      const [msg] = await digestsTo(phone);
      const stored = await stack.deps.outbound.get(msg!.id);
      assert.equal(stored?.status, 'sent', `${phone}: handed to the gateway`);
      assert.equal(stored?.essential, false, 'an alert is not essential: the daily budget applies');
    }
  });

  test('day 1 again: nothing twice', async () => {
    const report = await runDigest(-2);
    assert.equal(report.sent, 0);
    for (const phone of [phones.zh, phones.en, phones.bo, phones.tsampaOnly])
      assert.equal((await digestsTo(phone)).length, 1, phone);
  });

  test('day 2: barley changed, tsampa did not → barley subscribers get one SMS with the rise; tsampa only → none', async () => {
    await approve('青稞', '东嘎', day(stack, -1), '4.50');
    const report = await runDigest(-1);
    assert.deepEqual(report.changed, ['barley_qingke']);
    assert.equal(report.sent, 3);
    const zh = await digestsTo(phones.zh);
    assert.equal(zh.length, 2);
    assert.ok(zh[0]!.text.includes(`4.50元/斤↑0.50，${day(stack, -1).slice(5)}`), zh[0]!.text);
    const en = await digestsTo(phones.en);
    assert.equal(en.length, 2);
    assert.ok(en[0]!.text.includes(`4.50 yuan/jin +0.50 on ${day(stack, -1).slice(5)}`), en[0]!.text);
    assert.doesNotMatch(en[0]!.text, /tsampa/i, 'only what changed');
    assert.equal((await digestsTo(phones.tsampaOnly)).length, 1, 'unchanged commodity: no digest');
    assert.deepEqual(await digestsTo(phones.stopped), []);

    assert.equal((await runDigest(-1)).sent, 0, 'and a rerun sends nothing');
  });

  test('POST /dev/jobs/price-digest runs it now (nothing changed since: nothing sent); an unknown job is a 404', async () => {
    // A JSON request, like /dev/sms: the CSRF origin check refuses form-like POSTs without an Origin.
    const post: RequestInit = { method: 'POST', headers: { 'Content-Type': 'application/json' } };
    const res = await stack.app.request('/dev/jobs/price-digest', post);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { job: string; report: DigestReport };
    assert.equal(body.job, 'price-digest');
    assert.equal(body.report.day, day(stack));
    assert.equal(body.report.sent, 0);
    assert.equal((await stack.app.request('/dev/jobs/nope', post)).status, 404);
    const sweep = await stack.app.request('/dev/jobs/price-sweep', post);
    assert.deepEqual(await sweep.json(), { job: 'price-sweep', finished: 0, imports: 0 });
  });

  test('a day whose segment budget is spent: each alert is recorded blocked, and reported blocked, not sent', async () => {
    await approve('青稞', '东嘎', day(stack), '4.80');
    // What the day's other SMS would have done: spend the rest of today's budget (counted
    // without a cap, as STOP confirmations are).
    const today = shanghaiDay(new Date());
    const budget = stack.deps.admission.budget;
    const { total } = await budget.spend(today, 0, undefined);
    await budget.spend(today, Math.max(0, stack.deps.smsSettings.dailySegmentLimit - total), undefined);
    const alarmsBefore = stack.logs.filter((l) => l.kind === 'sms_budget_exhausted').length;

    const report = await runDigest(0);
    assert.deepEqual(report.changed, ['barley_qingke']);
    assert.deepEqual([report.sent, report.blocked, report.failed], [0, 3, 0], JSON.stringify(report));
    for (const phone of [phones.zh, phones.en, phones.bo]) {
      const [latest] = await digestsTo(phone);
      assert.ok(latest!.text.includes('4.80'), latest!.text);
      assert.equal((await stack.deps.outbound.get(latest!.id))?.status, 'blocked', phone);
    }
    assert.equal(
      stack.logs.filter((l) => l.kind === 'sms_budget_exhausted').length - alarmsBefore,
      3,
      'one alarm per alert stopped',
    );
  });
});
