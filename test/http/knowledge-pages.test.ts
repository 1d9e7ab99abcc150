/**
 * The knowledge pages against the real stack, as a browser with JavaScript off uses them: an
 * editor's draft through the form, submission, a Tibetan and a Chinese reviewer's approvals,
 * the public pages that then show it (severity in words, Beijing times, CAP and feed links, a
 * print view), an attachment posted straight to the bucket and served back; CSRF, sign-in and
 * region scope; hostile titles shown as text; the experts' pages; page weights as data.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { formsTo, staffBrowser } from '#test/support/price-web.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { CookieJar, csrfOf, form, from } from '#test/support/staff.ts';

let stack: TestStack;
type Browser = Awaited<ReturnType<typeof staffBrowser>>;
let editor: Browser;
let lhasaEditor: Browser;
let boReviewer: Browser;
let zhReviewer: Browser;
let collector: Browser;

const HOSTILE = '<script>alert(1)</script>"&';

beforeAll(async () => {
  stack = await startTestStack();
  const shigatse = ['pref_shigatse'];
  editor = await staffBrowser(stack, '+8613900001201', [{ role: 'editor', regions: shigatse }]);
  lhasaEditor = await staffBrowser(stack, '+8613900001202', [{ role: 'editor', regions: ['pref_lhasa'] }]);
  boReviewer = await staffBrowser(stack, '+8613900001203', [
    { role: 'reviewer', regions: shigatse, languages: ['bo'] },
  ]);
  zhReviewer = await staffBrowser(stack, '+8613900001204', [
    { role: 'reviewer', regions: shigatse, languages: ['zh'] },
  ]);
  collector = await staffBrowser(stack, '+8613900001205', [{ role: 'collector', regions: shigatse }]);
});
afterAll(() => stack.close());

/** A datetime-local value in Asia/Shanghai, `hours` from the stack's now. */
const local = (hours: number) =>
  new Date(stack.deps.now().getTime() + (8 + hours) * 3600_000).toISOString().slice(0, 16);

const alertFields = (over: Record<string, string | string[]> = {}) => ({
  kind: 'alert',
  requestId: `req-${Math.random().toString(36).slice(2, 12)}`,
  regions: ['pref_shigatse'],
  alertKind: 'weather',
  severity: 'severe',
  onset: local(-1),
  expires: local(30),
  mainLanguage: 'bo',
  bo_title: 'སད་ཀྱི་ཉེན་བརྡ།',
  bo_body: 'སང་ཉིན་སད་འབབ།',
  bo_summary: 'སང་ཉིན་སད།',
  bo_instruction: 'ནས་ལ་རས་བཀབ།',
  zh_title: '霜冻预警',
  zh_body: '明天有霜冻。',
  zh_summary: '明天有霜冻，请盖好青稞。',
  zh_instruction: '给青稞覆盖。',
  en_title: 'Frost warning',
  en_body: 'Frost tomorrow.',
  en_summary: 'Frost tomorrow: cover the barley.',
  en_instruction: 'Cover the barley.',
  ...over,
});

const guideFields = (over: Record<string, string | string[]> = {}) => ({
  kind: 'guide',
  requestId: `req-${Math.random().toString(36).slice(2, 12)}`,
  regions: ['pref_shigatse'],
  commodity: 'barley_qingke',
  stage: 'during',
  topic: 'technique',
  months: ['5', '6', '7'],
  bo_title: 'ནས་ཀྱི་ལག་རྩལ།',
  bo_body: 'ནས་ལ་ཆུ་སྟེར།',
  bo_summary: 'ནས་ལ་ཆུ་སྟེར།',
  zh_title: HOSTILE,
  zh_body: `青稞浇水。\n\n${HOSTILE}`,
  zh_summary: '青稞要浇水。',
  en_title: 'Watering barley',
  en_body: 'Water the barley.',
  en_summary: 'Water the barley.',
  ...over,
});

const idFrom = (location: string | null) =>
  /^\/staff\/knowledge\/([gna][0-9a-z]{10})\?done=created$/.exec(location ?? '')?.[1];

