/** The exchange's pages: addresses, sign-in, CSRF; and what the public and staff see. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { formsTo, staffBrowser } from '#test/support/price-web.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN, CookieJar, csrfOf, form, from } from '#test/support/staff.ts';

let stack: TestStack;
let admin: Awaited<ReturnType<typeof staffBrowser>>;
/** The number the offer pages tell the public to write to. */
const SERVICE_NUMBER = '106900001234';
beforeAll(async () => {
  stack = await startTestStack({ SMS_SERVICE_NUMBER: SERVICE_NUMBER });
  admin = await staffBrowser(stack, ADMIN);
});
afterAll(() => stack.close());

const staffPages = [
  '/staff/market/moderation',
  '/staff/market/vouches',
  '/staff/market/blocks',
  '/staff/market/words',
  '/staff/market/post',
  '/staff/market/sheet',
];
const staffForms = [
  '/staff/market/moderation/approve',
  '/staff/market/moderation/reject',
  '/staff/market/moderation/hide',
  '/staff/market/vouches',
  '/staff/market/vouches/remove',
  '/staff/market/blocks',
  '/staff/market/blocks/remove',
  '/staff/market/words',
  '/staff/market/post',
];

describe('exchange pages: addresses, sign-in and CSRF', () => {
  test('an offer address that is no code is a 404 page; a code typed another way goes to its one address, language kept', async () => {
    const send = from(stack);
    for (const path of ['/market/abc', '/market/L12', '/market/L1234567']) {
      const res = await send(`${path}?lang=en`);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    }
    for (const typed of ['l4821', '4821']) {
      const res = await send(`/market/${typed}?lang=zh`);
      assert.equal(res.status, 301, typed);
      assert.equal(res.headers.get('location'), '/market/L4821?lang=zh');
    }
  });

  test('not signed in: every staff page sends you to sign in and back, every form to sign in', async () => {
    const send = from(stack);
    for (const path of staffPages) {
      const res = await send(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get('location'), `/sign-in?next=${path}`, path);
    }
    const jar = new CookieJar();
    const token = csrfOf(await (await jar.send(send, '/sign-in')).text());
    for (const path of staffForms) {
      const res = await jar.send(send, path, form({ _csrf: token, code: 'L4821', phone: '+8613900000601' }));
      assert.equal(res.status, 303, path);
      assert.match(res.headers.get('location')!, /^\/sign-in/, path);
    }
  });

  test('signed in, a form without its CSRF token (or with another one) is refused with a 403 page', async () => {
    for (const path of staffForms) {
      const none = await admin.raw(path, form({ code: 'L4821', phone: '+8613900000601', reason: 'x' }));
      assert.equal(none.status, 403, path);
      assert.match(await none.text(), /<html/);
      const forged = await admin.raw(path, form({ _csrf: 'forged', code: 'L4821', phone: '+8613900000601' }));
      assert.equal(forged.status, 403, path);
    }
  });

  test('the home page links to the exchange, in every language', async () => {
    for (const lang of ['bo', 'zh', 'en']) {
      const html = await (await from(stack)(`/?lang=${lang}`)).text();
      assert.match(html, /href="\/market"/, lang);
      assert.match(html, /href="\/market\?side=buy"/, lang);
    }
  });
});

