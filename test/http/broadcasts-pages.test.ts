/**
 * The broadcast staff pages against the real stack, as a browser with JavaScript off uses
 * them: the form, a preview under the filled form, create, approval by another staff member,
 * send, the page's counts; CSRF, sign-in, scope; and a text with markup in it shown as text.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { outsideQuietHours } from '#test/support/broadcasts.ts';
import { freshNumber, outbox, texts } from '#test/support/dev-sms.ts';
import { fieldError, formsTo, staffBrowser } from '#test/support/price-web.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { CookieJar, csrfOf, form, from } from '#test/support/staff.ts';

let stack: TestStack;
type Browser = Awaited<ReturnType<typeof staffBrowser>>;
let author: Browser;
let second: Browser;
let lhasa: Browser;
let collector: Browser;
const SUBSCRIBERS: string[] = [];

beforeAll(async () => {
  stack = await startTestStack({ BROADCAST_APPROVAL_THRESHOLD: '2', ...outsideQuietHours() });
  for (let i = 0; i < 3; i++) {
    const phone = freshNumber('137');
    SUBSCRIBERS.push(phone);
    await texts(stack, phone, 'JOIN Gyantse');
  }
  await texts(stack, SUBSCRIBERS[0]!, 'LANG BO');
  await texts(stack, SUBSCRIBERS[1]!, 'LANG ZH');
  await texts(stack, SUBSCRIBERS[2]!, 'LANG EN');
  author = await staffBrowser(stack, '+8613900000901', [{ role: 'operator', regions: ['pref_shigatse'] }]);
  second = await staffBrowser(stack, '+8613900000902', [{ role: 'operator', regions: ['pref_shigatse'] }]);
  lhasa = await staffBrowser(stack, '+8613900000903', [{ role: 'editor', regions: ['pref_lhasa'] }]);
  collector = await staffBrowser(stack, '+8613900000904', [{ role: 'collector', regions: ['pref_shigatse'] }]);
});
afterAll(() => stack.close());

const fields = (over: Record<string, string | string[]> = {}) => ({
  requestId: `req-${Math.random().toString(36).slice(2, 12)}`,
  regions: ['pref_shigatse'],
  text_bo: 'སང་ཉིན་ཁ་བ་འབབ།',
  text_zh: '明天有霜冻。',
  text_en: 'Frost tomorrow.\nCover the barley.',
  sendAt: '',
  ...over,
});

const idFrom = (location: string | null) =>
  /^\/staff\/broadcasts\/(b[0-9a-z]{10})\?done=created$/.exec(location ?? '')?.[1];

describe('broadcast pages: sign-in, CSRF, scope', () => {
  const pages = ['/staff/broadcasts', '/staff/broadcasts/new', '/staff/broadcasts/b0000000000'];
  const forms = ['/staff/broadcasts', '/staff/broadcasts/preview', '/staff/broadcasts/b0000000000/approve'];

  test('not signed in: pages send you to sign in and back', async () => {
    for (const path of pages) {
      const res = await from(stack)(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get('location'), `/sign-in?next=${path}`);
    }
    const jar = new CookieJar();
    const token = csrfOf(await (await jar.send(from(stack), '/sign-in')).text());
    for (const path of forms) {
      const res = await jar.send(from(stack), path, form({ _csrf: token, ...fields() }));
      assert.equal(res.status, 303, path);
      assert.match(res.headers.get('location')!, /^\/sign-in/);
    }
  });

  test('a form without its CSRF token, or with a forged one, is refused and creates nothing', async () => {
    for (const path of forms) {
      assert.equal((await author.raw(path, form(fields()))).status, 403, path);
      assert.equal((await author.raw(path, form({ _csrf: 'forged', ...fields() }))).status, 403, path);
    }
    const history = await (await author.get('/staff/broadcasts?region=pref_shigatse')).text();
    assert.doesNotMatch(history, /href="\/staff\/broadcasts\/b[0-9a-z]{10}"/);
  });

  test('without the role: a 403 page; the staff home links to broadcasts only for those who may', async () => {
    const res = await collector.get('/staff/broadcasts/new');
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<html/);
    assert.doesNotMatch(await (await collector.get('/staff?lang=en')).text(), /href="\/staff\/broadcasts"/);
    for (const lang of ['bo', 'zh', 'en'])
      assert.match(await (await author.get(`/staff?lang=${lang}`)).text(), /href="\/staff\/broadcasts\/new"/, lang);
  });
});

describe('broadcast pages against the real service', () => {
  test('the form offers regions by prefecture (only yours), topics, languages, a text per language and a Beijing time', async () => {
    const res = await author.get('/staff/broadcasts/new?lang=en');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /name="regions" value="pref_shigatse"/);
    assert.match(html, /name="regions" value="cty_shigatse_gyantse"/);
    assert.doesNotMatch(html, /name="regions" value="pref_lhasa"/, 'not outside the scope');
    for (const topic of ['weather', 'pest', 'disease', 'market'])
      assert.match(html, new RegExp(`name="topics" value="${topic}"`));
    for (const lang of ['bo', 'zh', 'en']) assert.match(html, new RegExp(`<textarea[^>]*name="text_${lang}"`));
    assert.match(html, /type="datetime-local"/);
    assert.match(html, /formaction="\/staff\/broadcasts\/preview"/);
    assert.match(html, /src="\/static\/segment-counter\.js"/);
  });

  test('Preview shows the preview under the filled form, stores nothing, and keeps what was typed', async () => {
    const page = await (await author.get('/staff/broadcasts/new?lang=en')).text();
    const res = await author.post('/staff/broadcasts/preview?lang=en', page, fields());
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /3 recipients/);
    assert.match(html, /Needs approval/);
    assert.match(html, /yuan/);
    // Each rendering as the phone shows it, line breaks kept.
    const renders = [...html.matchAll(/<pre class="sms-render"[^>]*>([\s\S]*?)<\/pre>/g)].map((m) => m[1]!);
    assert.ok(
      renders.some((r) => r.includes('Frost tomorrow.\nCover the barley.')),
      'the English, line break kept',
    );
    assert.ok(
      renders.some((r) => r.includes('སང་ཉིན་ཁ་བ་འབབ')),
      'the Tibetan',
    );
    assert.match(html, /<textarea[^>]*name="text_zh"[^>]*>明天有霜冻。<\/textarea>/);
    assert.match(html, /name="regions" value="pref_shigatse" checked/);
    const history = await (await author.get('/staff/broadcasts?region=pref_shigatse')).text();
    assert.doesNotMatch(history, /href="\/staff\/broadcasts\/b[0-9a-z]{10}"/, 'nothing stored');
  });

  test('bad input comes back on the form with a translated message beside the field', async () => {
    const page = await (await author.get('/staff/broadcasts/new')).text();
    const noRegion = await author.post('/staff/broadcasts/preview?lang=zh', page, fields({ regions: [] }));
    assert.equal(noRegion.status, 400);
    const html = await noRegion.text();
    assert.match(fieldError(html, 'regions') ?? '', /[\u4e00-\u9fff]/);
    const noText = await author.post(
      '/staff/broadcasts?lang=en',
      page,
      fields({ text_bo: '', text_zh: ' ', text_en: '' }),
    );
    assert.equal(noText.status, 400);
    assert.ok(fieldError(await noText.text(), 'text_bo'));
    const past = await author.post('/staff/broadcasts?lang=en', page, fields({ sendAt: '2020-01-01T08:00' }));
    assert.equal(past.status, 400);
    assert.ok(fieldError(await past.text(), 'sendAt'));
    const garbage = await author.post('/staff/broadcasts?lang=bo', page, fields({ sendAt: 'soon' }));
    assert.equal(garbage.status, 400);
    assert.match(fieldError(await garbage.text(), 'sendAt') ?? '', /[\u0F00-\u0FFF]/);
    const tooLong = await author.post('/staff/broadcasts?lang=en', page, fields({ text_zh: '霜'.repeat(800) }));
    assert.equal(tooLong.status, 400);
    assert.ok(fieldError(await tooLong.text(), 'text_zh'));
    const outside = await author.post('/staff/broadcasts', page, fields({ regions: ['pref_lhasa'] }));
    assert.equal(outside.status, 403);
    const history = await (await author.get('/staff/broadcasts?region=pref_shigatse')).text();
    assert.doesNotMatch(history, /href="\/staff\/broadcasts\/b[0-9a-z]{10}"/, 'nothing created');
  });

  test('a text with markup is shown as text on the preview, the page and the history', async () => {
    const page = await (await author.get('/staff/broadcasts/new')).text();
    const evil = '<script>alert(1)</script> & "quotes"';
    const preview = await (
      await author.post('/staff/broadcasts/preview?lang=en', page, fields({ text_en: evil }))
    ).text();
    assert.doesNotMatch(preview, /<script>alert/);
    assert.match(preview, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    const created = await author.post('/staff/broadcasts', page, fields({ text_en: evil }));
    assert.equal(created.status, 303);
    const id = idFrom(created.headers.get('location'));
    assert.ok(id);
    const shown = await (await author.get(`/staff/broadcasts/${id}?lang=en`)).text();
    assert.doesNotMatch(shown, /<script>alert/);
    assert.match(shown, /&lt;script&gt;/);
    const history = await (await author.get('/staff/broadcasts?region=pref_shigatse&lang=en')).text();
    assert.doesNotMatch(history, /<script>alert/);
    // Cancelled, so that it does not count in the later tests.
    const cancel = formsTo(shown, `/staff/broadcasts/${id}/cancel`);
    assert.equal(cancel.length, 1);
    assert.equal((await author.post(`/staff/broadcasts/${id}/cancel`, shown, {})).status, 303);
  });

  test('create, approval by another staff member, send: the page shows the steps and the counts', async () => {
    const page = await (await author.get('/staff/broadcasts/new')).text();
    const create = fields();
    const created = await author.post('/staff/broadcasts', page, create);
    assert.equal(created.status, 303);
    const id = idFrom(created.headers.get('location'))!;
    assert.ok(id);
    // The same form sent twice (a double click, a reload) is one broadcast.
    assert.equal(idFrom((await author.post('/staff/broadcasts', page, create)).headers.get('location')), id);

    const self = `/staff/broadcasts/${id}`;
    const mine = await (await author.get(`${self}?lang=en&done=created`)).text();
    assert.match(mine, /Draft/);
    assert.match(mine, /Draft saved/);
    assert.equal(formsTo(mine, `${self}/approve`).length, 0, 'the author is not offered approval');
    // Forcing it anyway is refused on the page, nothing changed.
    const own = await author.post(`${self}/approve?lang=en`, mine, {});
    assert.equal(own.status, 409);
    assert.match(await own.text(), /notice-error/);

    const theirs = await (await second.get(`${self}?lang=en`)).text();
    assert.equal(formsTo(theirs, `${self}/approve`).length, 1);
    const approved = await second.post(`${self}/approve`, theirs, {});
    assert.equal(approved.status, 303);
    assert.equal(approved.headers.get('location'), `${self}?done=approve`);
    assert.equal((await second.post(`${self}/approve?lang=en`, theirs, {})).status, 409, 'twice');

    // Outside the broadcast's regions: not even the page.
    assert.equal((await lhasa.get(self)).status, 403);

    const ready = await (await author.get(`${self}?lang=en`)).text();
    assert.equal(formsTo(ready, `${self}/send`).length, 1);
    const sent = await author.post(`${self}/send`, ready, {});
    assert.equal(sent.status, 303);

    let html = '';
    for (let i = 0; i < 100; i++) {
      html = await (await author.get(`${self}?lang=en`)).text();
      if (/data-count="queued">0</.test(html) && /Recipients now<\/dt><dd class="num">3</.test(html)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(html, /Recipients at preview<\/dt><dd class="num">3</);
    assert.match(html, /Recipients now<\/dt><dd class="num">3</);
    assert.match(html, /data-count="queued">0</);
    assert.match(html, /(Final cost|Cost so far): \d+ segments/);
    const status = /<strong class="broadcast-status">([^<]*)</.exec(html)?.[1];
    assert.ok(status === 'Sending' || status === 'Finished', status);
    // The page reloads itself only while it still changes.
    assert.equal(/<meta http-equiv="refresh"/.test(html), status === 'Sending');
    const english = await outbox(stack, SUBSCRIBERS[2]!);
    assert.equal(english.filter((m) => m.text.includes('Frost tomorrow.')).length, 1);
  });

  test('a scheduled broadcast: the page reloads itself every 15 s and has a refresh link; cancel stops it', async () => {
    const page = await (await author.get('/staff/broadcasts/new')).text();
    const later = new Date(Date.now() + 2 * 86400_000 + 8 * 3600_000).toISOString().slice(0, 16);
    // English readers only: one recipient, under the approval threshold.
    const created = await author.post('/staff/broadcasts', page, fields({ languages: ['en'], sendAt: later }));
    assert.equal(created.status, 303);
    const self = `/staff/broadcasts/${idFrom(created.headers.get('location'))}`;
    const draft = await (await author.get(`${self}?lang=en`)).text();
    assert.doesNotMatch(draft, /<meta http-equiv="refresh"/, 'a draft does not change by itself');
    assert.equal((await author.post(`${self}/send`, draft, {})).status, 303);
    const scheduled = await (await author.get(`${self}?lang=en`)).text();
    assert.match(scheduled, /<strong class="broadcast-status">Scheduled</);
    assert.match(scheduled, new RegExp(`<meta http-equiv="refresh" content="15; url=${self}"`));
    assert.match(scheduled, new RegExp(`<a href="${self}">Refresh</a>`));
    assert.equal(formsTo(scheduled, `${self}/pause`).length, 1);
    assert.equal((await author.post(`${self}/cancel`, scheduled, {})).status, 303);
    const cancelled = await (await author.get(`${self}?lang=zh`)).text();
    assert.match(cancelled, /已取消/);
    assert.doesNotMatch(cancelled, /<meta http-equiv="refresh"/);
    assert.equal(formsTo(cancelled, `${self}/send`).length + formsTo(cancelled, `${self}/cancel`).length, 0);
  });

  test('edit a draft: the form comes back filled; saving changes it', async () => {
    const page = await (await author.get('/staff/broadcasts/new')).text();
    const id = idFrom(
      (await author.post('/staff/broadcasts', page, fields({ text_en: 'Vaccination on Monday' }))).headers.get(
        'location',
      ),
    )!;
    const edit = await (await author.get(`/staff/broadcasts/${id}/edit?lang=en`)).text();
    assert.match(edit, /Vaccination on Monday<\/textarea>/);
    const hidden = formsTo(edit, `/staff/broadcasts/${id}/edit`)[0]!;
    const saved = await author.post(`/staff/broadcasts/${id}/edit`, edit, {
      ...hidden,
      regions: ['cty_shigatse_gyantse'],
      text_en: 'Vaccination on Tuesday',
    });
    assert.equal(saved.status, 303);
    const shown = await (await author.get(`/staff/broadcasts/${id}?lang=en`)).text();
    assert.match(shown, /Vaccination on Tuesday/);
  });

  test('the history lists them with their figures, filtered by region and date', async () => {
    const html = await (await author.get('/staff/broadcasts?region=pref_shigatse&lang=en')).text();
    assert.ok([...html.matchAll(/href="\/staff\/broadcasts\/b[0-9a-z]{10}"/g)].length >= 3);
    assert.match(html, /\d+ recipients · [\d.]+ yuan/);
    const future = await (await author.get('/staff/broadcasts?region=pref_shigatse&from=2099-01-01&lang=en')).text();
    assert.doesNotMatch(future, /href="\/staff\/broadcasts\/b[0-9a-z]{10}"/);
  });
});