/** An editor's new draft through the form; its id. */
async function createDraft(kind: 'alert' | 'guide', fields: Record<string, string | string[]>) {
  const page = await (await editor.get(`/staff/knowledge/new?kind=${kind}&lang=en`)).text();
  const res = await editor.post('/staff/knowledge', page, fields);
  assert.equal(res.status, 303, await res.clone().text());
  const id = idFrom(res.headers.get('location'));
  assert.ok(id, `a draft id in ${res.headers.get('location')}`);
  return id;
}

/** Submit by the editor, then each reviewer approves their language through the item page's own form. */
async function publish(id: string) {
  const page = await (await editor.get(`/staff/knowledge/${id}?lang=en`)).text();
  const submitted = await editor.post(`/staff/knowledge/${id}/submit`, page, {});
  assert.equal(submitted.status, 303);
  for (const [reviewer, language] of [
    [boReviewer, 'bo'],
    [zhReviewer, 'zh'],
  ] as const) {
    const html = await (await reviewer.get(`/staff/knowledge/${id}?lang=en`)).text();
    const approve = formsTo(html, `/staff/knowledge/${id}/approve`);
    assert.deepEqual(
      approve.map((f) => f.language),
      [language],
      'each reviewer is offered their own language only',
    );
    const res = await reviewer.post(`/staff/knowledge/${id}/approve`, html, approve[0]!);
    assert.equal(res.status, 303, await res.clone().text());
    assert.equal(res.headers.get('location'), `/staff/knowledge/${id}?done=approved`);
  }
}

describe('knowledge staff pages: sign-in, CSRF, scope', () => {
  test('not signed in: the pages send you to sign in; forms go nowhere', async () => {
    for (const path of ['/staff/knowledge', '/staff/knowledge/new?kind=guide', '/staff/questions']) {
      const res = await from(stack)(path);
      assert.equal(res.status, 303, path);
      assert.match(res.headers.get('location')!, /^\/sign-in\?next=\/staff\//);
    }
    const jar = new CookieJar();
    const token = csrfOf(await (await jar.send(from(stack), '/sign-in')).text());
    const res = await jar.send(from(stack), '/staff/knowledge', form({ _csrf: token, ...guideFields() }));
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location')!, /^\/sign-in/);
  });

  test('a form without its CSRF token, or with a forged one, is refused and creates nothing', async () => {
    for (const body of [guideFields(), { _csrf: 'forged', ...guideFields() }]) {
      const res = await editor.raw('/staff/knowledge', form(body));
      assert.equal(res.status, 403);
    }
    const drafts = await (await editor.get('/staff/knowledge?kind=guide&status=draft')).text();
    assert.doesNotMatch(drafts, /href="\/staff\/knowledge\/g[0-9a-z]{10}"/);
  });

  test('without the role a 403 page; an editor of another region gets 403 on the item and its steps', async () => {
    const res = await collector.get('/staff/knowledge/new?kind=guide');
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<html/);
    const id = await createDraft('guide', guideFields());
    assert.equal((await lhasaEditor.get(`/staff/knowledge/${id}`)).status, 403);
    const page = await (await lhasaEditor.get('/staff/knowledge/new?kind=guide')).text();
    const submit = await lhasaEditor.post(`/staff/knowledge/${id}/submit`, page, {});
    assert.equal(submit.status, 403);
    const own = await (await editor.get(`/staff/knowledge/${id}?lang=en`)).text();
    assert.match(own, /Drafts/, 'still a draft');
    assert.doesNotMatch(
      await (await collector.get('/staff?lang=en')).text(),
      /href="\/staff\/knowledge"/,
      'no link for those without the permissions',
    );
    assert.match(await (await editor.get('/staff?lang=en')).text(), /href="\/staff\/knowledge\/new\?kind=alert"/);
  });
});

