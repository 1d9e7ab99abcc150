/** The exchange's API: who may call what, what a bad request is told, and that it is all in the OpenAPI document. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { jsonOf } from '#test/support/json.ts';
import { type Api, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { from, postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let staff: Awaited<ReturnType<typeof priceStaff>>;
beforeAll(async () => {
  stack = await startTestStack();
  staff = await priceStaff(stack);
  api = staff.api;
});
afterAll(() => stack.close());

const offer = (over: Record<string, unknown> = {}) => ({
  phone: '+8613900000601',
  side: 'sell',
  commodity: 'barley_qingke',
  quantity: 500,
  unit: 'jin',
  price: '4.50',
  region: 'cty_shigatse_gyantse',
  ...over,
});

/** Every staff operation of the exchange, with a body it would accept. */
const staffCalls: Array<[string, string, unknown?]> = [
  ['GET', '/listings/moderation'],
  ['POST', '/listings', offer()],
  ['POST', '/listings/L4821/approve', {}],
  ['POST', '/listings/L4821/reject', { reason: 'fake' }],
  ['POST', '/listings/L4821/hide', {}],
  ['POST', '/vouches', { phone: '+8613900000601' }],
  ['DELETE', `/vouches/${encodeURIComponent('+8613900000601')}`],
  ['POST', '/blocks', { phone: '+8613900000601', reason: 'scam' }],
  ['DELETE', `/blocks/${encodeURIComponent('+8613900000601')}`],
];

describe('exchange API: refusals before anything is read', () => {
  test('not signed in: every staff operation is a 401 problem', async () => {
    const send = from(stack);
    for (const [method, path, body] of staffCalls) {
      const res = await send(`/api/v1${path}`, body === undefined ? { method } : { ...postJson(body), method });
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal((await jsonOf(res)).code, 'unauthorized', `${method} ${path}`);
    }
  });

  test('a bad offer body is a 400 naming each field, in the asked language', async () => {
    const res = await api(
      '/listings?lang=zh',
      postJson(offer({ side: 'swap', quantity: -3, price: '4.5.0', phone: undefined })),
    );
    assert.equal(res.status, 400);
    const problem = await jsonOf(res);
    assert.equal(problem.code, 'validation_failed');
    const paths = (problem.errors as Array<{ path: string; message: string }>).map((e) => e.path).sort();
    assert.deepEqual(paths, ['body.phone', 'body.price', 'body.quantity', 'body.side']);
    // Translated: the Chinese messages carry Chinese text.
    assert.ok((problem.errors as Array<{ message: string }>).every((e) => /[\u4e00-\u9fff]/.test(e.message)));
  });

  test('a reject without a reason, or a code that is not one, is a 400', async () => {
    const noReason = await api('/listings/L4821/reject', postJson({ reason: '' }));
    assert.equal(noReason.status, 400);
    assert.equal((await jsonOf(noReason)).code, 'validation_failed');
    for (const code of ['abc', 'L12', 'L1234567', 'X4821']) {
      const res = await from(stack)(`/api/v1/listings/${code}`);
      assert.equal(res.status, 400, code);
      assert.equal((await jsonOf(res)).code, 'validation_failed', code);
    }
  });

  test('a malformed Idempotency-Key is refused rather than ignored', async () => {
    const res = await api('/listings', postJson(offer(), { 'Idempotency-Key': 'x'.repeat(200) }));
    assert.equal(res.status, 400);
    assert.equal((await jsonOf(res)).code, 'validation_failed');
  });

  test('the OpenAPI document describes every exchange operation, public ones without security', async () => {
    const doc = await jsonOf(await from(stack)('/api/v1/openapi.json'));
    const paths = doc.paths as Record<string, Record<string, { security: unknown[]; responses: object }>>;
    const expected: Array<[string, string]> = [
      ['/listings', 'get'],
      ['/listings', 'post'],
      ['/listings/{code}', 'get'],
      ['/listings/moderation', 'get'],
      ['/listings/{code}/approve', 'post'],
      ['/listings/{code}/reject', 'post'],
      ['/listings/{code}/hide', 'post'],
      ['/vouches', 'post'],
      ['/vouches/{phone}', 'delete'],
      ['/blocks', 'post'],
      ['/blocks/{phone}', 'delete'],
    ];
    for (const [path, method] of expected) assert.ok(paths[path]?.[method], `${method} ${path}`);
    assert.deepEqual(paths['/listings']!.get!.security, []);
    assert.deepEqual(paths['/listings/{code}']!.get!.security, []);
    assert.notDeepEqual(paths['/listings']!.post!.security, []);
    // The public shape names no phone field.
    const schemas = (doc.components as { schemas: Record<string, { properties: object }> }).schemas;
    assert.ok(schemas.PublicListing);
    assert.ok(!Object.keys(schemas.PublicListing!.properties).some((k) => /phone/i.test(k)));
  });
});

