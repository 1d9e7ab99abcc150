/** The sign-in and staff pages as a browser without JavaScript uses them: forms, redirects, cookies. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN, CookieJar, csrfOf, form, from, latestCode, nextHour, type Send } from '#test/support/staff.ts';

let stack: TestStack;
let send: Send;
beforeAll(async () => {
  stack = await startTestStack();
  send = from(stack, '198.51.100.90');
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

/** Signs in through the pages; returns the jar holding the session. */
async function signInByPages(phone: string, lang = 'en') {
  const jar = new CookieJar();
  const page = await jar.send(send, `/sign-in?lang=${lang}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<form method="post" action="\/sign-in\/code"/);
  const asked = await jar.send(send, '/sign-in/code', form({ _csrf: csrfOf(html), phone }));
  assert.equal(asked.status, 303);
  assert.equal(asked.headers.get('location'), '/sign-in?step=code');
  const codePage = await (await jar.send(send, '/sign-in?step=code')).text();
  assert.match(codePage, /name="code"/);
  assert.match(codePage, /autocomplete="one-time-code"/);
  const done = await jar.send(
    send,
    '/sign-in',
    form({ _csrf: csrfOf(codePage), code: (await latestCode(stack, phone))! }),
  );
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/staff');
  return jar;
}

describe('staff pages (happy path, JavaScript off)', () => {
  test('phone → code → /staff, in English; the code step never puts the phone in a URL', async () => {
    const jar = await signInByPages(ADMIN);
    assert.ok(jar.cookies.get('session'));
    assert.equal(jar.cookies.get('sign_in'), undefined, 'the step cookie is cleared');
    const html = await (await jar.send(send, '/staff')).text();
    assert.match(html, /<html lang="en">/);
    assert.match(html, /Signed in as \+8613800000000/);
    assert.match(html, /Invite staff or add a role/);
    assert.match(html, /Recent activity/);
    assert.match(html, /signed in/);
  });

  test('invite, add a role, take one away, remove: each a POST answered by a redirect', async () => {
    const jar = await signInByPages(ADMIN);
    const phone = '+8613900000401';
    let html = await (await jar.send(send, '/staff')).text();
    const post = async (path: string, fields: Record<string, string | string[]>) => {
      const res = await jar.send(send, path, form({ _csrf: csrfOf(html), ...fields }));
      assert.equal(res.status, 303, path);
      html = await (await jar.send(send, res.headers.get('location')!)).text();
      return res.headers.get('location');
    };
    assert.equal(
      await post('/staff/grants', {
        phone: '139 0000 0401',
        role: 'collector',
        regions: ['pref_lhasa', 'pref_shigatse'],
      }),
      '/staff?done=done.invited',
    );
    assert.match(html, /Invited\. They can sign in now\./);
    assert.match(html, /\+8613900000401/);
    assert.deepEqual((await stack.deps.staff.get(phone))!.grants, [
      { role: 'collector', regions: ['pref_lhasa', 'pref_shigatse'] },
    ]);

    assert.equal(
      await post('/staff/grants', { phone, role: 'expert', regions: 'cty_lhasa_lhunzhub' }),
      '/staff?done=done.updated',
    );
    assert.deepEqual(
      (await stack.deps.staff.get(phone))!.grants.map((g) => g.role),
      ['collector', 'expert'],
    );

    const version = String((await stack.deps.staff.get(phone))!.version);
    await post('/staff/grants/remove', { phone, role: 'collector', version });
    assert.deepEqual(
      (await stack.deps.staff.get(phone))!.grants.map((g) => g.role),
      ['expert'],
    );

    await post('/staff/remove', { phone, version: String((await stack.deps.staff.get(phone))!.version) });
    assert.equal(await stack.deps.staff.get(phone), undefined);
    assert.match(html, /Removed from staff\./);
  });

  test('the pages speak Tibetan and Chinese too', async () => {
    const bo = await (await send('/sign-in')).text();
    assert.match(bo, /<html lang="bo">/);
    assert.match(bo, /<h1>ལས་བྱེད་པའི་ནང་འཛུལ།<\/h1>/);
    const zh = await (await send('/sign-in?lang=zh')).text();
    assert.match(zh, /<h1>工作人员登录<\/h1>/);
    const jar = await signInByPages(ADMIN, 'zh');
    assert.match(await (await jar.send(send, '/staff?lang=bo')).text(), /ཕྱིར་ཐོན།/);
  });

  test('sign-out ends the session and says so; /staff then asks to sign in', async () => {
    const jar = await signInByPages(ADMIN);
    const html = await (await jar.send(send, '/staff')).text();
    const out = await jar.send(send, '/sign-out', form({ _csrf: csrfOf(html) }));
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/sign-in?done=signIn.signedOut');
    assert.equal(jar.cookies.get('session'), undefined);
    assert.match(await (await jar.send(send, '/sign-in?done=signIn.signedOut&lang=en')).text(), /You are signed out\./);
    const again = await jar.send(send, '/staff');
    assert.equal(again.status, 303);
    assert.equal(again.headers.get('location'), '/sign-in?next=/staff');
  });

  test('a wrong code comes back to the code step with the error, translated', async () => {
    const jar = new CookieJar();
    const html = await (await jar.send(send, '/sign-in?lang=en')).text();
    await jar.send(send, '/sign-in/code', form({ _csrf: csrfOf(html), phone: ADMIN }));
    const code = (await latestCode(stack, ADMIN))!;
    const wrong = await jar.send(
      send,
      '/sign-in',
      form({ _csrf: csrfOf(html), code: code === '111111' ? '222222' : '111111' }),
    );
    assert.equal(wrong.headers.get('location'), '/sign-in?step=code&error=code_invalid&tries=4');
    assert.match(
      await (await jar.send(send, wrong.headers.get('location')!)).text(),
      /That code is not right\. 4 tries left\./,
    );
  });

  test('a staff member without admin rights sees their roles only', async () => {
    await stack.deps.staff.create({
      phone: '+8613900000402',
      grants: [{ role: 'reviewer', regions: ['pref_lhasa'] }],
      invitedBy: ADMIN,
      createdAt: 'x',
      updatedAt: 'x',
      version: 1,
    });
    const jar = await signInByPages('+8613900000402');
    const html = await (await jar.send(send, '/staff')).text();
    assert.match(html, /Reviewer<\/strong> — Lhasa/);
    assert.doesNotMatch(html, /action="\/staff\/grants"/);
    assert.doesNotMatch(html, /Recent activity/);
  });
});