describe('exchange pages against the real exchange', () => {
  const GYANTSE = 'cty_shigatse_gyantse';
  const SELLERS = ['+8613900000701', '+8613900000702', '+8613900000703', '+8613900000704'];
  const NEWBIE = '+8613900000705';
  const FARMER = '+8613900000706';
  let operator: Awaited<ReturnType<typeof staffBrowser>>;
  let lhasaOperator: Awaited<ReturnType<typeof staffBrowser>>;
  let seq = 0;
  const acting = { actor: { phone: ADMIN, grants: [{ role: 'admin' as const, regions: ['*'] }], configAdmin: true } };

  async function posted(phone: string, over: Record<string, unknown> = {}) {
    const answer = await stack.deps.exchange.post(
      { phone, messageId: `test:page-${++seq}`, homeRegionId: GYANTSE, language: 'en' },
      {
        side: 'sell',
        commodityId: 'wheat',
        quantity: 100 + seq,
        unitId: 'jin',
        priceFen: 300,
        regionId: GYANTSE,
        ...over,
      },
      'sell wheat',
    );
    const code = String(answer.lines.find((l) => l.params?.code)?.params?.code);
    assert.match(code, /^L\d{4,6}$/);
    return code;
  }
  const codesIn = (html: string) => [...html.matchAll(/href="\/market\/(L\d+)"/g)].map((m) => m[1]!);

  beforeAll(async () => {
    operator = await staffBrowser(stack, '+8613900000711', [{ role: 'operator', regions: ['pref_shigatse'] }]);
    lhasaOperator = await staffBrowser(stack, '+8613900000712', [{ role: 'operator', regions: ['pref_lhasa'] }]);
    for (const phone of SELLERS) await stack.deps.exchange.vouch(acting, phone);
  });

  test('/market pages through 32 open offers, newest first, 30 at a time; no phone number on any page', async () => {
    const posted32: string[] = [];
    for (const phone of SELLERS) for (let i = 0; i < 8; i++) posted32.push(await posted(phone));
    const first = await (await from(stack)('/market?side=sell&commodity=wheat&lang=en')).text();
    const page1 = codesIn(first);
    assert.equal(page1.length, 30);
    assert.deepEqual(page1, [...posted32].reverse().slice(0, 30), 'newest first');
    const next = /<a href="([^"]+)" rel="next"/.exec(first)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(next, 'a next link');
    const second = await (await from(stack)(next)).text();
    assert.deepEqual(codesIn(second).sort(), [...posted32].reverse().slice(30).sort());
    for (const html of [first, second]) for (const phone of SELLERS) assert.ok(!html.includes(phone.slice(3)));
    // The other side, and a region elsewhere, have none of them.
    const wanted = await (await from(stack)('/market?side=buy&commodity=wheat')).text();
    assert.deepEqual(codesIn(wanted), []);
    const lhasa = await (await from(stack)('/market?side=sell&commodity=wheat&region=pref_lhasa')).text();
    assert.deepEqual(codesIn(lhasa), []);
    // A mangled cursor starts again rather than failing.
    const mangled = await from(stack)('/market?side=sell&commodity=wheat&cursor=nonsense');
    assert.equal(mangled.status, 200);
    assert.equal(codesIn(await mangled.text()).length, 30);
  });

  test("an offer page, in each language: the facts, how to write by SMS to the service number, never the owner's number", async () => {
    const code = await posted(SELLERS[0]!, { commodityId: 'butter', quantity: 20, priceFen: 3550, grade: 'first' });
    for (const lang of ['bo', 'zh', 'en']) {
      const res = await from(stack)(`/market/${code}?lang=${lang}`);
      assert.equal(res.status, 200, lang);
      const html = await res.text();
      assert.ok(html.includes(`MSG ${code}`), lang);
      assert.ok(html.includes(SERVICE_NUMBER), lang);
      assert.ok(html.includes('35.50'), lang);
      assert.ok(!html.includes(SELLERS[0]!.slice(3)), lang);
    }
    const en = await (await from(stack)(`/market/${code}?lang=en`)).text();
    assert.match(en, /Send MSG L\d+ and your message to 106900001234/);
    assert.match(en, /Never pay in advance/);
    const negotiable = await posted(SELLERS[1]!, { commodityId: 'butter', priceFen: null });
    assert.match(await (await from(stack)(`/market/${negotiable}?lang=en`)).text(), /price negotiable/);
    // Ended: still shown, without the way to write.
    await stack.deps.exchange.end({ phone: SELLERS[1]!, messageId: `test:page-end-${code}` }, negotiable, 'sold');
    const ended = await (await from(stack)(`/market/${negotiable}?lang=en`)).text();
    assert.match(ended, /This offer has ended/);
    assert.doesNotMatch(ended, /Send MSG/);
  });

  test("moderation: the queue shows why an offer waits; its operator approves it by form; another region's operator gets the 403 page", async () => {
    const code = await posted(NEWBIE, { commodityId: 'barley_qingke' });
    assert.equal((await from(stack)(`/market/${code}`)).status, 404, 'not public while it waits');
    const queue = await (await operator.get('/staff/market/moderation?lang=en')).text();
    assert.ok(queue.includes(code));
    assert.match(queue, /First offer from an unvouched number/);
    const fields = formsTo(queue, '/staff/market/moderation/approve').find((f) => f.code === code)!;
    assert.ok(fields);

    const refused = await lhasaOperator.post('/staff/market/moderation/approve', queue, fields);
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('content-type') ?? '', /text\/html/);

    const done = await operator.post('/staff/market/moderation/approve', queue, fields);
    assert.equal(done.status, 303);
    assert.match(done.headers.get('location')!, /done=approved/);
    assert.equal((await from(stack)(`/market/${code}`)).status, 200);
    const after = await (await operator.get(`${done.headers.get('location')!}&lang=en`)).text();
    assert.match(after, /Approved\. The offer is public now\./);
  });

  test('posting for a farmer: a refused form comes back with its values and errors; a good one says the SMS went, and sending it twice is one offer', async () => {
    const page = await (await operator.get('/staff/market/post?lang=en')).text();
    const requestId = /name="requestId" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(requestId);
    const values = {
      requestId,
      phone: '139 0000 0706',
      side: 'sell',
      commodity: 'barley_qingke',
      quantity: 'lots',
      unit: 'jin',
      price: '4.5.0',
      grade: '',
      region: GYANTSE,
    };
    const bad = await operator.post('/staff/market/post?lang=en', page, values);
    assert.equal(bad.status, 400);
    const badHtml = await bad.text();
    assert.match(badHtml, /value="lots"/);
    assert.match(badHtml, /value="139 0000 0706"/);
    assert.match(badHtml, /Enter a quantity greater than zero/);
    assert.match(badHtml, /Enter a price in yuan/);
    assert.ok(badHtml.includes(`value="${requestId}"`), 'the same request id, so a fixed form is still one offer');

    // A value no select offers (an old page, a hand-made post): core's check, said beside its field.
    const tampered = await operator.post('/staff/market/post?lang=en', page, {
      ...values,
      quantity: '500',
      price: '4.50',
      unit: 'bushel',
    });
    assert.equal(tampered.status, 400);
    assert.match(await tampered.text(), /id="unit-error"[^>]*>Choose a unit from the list\./);

    const good = { ...values, quantity: '500', price: '4.50' };
    const res = await operator.post('/staff/market/post', page, good);
    assert.equal(res.status, 303);
    const code = new URL(res.headers.get('location')!, 'http://x').searchParams.get('sent')!;
    assert.match(code, /^L\d+$/);
    const again = await operator.post('/staff/market/post', page, good);
    assert.equal(new URL(again.headers.get('location')!, 'http://x').searchParams.get('sent'), code);
    const sent = await (await operator.get(`${res.headers.get('location')!}&lang=en`)).text();
    assert.ok(sent.includes(`Offer ${code} is stored. The farmer was sent an SMS to confirm.`));
    assert.ok((await stack.deps.outbound.listTo(FARMER, 10)).length >= 1);
    assert.equal((await from(stack)(`/market/${code}`)).status, 404, 'not public before the YES');

    // Outside the operator's regions: the 403 page.
    const lhasaPage = await (await lhasaOperator.get('/staff/market/post')).text();
    const elsewhere = await lhasaOperator.post('/staff/market/post', lhasaPage, {
      ...good,
      requestId: 'other-request-1',
    });
    assert.equal(elsewhere.status, 403);
  });

  test('numbers and words: an operator vouches and blocks by form; the flagged-word list is for admins only', async () => {
    const page = await (await operator.get('/staff/market/blocks?lang=en')).text();
    const blocked = await operator.post('/staff/market/blocks', page, {
      phone: '13900000721',
      reason: 'asks for deposits',
    });
    assert.equal(blocked.status, 303);
    assert.match(blocked.headers.get('location')!, /done=blocked/);
    const list = await (await operator.get('/staff/market/blocks?lang=en')).text();
    assert.ok(list.includes('+8613900000721'));
    assert.ok(list.includes('asks for deposits'));
    const noReason = await operator.post('/staff/market/blocks', page, { phone: '13900000722', reason: '' });
    assert.match(noReason.headers.get('location')!, /error=reason/);
    const badPhone = await operator.post('/staff/market/vouches', page, { phone: 'nobody' });
    assert.match(badPhone.headers.get('location')!, /error=phone/);

    assert.equal((await operator.get('/staff/market/words')).status, 403);
    const words = await (await admin.get('/staff/market/words?lang=en')).text();
    const saved = await admin.post('/staff/market/words', words, {
      bo: '',
      zh: '先付款\n先付款\n',
      en: 'western union',
    });
    assert.equal(saved.status, 303);
    const after = await (await admin.get('/staff/market/words?lang=en')).text();
    assert.match(after, />[^<]*先付款[^<]*</);
    assert.ok(after.includes('western union'));
  });

  test("the market sheet lists a region's open offers without numbers; the staff home links the exchange pages", async () => {
    const code = await posted(SELLERS[2]!, { commodityId: 'barley_qingke' });
    const sheet = await (await operator.get('/staff/market/sheet?region=pref_shigatse&lang=en')).text();
    assert.ok(sheet.includes(code));
    for (const phone of SELLERS) assert.ok(!sheet.includes(phone.slice(3)));
    const choose = await (await operator.get('/staff/market/sheet?lang=en')).text();
    assert.ok(choose.includes('/staff/market/sheet?region=pref_shigatse'));
    assert.equal((await lhasaOperator.get('/staff/market/sheet?region=pref_shigatse')).status, 403);
    const home = await (await operator.get('/staff?lang=en')).text();
    for (const path of ['/staff/market/moderation', '/staff/market/post', '/staff/market/sheet'])
      assert.ok(home.includes(`href="${path}"`), path);
    assert.ok(!home.includes('href="/staff/market/words"'), 'words are for admins');
  });
});