describe('exchange API against the real exchange', () => {
  const SELLER = '+8613900000611';
  const NEWBIE = '+8613900000612';
  const NEWBIE2 = '+8613900000613';
  const FARMER = '+8613900000614';
  const GYANTSE = 'cty_shigatse_gyantse';
  let shigatseOp = '';
  let lhasaOp = '';
  let seq = 0;

  beforeAll(async () => {
    shigatseOp = await staff.member('+8613900000621', 'operator', ['pref_shigatse']);
    lhasaOp = await staff.member('+8613900000622', 'operator', ['pref_lhasa']);
    const vouched = await api('/vouches', postJson({ phone: SELLER }));
    assert.equal(vouched.status, 201);
    assert.equal((await jsonOf(vouched)).phone, SELLER);
  });

  /** An offer posted by SMS, as the SMS command posts it; its code. */
  async function posted(phone: string, over: Record<string, unknown> = {}) {
    const answer = await stack.deps.exchange.post(
      { phone, messageId: `test:api-${++seq}`, homeRegionId: GYANTSE, language: 'en' },
      {
        side: 'sell',
        commodityId: 'barley_qingke',
        quantity: 500,
        unitId: 'jin',
        priceFen: 450,
        regionId: GYANTSE,
        ...over,
      },
      'sell barley 500 jin 4.5',
    );
    const code = String(answer.lines.find((l) => l.params?.code)?.params?.code);
    assert.match(code, /^L\d{4,6}$/);
    return code;
  }
  const digits = (phone: string) => phone.slice(3);

  test('open offers for anyone, filtered by side, commodity and region; one offer by code however typed; never a phone number', async () => {
    const code = await posted(SELLER);
    const list = await from(stack)('/api/v1/listings?commodity=barley_qingke&side=sell');
    assert.equal(list.status, 200);
    const text = await list.text();
    assert.ok(!text.includes(digits(SELLER)), 'a phone number in the public list');
    const items = (JSON.parse(text) as { items: Array<Record<string, unknown>> }).items;
    const mine = items.find((i) => i.code === code);
    assert.deepEqual(Object.keys(mine ?? {}).sort(), [
      'code',
      'commodityId',
      'createdAt',
      'expiresAt',
      'grade',
      'marketId',
      'price',
      'quantity',
      'regionId',
      'side',
      'status',
      'unit',
      'vouched',
    ]);
    assert.equal(mine!.price, '4.50');
    assert.equal(mine!.vouched, true);
    const codes = async (query: string) =>
      ((await jsonOf(await from(stack)(`/api/v1/listings?${query}`))).items as Array<{ code: string }>).map(
        (i) => i.code,
      );
    assert.ok((await codes('region=pref_shigatse&commodity=barley_qingke')).includes(code));
    assert.ok(!(await codes('region=pref_lhasa&commodity=barley_qingke')).includes(code));
    assert.ok(!(await codes('side=buy&commodity=barley_qingke')).includes(code));
    for (const typed of [code, code.toLowerCase(), code.slice(1)]) {
      const one = await from(stack)(`/api/v1/listings/${typed}`);
      assert.equal(one.status, 200, typed);
      const body = await one.text();
      assert.equal(JSON.parse(body).code, code);
      assert.ok(!body.includes(digits(SELLER)));
    }
    const unknown = await from(stack)('/api/v1/listings/L000000?lang=en');
    assert.equal(unknown.status, 404);
    assert.equal((await jsonOf(unknown)).code, 'not_found');
  });

  test("an unvouched number's first offer waits, unseen; an operator of another region is refused (403, logged), the region's own approves", async () => {
    const code = await posted(NEWBIE);
    assert.equal((await from(stack)(`/api/v1/listings/${code}`)).status, 404);
    const queue = await jsonOf(await api('/listings/moderation?region=pref_shigatse', {}, shigatseOp));
    const item = (queue.items as Array<{ listing: { code: string; ownerPhone: string }; reasons: string[] }>).find(
      (i) => i.listing.code === code,
    );
    assert.ok(item, 'in the queue');
    assert.deepEqual(item.reasons, ['first_offer']);
    assert.equal(item.listing.ownerPhone, NEWBIE);

    const refused = await api(`/listings/${code}/approve`, postJson({}), lhasaOp);
    assert.equal(refused.status, 403);
    assert.equal((await jsonOf(refused)).code, 'forbidden');
    const lhasaQueue = await api('/listings/moderation?region=pref_shigatse', {}, lhasaOp);
    assert.equal(lhasaQueue.status, 403);
    assert.equal((await from(stack)(`/api/v1/listings/${code}`)).status, 404, 'still waiting');

    const approved = await api(`/listings/${code}/approve`, postJson({}), shigatseOp);
    assert.equal(approved.status, 200);
    assert.equal((await jsonOf(approved)).status, 'open');
    assert.equal((await from(stack)(`/api/v1/listings/${code}`)).status, 200);
  });

  test('reject needs a reason and tells the owner; a hidden offer leaves the public API', async () => {
    const code = await posted(NEWBIE2);
    const rejected = await api(`/listings/${code}/reject`, postJson({ reason: 'asks for payment first' }), shigatseOp);
    assert.equal(rejected.status, 200);
    const body = await jsonOf(rejected);
    assert.equal(body.status, 'rejected');
    assert.equal(body.moderationReason, 'asks for payment first');

    const open = await posted(SELLER, { commodityId: 'butter', quantity: 20 });
    const hidden = await api(`/listings/${open}/hide`, postJson({ reason: 'duplicate' }), shigatseOp);
    assert.equal(hidden.status, 200);
    assert.equal((await jsonOf(hidden)).status, 'hidden');
    assert.equal((await from(stack)(`/api/v1/listings/${open}`)).status, 404);
    assert.equal((await api('/listings/L000000/approve', postJson({}), shigatseOp)).status, 404);
  });

  test('an operator posts for a farmer: 201 waiting for the YES, not public; the same Idempotency-Key is the same offer; another region is a 403', async () => {
    const send = (key: string, token = shigatseOp, over: Record<string, unknown> = {}) =>
      api('/listings', postJson(offer({ phone: FARMER, ...over }), { 'Idempotency-Key': key }), token);
    const first = await send('form-1');
    assert.equal(first.status, 201, await first.clone().text());
    const stored = await jsonOf(first);
    assert.equal(stored.status, 'confirming');
    assert.equal(stored.ownerPhone, FARMER);
    assert.equal(stored.priceFen, 450);
    const again = await jsonOf(await send('form-1'));
    assert.equal(again.code, stored.code, 'a retry is the same offer');
    const other = await jsonOf(await send('form-2'));
    assert.notEqual(other.code, stored.code);
    assert.equal((await from(stack)(`/api/v1/listings/${stored.code}`)).status, 404, 'not public before YES');
    assert.ok((await stack.deps.outbound.listTo(FARMER, 10)).length >= 1, 'the farmer was asked by SMS');

    const elsewhere = await send('form-3', lhasaOp);
    assert.equal(elsewhere.status, 403);
    const nowhere = await send('form-4', shigatseOp, { region: 'cty_nowhere' });
    assert.equal(nowhere.status, 400);
    const detail = (await jsonOf(nowhere)).errors as Array<{ path: string }>;
    assert.ok(detail.some((d) => /region/.test(d.path)));
    const zero = await send('form-5', shigatseOp, { price: '0' });
    assert.equal(zero.status, 400, 'a zero price is refused, not taken as negotiable');
  });

  test('an operator vouches for, blocks and unblocks a number; a bad number is a 400', async () => {
    const vouch = await api('/vouches', postJson({ phone: '13900000631' }), shigatseOp);
    assert.equal(vouch.status, 201);
    assert.equal((await jsonOf(vouch)).phone, '+8613900000631');
    assert.equal(
      (await api(`/vouches/${encodeURIComponent('+8613900000631')}`, { method: 'DELETE' }, shigatseOp)).status,
      204,
    );
    const block = await api('/blocks', postJson({ phone: '+8613900000632', reason: 'advance-fee scam' }), shigatseOp);
    assert.equal(block.status, 201);
    assert.equal((await jsonOf(block)).reason, 'advance-fee scam');
    assert.equal(
      (await api(`/blocks/${encodeURIComponent('+8613900000632')}`, { method: 'DELETE' }, shigatseOp)).status,
      204,
    );
    const bad = await api('/vouches', postJson({ phone: 'not a number' }), shigatseOp);
    assert.equal(bad.status, 400);
  });
});