describe('reviewers: languages on their grants, and only theirs to approve', () => {
  test('an admin grants a reviewer Tibetan only, by the languages checkboxes', async () => {
    const admin = await staffBrowser(stack, '+8613800000000');
    const page = await (await admin.get('/staff?lang=en')).text();
    assert.match(page, /name="languages" value="bo"/);
    const res = await admin.post('/staff/grants', page, {
      phone: '+8613900001207',
      role: 'reviewer',
      regions: ['pref_shigatse'],
      languages: ['bo'],
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/staff?done=done.invited');
    const member = await stack.deps.staff.get('+8613900001207');
    assert.deepEqual(member?.grants, [{ role: 'reviewer', regions: ['pref_shigatse'], languages: ['bo'] }]);
    assert.match(await (await admin.get('/staff?lang=en')).text(), /Reviewer<\/strong> — [^<]*· Tibetan/);
  });

  test('a Tibetan reviewer posting a Chinese approval is refused and the item stays in review', async () => {
    const id = await createDraft('guide', guideFields());
    const page = await (await editor.get(`/staff/knowledge/${id}?lang=en`)).text();
    assert.equal((await editor.post(`/staff/knowledge/${id}/submit`, page, {})).status, 303);
    const html = await (await boReviewer.get(`/staff/knowledge/${id}?lang=en`)).text();
    const version = formsTo(html, `/staff/knowledge/${id}/approve`)[0]!.version!;
    const res = await boReviewer.post(`/staff/knowledge/${id}/approve`, html, { language: 'zh', version });
    assert.ok([400, 403].includes(res.status), `refused: ${res.status}`);
    const after = await (await editor.get(`/staff/knowledge/${id}?lang=en`)).text();
    assert.match(after, /In review/);
    assert.doesNotMatch(after, /Chinese: approved/);
    const editorApproves = await editor.post(`/staff/knowledge/${id}/approve`, page, { language: 'bo', version });
    assert.ok([400, 403].includes(editorApproves.status), 'an editor without the reviewer role cannot approve');
  });
});

describe('knowledge: from a draft to the public pages', () => {
  test('the form (JS off): a version per language, the summary counter, a Preview that shows the segments per script', async () => {
    const res = await editor.get('/staff/knowledge/new?kind=alert&lang=en');
    assert.equal(res.status, 200);
    const html = await res.text();
    for (const lang of ['bo', 'zh', 'en']) {
      assert.match(html, new RegExp(`name="${lang}_title"`));
      assert.match(html, new RegExp(`<textarea[^>]*name="${lang}_summary"[^>]*data-counter=`));
    }
    assert.match(html, /name="regions" value="pref_shigatse"/);
    assert.doesNotMatch(html, /name="regions" value="pref_lhasa"/, 'only the editor’s regions');
    assert.match(html, /src="\/static\/segment-counter\.js"/);
    assert.match(html, /formaction="\/staff\/knowledge\/preview"/);
    const preview = await editor.post('/staff/knowledge/preview?lang=en', html, alertFields());
    assert.equal(preview.status, 200);
    const shown = await preview.text();
    assert.match(shown, /Tibetan, Wylie/);
    assert.match(shown, /\d of at most 2/);
    assert.match(shown, /value="霜冻预警"/, 'what was typed is kept');
  });

  test('a summary over its segments is refused beside the field and nothing is stored', async () => {
    const page = await (await editor.get('/staff/knowledge/new?kind=alert&lang=en')).text();
    const res = await editor.post('/staff/knowledge?lang=en', page, alertFields({ zh_summary: '霜'.repeat(400) }));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /class="field-error"/);
  });

  test('an alert through paired review: public list and page show severity in words, area, times, what to do, CAP and feed', async () => {
    const id = await createDraft('alert', alertFields({ en_title: HOSTILE }));
    await publish(id);
    const item = await (await editor.get(`/staff/knowledge/${id}?lang=en`)).text();
    assert.match(item, /Published/);
    const list = await (await from(stack)('/alerts?lang=en')).text();
    assert.match(list, new RegExp(`href="/alerts/${id}"`));
    assert.match(list, /class="sev sev-severe">Severe</, 'a severity has its word');
    const res = await from(stack)(`/alerts/${id}?lang=en`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(!html.includes(HOSTILE), 'a hostile title is never markup');
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /What to do/);
    assert.match(html, /Cover the barley\./);
    assert.match(html, new RegExp(`href="/api/v1/alerts/${id}\\.cap"`));
    assert.match(html, /href="\/feeds\/alerts\.atom\?lang=en"/);
    assert.ok(html.includes(local(-1).replace('T', ' ')), 'onset in Beijing time');
    const bo = await (await from(stack)(`/alerts/${id}?lang=bo`)).text();
    assert.match(bo, /སད་ཀྱི་ཉེན་བརྡ།/);
    assert.match(bo, /ཚབས་ཆེ།/);
  });

  test('a guide: /guide by commodity, its page and print view, escaped; page weights under 14 KB gzip', async () => {
    const id = await createDraft('guide', guideFields());
    await publish(id);
    const home = await (await from(stack)('/guide?lang=zh')).text();
    assert.match(home, /href="\/guide\?commodity=barley_qingke"/);
    const listed = await (await from(stack)('/guide?commodity=barley_qingke&lang=en')).text();
    assert.match(listed, new RegExp(`href="/guide/${id}"`));
    const page = await (await from(stack)(`/guide/${id}?lang=zh`)).text();
    assert.ok(!page.includes(HOSTILE));
    assert.match(page, /&lt;script&gt;/);
    assert.match(page, new RegExp(`href="/guide/${id}/print"`));
    const print = await from(stack)(`/guide/${id}/print?lang=bo`);
    assert.equal(print.status, 200);
    const printed = await print.text();
    assert.match(printed, /lang="bo"/);
    assert.match(printed, /lang="zh"/, 'every language one after another');
    // Sizes are data: each page's gzip bytes against the 14 KB budget.
    for (const path of ['/guide', `/guide?commodity=barley_qingke`, `/guide/${id}`, `/guide/${id}/print`, '/alerts']) {
      for (const lang of ['bo', 'zh', 'en']) {
        const body = await (await from(stack)(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`)).text();
        const kb = gzipSync(body).length / 1024;
        assert.ok(kb <= 14, `${path} ${lang}: ${kb.toFixed(1)} KB gzip`);
      }
    }
  });

  test('unknown ids, drafts and mangled versions are a 404 to the public', async () => {
    const draft = await createDraft('guide', guideFields());
    for (const path of [
      `/guide/${draft}`,
      '/guide/g0000000000',
      '/alerts/a0000000000',
      '/bulletins/nzzz',
      '/guide/x?v=1',
    ]) {
      assert.equal((await from(stack)(path)).status, 404, path);
    }
  });
});

describe('attachments and /files', () => {
  test('the upload page posts straight to the bucket (no JS); S3 sends the browser back; the file is served inline with nosniff', async () => {
    const id = await createDraft('guide', guideFields());
    const res = await editor.get(`/staff/knowledge/${id}/upload?lang=en`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /form-action 'self' https: http:/, 'the upload page may post to the bucket');
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(html)?.[1];
    assert.ok(action && /^https?:\/\//.test(action), `the bucket's address: ${action}`);
    const body = new FormData();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
      body.set(m[1]!, m[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
    body.set('file', new File([png], 'field.png', { type: 'image/png' }));
    const s3 = await fetch(action.replace(/&amp;/g, '&'), { method: 'POST', body, redirect: 'manual' });
    assert.ok([200, 201, 204, 303].includes(s3.status), `S3 answered ${s3.status}`);
    const back = s3.headers.get('location');
    assert.ok(back, 'S3 redirects the browser back');
    const url = new URL(back);
    assert.equal(url.pathname, `/staff/knowledge/${id}/uploaded`);
    const done = await editor.get(`${url.pathname}${url.search}`);
    assert.equal(done.status, 303, await done.clone().text());
    const item = await (await editor.get(`/staff/knowledge/${id}?lang=en`)).text();
    const key = /href="\/files\/(attachments\/[^"]+)"/.exec(item)?.[1];
    assert.ok(key, 'the item lists its file');
    const file = await from(stack)(`/files/${key}`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'image/png');
    assert.equal(file.headers.get('content-disposition'), 'inline');
    assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), png);
    assert.equal((await from(stack)(`/files/${key.replace(/\.png$/, '.pdf')}`)).status, 404);
    assert.equal((await from(stack)('/files/uploads/anything')).status, 404, 'only attachments are served');
  });
});

describe('the experts’ pages', () => {
  test('the queue, a question with the number masked, the answer form with its counter, the figures', async () => {
    const expert = await staffBrowser(stack, '+8613900001206', [
      { role: 'expert', regions: ['pref_shigatse'] },
      { role: 'editor', regions: ['pref_shigatse'] },
    ]);
    await stack.app.request('/dev/sms', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: '+8613712340001', text: 'JOIN Gyantse' }),
    });
    const asked = await stack.app.request('/dev/sms', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: '+8613712340001', text: `ASK my yak is coughing ${HOSTILE}` }),
    });
    assert.equal(asked.status, 200);
    const queue = await (await expert.get('/staff/questions?lang=en')).text();
    const code = /href="\/staff\/questions\/(Q\d+)"/.exec(queue)?.[1];
    assert.ok(code, 'the question is in the county expert’s queue');
    assert.ok(!queue.includes(HOSTILE));
    const page = await (await expert.get(`/staff/questions/${code}?lang=en`)).text();
    assert.doesNotMatch(page, /13712340001/, 'the number is never shown whole');
    assert.match(page, /\*\*\*\*0001/);
    assert.match(page, /<textarea[^>]*name="text"[^>]*data-counter=/);
    const claim = await expert.post(`/staff/questions/${code}/claim`, page, {});
    assert.equal(claim.status, 303);
    const answered = await expert.post(`/staff/questions/${code}/answer`, page, {
      text: 'Keep it warm; call the vet.',
    });
    assert.equal(answered.status, 303);
    assert.equal(answered.headers.get('location'), `/staff/questions/${code}?done=answered`);
    // The answered question made into a draft guide, anonymised, through the same review.
    const after = await (await expert.get(`/staff/questions/${code}?lang=en`)).text();
    assert.match(after, new RegExp(`action="/staff/questions/${code}/guide"`));
    const made = await expert.post(`/staff/questions/${code}/guide`, after, { commodity: 'yak_live', stage: 'during' });
    assert.equal(made.status, 303, await made.clone().text());
    const guide = /^\/staff\/knowledge\/(g[0-9a-z]{10})\?done=created$/.exec(made.headers.get('location') ?? '')?.[1];
    assert.ok(guide, `a draft guide: ${made.headers.get('location')}`);
    const draft = await (await expert.get(`/staff/knowledge/${guide}?lang=en`)).text();
    assert.match(draft, /Drafts/);
    assert.doesNotMatch(draft, /13712340001|\*\*\*\*0001/, 'no trace of the asker’s number');
    const figures = await expert.get('/staff/questions/figures?lang=en');
    assert.equal(figures.status, 200);
    assert.match(await figures.text(), /Answered/);
  });

  test('an expert who reads one language starts with the queue in it; "any" shows the rest', async () => {
    const zhExpert = await staffBrowser(stack, '+8613900001217', [
      { role: 'expert', regions: ['pref_lhasa'], languages: ['zh'] },
    ]);
    const send = (from: string, text: string) =>
      stack.app.request('/dev/sms', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ from, text }),
      });
    await send('+8613712340011', 'JOIN Lhunzhub');
    type Replies = { replies: Array<{ text: string }> };
    const en = (await (await send('+8613712340011', 'ASK my barley leaves are yellow')).json()) as Replies;
    await send('+8613712340012', '注册 林周');
    const zh = (await (await send('+8613712340012', '问 青稞叶子发黄怎么办')).json()) as Replies;
    const codeOf = (r: Replies) => /Q\d+/u.exec(r.replies[0]?.text ?? '')?.[0];
    const [enCode, zhCode] = [codeOf(en), codeOf(zh)];
    assert.ok(enCode && zhCode);
    const first = await (await zhExpert.get('/staff/questions?lang=en')).text();
    assert.ok(first.includes(zhCode), 'the Chinese question is in the first view');
    assert.ok(!first.includes(enCode), 'the English one is filtered out at first');
    const all = await (await zhExpert.get('/staff/questions?lang=en&language=')).text();
    assert.ok(all.includes(enCode) && all.includes(zhCode), '"any language" shows both');
  });
});
