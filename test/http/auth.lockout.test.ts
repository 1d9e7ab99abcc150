/**
 * An outsider must not be able to keep a staff member from signing in — by
 * asking for codes for their phone, or by typing wrong codes — while guessing stays bounded,
 * and an office behind one address must not lock its colleagues out. Real counters and
 * states in the table; the clock is moved, never waited for.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { codePolicy } from '#core/staff/codes.ts';
import { jsonOf } from '#test/support/json.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import {
  advanceClock,
  bearer,
  CookieJar,
  csrfOf,
  form,
  from,
  latestCode,
  nextHour,
  postJson,
  type Send,
  signIn,
  smsCount,
} from '#test/support/staff.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

let n = 0;
/** A staff member of their own for each test: daily counters of one test never reach another. */
async function newStaff(): Promise<string> {
  const phone = `+86137${String(++n).padStart(8, '0')}`;
  const at = stack.deps.now().toISOString();
  await stack.deps.staff.create({
    phone,
    grants: [{ role: 'collector', regions: ['pref_lhasa'] }],
    invitedBy: '+8613800000000',
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
  return phone;
}

const status = async (res: Promise<Response>) => (await res).status;
const codeOf = async (res: Response) => ((await jsonOf(res)) as { code: string }).code;
const wrongFor = (code: string) => (code === '000000' ? '000001' : '000000');

/** Spends every wrong answer strangers have for `phone` today, from as many addresses as it takes. */
async function spendStrangersDay(phone: string, net: string) {
  let spent = 0;
  for (let a = 1; spent < codePolicy.strangerFailuresPerDay; a++) {
    const outsider = from(stack, `${net}.${a}`);
    for (let i = 0; i < codePolicy.maxFailures && spent < codePolicy.strangerFailuresPerDay; i++, spent++) {
      assert.equal(await status(outsider('/api/v1/auth/token', postJson({ phone, code: '999999' }))), 401);
    }
  }
}

describe('an outsider cannot keep staff from signing in', () => {
  test('refused requests count for nothing: five requests in one second, and a minute later a code still comes', async () => {
    const phone = await newStaff();
    const send = from(stack, '198.51.100.100');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await status(send('/api/v1/auth/code', postJson({ phone }))));
    assert.deepEqual(answers, [202, 429, 429, 429, 429]);
    assert.equal(await smsCount(stack, phone), 1);
    advanceClock(stack, 61);
    assert.equal(await status(send('/api/v1/auth/code', postJson({ phone }))), 202, 'the refused four used up nothing');
    advanceClock(stack, 61);
    assert.equal(await status(send('/api/v1/auth/code', postJson({ phone }))), 202);
  });

  test('an outsider asking for codes every minute neither replaces nor uses up the code the staff member holds', async () => {
    const phone = await newStaff();
    const staff = from(stack, '198.51.100.101');
    assert.equal(await status(staff('/api/v1/auth/code', postJson({ phone }))), 202);
    const code = (await latestCode(stack, phone))!;
    const outsider = from(stack, '203.0.113.101');
    for (let minute = 1; minute <= 4; minute++) {
      advanceClock(stack, 61);
      assert.equal(await status(outsider('/api/v1/auth/code', postJson({ phone }))), 202);
    }
    assert.ok((await smsCount(stack, phone)) <= 2, 'the same code went at most twice');
    assert.equal(await latestCode(stack, phone), code, 'every SMS carried the same code');
    assert.equal(await status(staff('/api/v1/auth/token', postJson({ phone, code }))), 200);
  });

  test('after five minutes a new code is made, and the one the staff member holds stays good until its ten are up', async () => {
    const phone = await newStaff();
    const staff = from(stack, '198.51.100.102');
    await staff('/api/v1/auth/code', postJson({ phone }));
    const code = (await latestCode(stack, phone))!;
    advanceClock(stack, 5 * 60);
    assert.equal(await status(from(stack, '203.0.113.102')('/api/v1/auth/code', postJson({ phone }))), 202);
    assert.notEqual(await latestCode(stack, phone), code, 'a new code went out');
    advanceClock(stack, 4 * 60);
    assert.equal(await status(staff('/api/v1/auth/token', postJson({ phone, code }))), 200);
  });

  test("an outsider's wrong codes lock only his own address: the staff member elsewhere signs in at once", async () => {
    const phone = await newStaff();
    const staff = from(stack, '198.51.100.103');
    await staff('/api/v1/auth/code', postJson({ phone }));
    const code = (await latestCode(stack, phone))!;
    const outsider = from(stack, '203.0.113.103');
    const answers = [];
    for (let i = 0; i < 6; i++)
      answers.push(await codeOf(await outsider('/api/v1/auth/token', postJson({ phone, code: wrongFor(code) }))));
    assert.deepEqual(answers, ['code_invalid', 'code_invalid', 'code_invalid', 'code_invalid', 'locked', 'locked']);
    assert.equal(await status(outsider('/api/v1/auth/code', postJson({ phone }))), 401, 'the outsider is locked');
    assert.equal(await status(staff('/api/v1/auth/token', postJson({ phone, code }))), 200, 'the staff member is not');
  });

  test('once strangers have had their 10 wrong codes of the day, a device that signed in before still signs in (API: Device-Token)', async () => {
    const phone = await newStaff();
    const staff = from(stack, '198.51.100.104');
    await staff('/api/v1/auth/code', postJson({ phone }));
    const first = await staff('/api/v1/auth/token', postJson({ phone, code: (await latestCode(stack, phone))! }));
    assert.equal(first.status, 200);
    const device = first.headers.get('device-token')!;
    assert.ok(device);

    advanceClock(stack, 3600);
    await spendStrangersDay(phone, '203.0.113');
    const stranger = from(stack, '192.0.2.104');
    const refused = await stranger('/api/v1/auth/code', postJson({ phone }));
    assert.equal(refused.status, 401, 'no more codes for strangers today');
    assert.equal(await codeOf(refused), 'locked');
    assert.equal(await status(stranger('/api/v1/auth/token', postJson({ phone, code: '123456' }))), 401);

    // The device, even from an address an outsider used.
    const known: Send = (path, init) =>
      from(stack, '203.0.113.1')(path, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), 'Device-Token': device },
      });
    assert.equal(await status(known('/api/v1/auth/code', postJson({ phone }))), 202);
    const res = await known('/api/v1/auth/token', postJson({ phone, code: (await latestCode(stack, phone))! }));
    assert.equal(res.status, 200);
    assert.notEqual(res.headers.get('device-token'), device, 'the token is renewed at each sign-in');

    const { token } = await signIn(stack, '+8613800000000');
    const audit = (await jsonOf(await from(stack)('/api/v1/audit', bearer(token)))) as {
      items: Array<{ action: string; actor: string; detail?: { scope?: string } }>;
    };
    assert.ok(
      audit.items.some((e) => e.action === 'auth.locked' && e.actor === phone && e.detail?.scope === 'strangers_today'),
      'the attack is in the audit log',
    );
  });

  test('the browser: a staff member who signed in on this computer signs in again through the form, whatever strangers did', async () => {
    const phone = await newStaff();
    const send = from(stack, '198.51.100.105');
    const jar = new CookieJar();
    const signInByForm = async () => {
      const page = await (await jar.send(send, '/sign-in?lang=en')).text();
      const asked = await jar.send(send, '/sign-in/code', form({ _csrf: csrfOf(page), phone }));
      assert.equal(asked.headers.get('location'), '/sign-in?step=code');
      const codePage = await (await jar.send(send, '/sign-in?step=code')).text();
      return jar.send(send, '/sign-in', form({ _csrf: csrfOf(codePage), code: (await latestCode(stack, phone))! }));
    };
    assert.equal((await signInByForm()).headers.get('location'), '/staff');
    assert.ok(jar.cookies.get('device'), 'the browser keeps a device cookie');
    await jar.send(send, '/sign-out', form({ _csrf: csrfOf(await (await jar.send(send, '/staff')).text()) }));

    advanceClock(stack, 3600);
    await spendStrangersDay(phone, '203.0.114');
    assert.equal((await signInByForm()).headers.get('location'), '/staff', 'signed in again');
  });

  test('an office behind one address: ten colleagues sign in within the hour, and one who mistypes five times locks only themself', async () => {
    const office = from(stack, '198.51.100.106');
    const colleagues = [];
    for (let i = 0; i < 10; i++) colleagues.push(await newStaff());
    const [clumsy, next] = colleagues as [string, string];
    await office('/api/v1/auth/code', postJson({ phone: clumsy }));
    for (let i = 0; i < codePolicy.maxFailures; i++)
      await office(
        '/api/v1/auth/token',
        postJson({ phone: clumsy, code: wrongFor((await latestCode(stack, clumsy))!) }),
      );
    assert.equal(
      await codeOf(
        await office('/api/v1/auth/token', postJson({ phone: clumsy, code: (await latestCode(stack, clumsy))! })),
      ),
      'locked',
    );
    for (const phone of [next, ...colleagues.slice(2)]) {
      assert.equal(await status(office('/api/v1/auth/code', postJson({ phone }))), 202, phone);
      assert.equal(
        await status(office('/api/v1/auth/token', postJson({ phone, code: (await latestCode(stack, phone))! }))),
        200,
        phone,
      );
    }
  });

  test('answers sent all at once share one budget: at most four are judged wrong before the lock', async () => {
    const phone = await newStaff();
    const send = from(stack, '198.51.100.107');
    await send('/api/v1/auth/code', postJson({ phone }));
    const wrong = wrongFor((await latestCode(stack, phone))!);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => send('/api/v1/auth/token', postJson({ phone, code: wrong })).then(codeOf)),
    );
    const invalid = answers.filter((a) => a === 'code_invalid').length;
    assert.ok(invalid <= codePolicy.maxFailures - 1, `${invalid} judged wrong: ${answers.join(', ')}`);
    assert.ok(answers.includes('locked'));
    assert.ok(
      answers.every((a) => ['code_invalid', 'locked', 'conflict'].includes(a)),
      answers.join(', '),
    );
  });
});
