/**
 * The sign-in code SMS must not be in Tibetan for a clerk on the Chinese page. It goes
 * in the language the page or request asked for (?lang, the lang
 * cookie, Accept-Language naming a language we speak), else the language the staff member
 * chose for their SMS, else Tibetan.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { newSubscriber } from '#core/subscribers/subscriber.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { CookieJar, csrfOf, deliveries, form, from, nextHour, postJson } from '#test/support/staff.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

let n = 0;
async function newStaff(profile?: { language: 'bo' | 'zh' | 'en'; script?: 'tibetan' | 'wylie' }): Promise<string> {
  const phone = `+86137${String(500 + ++n).padStart(8, '0')}`;
  const now = stack.deps.now();
  await stack.deps.staff.create({
    phone,
    grants: [{ role: 'reviewer', regions: ['pref_lhasa'] }],
    invitedBy: '+8613800000000',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  });
  if (profile)
    await stack.deps.subscribers.createIfAbsent({
      ...newSubscriber(phone, profile.language, now),
      script: profile.script ?? 'tibetan',
    });
  return phone;
}

async function codeSms(phone: string) {
  await deliveries(stack);
  const [sms] = await stack.deps.outbound.listTo(phone, 1);
  assert.equal(sms?.key, 'auth.code');
  return sms!;
}

const zh = /登录验证码：\d{6}/;
const en = /sign-in code: \d{6}/;
const bo = /ནང་འཛུལ་ཨང་གྲངས།/;

describe('the sign-in code SMS speaks the language of the page or request', () => {
  test('API: ?lang=zh, the lang cookie, Accept-Language; a language we do not speak falls through', async () => {
    const cases: Array<[string, RequestInit['headers'], RegExp]> = [
      ['?lang=zh', {}, zh],
      ['?lang=en', { 'Accept-Language': 'zh-CN' }, en],
      ['', { Cookie: 'lang=zh' }, zh],
      ['', { 'Accept-Language': 'en-GB,en;q=0.9' }, en],
      ['', { 'Accept-Language': 'fr-FR, zh;q=0.5' }, zh],
      ['', { 'Accept-Language': 'fr-FR' }, bo],
      ['', {}, bo],
    ];
    for (const [query, headers, expected] of cases) {
      const phone = await newStaff();
      const res = await from(stack, `198.51.100.${120 + n}`)(
        `/api/v1/auth/code${query}`,
        postJson({ phone }, headers as Record<string, string>),
      );
      assert.equal(res.status, 202);
      assert.match((await codeSms(phone)).text, expected, `${query} ${JSON.stringify(headers)}`);
    }
  });

  test('without a language asked for: the one the staff member chose for SMS (Wylie too), else Tibetan', async () => {
    const chinese = await newStaff({ language: 'zh' });
    await from(stack, '198.51.100.150')('/api/v1/auth/code', postJson({ phone: chinese }));
    assert.match((await codeSms(chinese)).text, zh);

    const wylie = await newStaff({ language: 'bo', script: 'wylie' });
    await from(stack, '198.51.100.151')('/api/v1/auth/code', postJson({ phone: wylie }));
    const sms = await codeSms(wylie);
    assert.equal(sms.encoding, 'GSM-7', sms.text);
    assert.doesNotMatch(sms.text, /[\u0F00-\u0FFF]/);

    const asked = await newStaff({ language: 'zh' });
    await from(stack, '198.51.100.152')('/api/v1/auth/code?lang=en', postJson({ phone: asked }));
    assert.match((await codeSms(asked)).text, en, 'the request wins over the saved language');
  });

  test('the /sign-in form, in Chinese and in English: the page the clerk is on', async () => {
    for (const [lang, expected] of [
      ['zh', zh],
      ['en', en],
    ] as const) {
      const phone = await newStaff();
      const send = from(stack, `198.51.100.${160 + n}`);
      const jar = new CookieJar();
      const page = await (await jar.send(send, `/sign-in?lang=${lang}`)).text();
      assert.match(page, new RegExp(`<html lang="${lang}">`));
      const asked = await jar.send(send, '/sign-in/code', form({ _csrf: csrfOf(page), phone }));
      assert.equal(asked.headers.get('location'), '/sign-in?step=code');
      assert.match((await codeSms(phone)).text, expected, lang);
    }
  });
});
