/**
 * The voice line's staff pages against the real stack (dynalite, s3rver, real Hono requests),
 * as a browser with JavaScript off uses them: who may open the studio and the call records,
 * real WAV files uploaded through the form (refused with the reason when stereo, 44.1 kHz, not
 * audio or too long; kept and played back when right), approval by a second speaker of the
 * language only, the coverage figure moving; and the local line /dev/voice through a few keys.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { formsTo, staffBrowser } from '#test/support/price-web.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { csrfOf } from '#test/support/staff.ts';

let stack: TestStack;
type Browser = Awaited<ReturnType<typeof staffBrowser>>;
let recorder: Browser; // an editor who also reviews Tibetan: records, may not approve their own take
let boReviewer: Browser;
let zhReviewer: Browser;
let operator: Browser;
let collector: Browser;

const CLIP = 'say.welcome';

/**
 * A WAV file as a sound editor writes one (the test's own writer, independent of the app's
 * reader): `channels` × 16-bit PCM at `rate`, `seconds` long, a quiet tone.
 */
function wav(seconds: number, rate = 8000, channels = 1): Uint8Array {
  const frames = Math.round(seconds * rate);
  const data = frames * channels * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8, 'ascii');
  b.write('fmt ', 12, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * channels * 2, 28);
  b.writeUInt16LE(channels * 2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(data, 40);
  for (let i = 0; i < frames * channels; i++)
    b.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 440 * Math.floor(i / channels)) / rate)), 44 + i * 2);
  return new Uint8Array(b);
}

/** The upload form as a browser sends it: multipart, the page's CSRF token, the file. */
async function upload(who: Browser, bytes: Uint8Array, name = 'take.wav', type = 'audio/wav') {
  const page = await (await who.get(`/staff/voice/clips/bo/${CLIP}?lang=en`)).text();
  const body = new FormData();
  body.set('_csrf', csrfOf(page));
  body.set('file', new File([bytes], name, { type }));
  return who.raw(`/staff/voice/clips/bo/${CLIP}/upload`, { method: 'POST', body });
}

/** The clip's newest take, as the studio has it. */
const latestTake = async () =>
  (
    await stack.deps.voiceStudio!.clip(
      { actor: { phone: '+8613900001301', grants: [{ role: 'editor', regions: ['*'] }], configAdmin: false } },
      'bo',
      CLIP,
    )
  ).latest;

/** "12 of 340 approved" for a language, from the studio's coverage figures. */
async function approvedCount(who: Browser, lang: 'Tibetan' | 'Chinese') {
  const html = await (await who.get('/staff/voice?lang=en')).text();
  const m = new RegExp(`<dt>${lang}</dt><dd>(\\d+) of (\\d+) approved`).exec(html);
  assert.ok(m, `a coverage figure for ${lang}`);
  return { approved: Number(m[1]), needed: Number(m[2]) };
}

beforeAll(async () => {
  stack = await startTestStack();
  recorder = await staffBrowser(stack, '+8613900001301', [
    { role: 'editor', regions: ['*'] },
    { role: 'reviewer', regions: ['*'], languages: ['bo'] },
  ]);
  boReviewer = await staffBrowser(stack, '+8613900001302', [{ role: 'reviewer', regions: ['*'], languages: ['bo'] }]);
  zhReviewer = await staffBrowser(stack, '+8613900001303', [{ role: 'reviewer', regions: ['*'], languages: ['zh'] }]);
  operator = await staffBrowser(stack, '+8613900001304', [{ role: 'operator', regions: ['pref_lhasa'] }]);
  collector = await staffBrowser(stack, '+8613900001305', [{ role: 'collector', regions: ['pref_lhasa'] }]);
});
afterAll(() => stack.close());

describe('who may open what', () => {
  test('a collector gets the 403 page for the studio and the calls; an operator reads calls but not the studio', async () => {
    assert.equal((await collector.get('/staff/voice?lang=en')).status, 403);
    assert.equal((await collector.get(`/staff/voice/clips/bo/${CLIP}?lang=en`)).status, 403);
    assert.equal((await collector.get('/staff/voice/calls?lang=en')).status, 403);
    assert.equal((await operator.get('/staff/voice?lang=en')).status, 403);
    assert.equal((await recorder.get('/staff/voice/calls?lang=en')).status, 403, 'editors do not read call records');
    const calls = await operator.get('/staff/voice/calls?day=2026-01-05&lang=en');
    assert.equal(calls.status, 200);
    assert.match(await calls.text(), /No calls that day/);
    const denied = await stack.deps.audit.listDay(
      new Date(stack.deps.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10),
      { limit: 200 },
    );
    assert.ok(
      denied.items.some(
        (e) => e.action === 'access.denied' && e.actor === '+8613900001305' && e.detail?.permission === 'voice.calls',
      ),
      'the refusal is in the audit log',
    );
  });

  test('not signed in: to sign-in; the dashboard links the studio and the calls to those who may', async () => {
    const res = await stack.app.request('/staff/voice');
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location') ?? '', /^\/sign-in\?next=\/staff\/voice/);
    const mine = await (await recorder.get('/staff?lang=en')).text();
    assert.match(mine, /href="\/staff\/voice"/);
    assert.doesNotMatch(mine, /href="\/staff\/voice\/calls"/);
    const theirs = await (await operator.get('/staff?lang=en')).text();
    assert.match(theirs, /href="\/staff\/voice\/calls"/);
    assert.doesNotMatch(theirs, /href="\/staff\/voice"/);
  });

  test('a reviewer may listen but not upload: the form is not offered, and a post is refused', async () => {
    const page = await boReviewer.get(`/staff/voice/clips/bo/${CLIP}?lang=en`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(await page.text(), /enctype="multipart\/form-data"/);
    const res = await upload(boReviewer, wav(1));
    assert.equal(res.status, 403);
  });

  test('an unknown clip or language is a 404', async () => {
    assert.equal((await recorder.get('/staff/voice/clips/bo/say.noSuchPhrase?lang=en')).status, 404);
    assert.equal((await recorder.get(`/staff/voice/clips/xx/${CLIP}?lang=en`)).status, 404);
  });
});

describe('call records', () => {
  test("a day's calls: the number masked, the keys, what was heard, the outcome and duration", async () => {
    const startedAt = '2026-03-02T04:05:00.000Z'; // 12:05 in Lhasa and Beijing
    const { call } = await stack.deps.voiceStores.calls.create({
      callId: 'CAvoicepages1',
      provider: 'twiml',
      phone: '+8613912345678',
      to: '+8689100000000',
      lang: 'bo',
      node: 'ended',
      tries: 0,
      path: ['language:1', 'main:1', 'prices.commodity:12'],
      heardLog: ['prices:barley_qingke'],
      smsSent: 0,
      seq: 4,
      lastSteps: [],
      outcome: 'completed',
      startedAt,
      updatedAt: startedAt,
      endedAt: '2026-03-02T04:06:15.000Z',
      durationSeconds: 75,
      version: 0,
    });
    assert.equal(call.callId, 'CAvoicepages1');
    const html = await (await operator.get('/staff/voice/calls?day=2026-03-02&lang=en')).text();
    assert.match(html, /\+86 139\*\*\*\*5678/);
    assert.doesNotMatch(html, /13912345678/, 'never the whole number');
    assert.match(html, /language:1 main:1 prices\.commodity:12/);
    assert.match(html, /prices:barley_qingke/);
    assert.match(html, /completed · 1:15/);
    assert.match(html, /<strong>12:05<\/strong>/);
    const bad = await operator.get('/staff/voice/calls?day=2026-02-30&lang=en');
    assert.equal(bad.status, 200, 'a day that does not exist shows today');
  });
});

describe('uploading a recording', () => {
  const refusals: Array<[string, () => Uint8Array, RegExp]> = [
    ['stereo', () => wav(1, 8000, 2), /must be mono/],
    ['44.1 kHz', () => wav(0.5, 44100), /must be 8 kHz/],
    ['not audio', () => new TextEncoder().encode('<html>not a recording</html>'.repeat(20)), /not a WAV audio file/],
    ['31 seconds', () => wav(31), /longer than 30 s/],
    ['a click', () => wav(0.05), /shorter than 0.2 s/],
  ];
  for (const [what, bytes, reason] of refusals)
    test(`${what}: refused with the reason, nothing kept`, async () => {
      const res = await upload(recorder, bytes());
      assert.equal(res.status, 400);
      assert.match(await res.text(), reason);
      assert.equal(await latestTake(), undefined);
    });

  test('an 8 kHz mono WAV is kept, listed as waiting, and played back from the files route', async () => {
    const before = await approvedCount(recorder, 'Tibetan');
    const bytes = wav(1.5);
    const res = await upload(recorder, bytes);
    assert.equal(res.status, 303, await res.clone().text());
    assert.equal(res.headers.get('location'), `/staff/voice/clips/bo/${CLIP}?done=uploaded`);
    const html = await (await recorder.get(`/staff/voice/clips/bo/${CLIP}?done=uploaded&lang=en`)).text();
    assert.match(html, /Recording saved/);
    const src = /<audio controls="" preload="none" src="([^"]+)"/.exec(html)?.[1];
    assert.equal(src, `/files/voice/clips/bo/${CLIP}/1.wav`);
    const audio = await stack.app.request(src!);
    assert.equal(audio.status, 200);
    assert.equal(audio.headers.get('content-type'), 'audio/wav');
    assert.deepEqual(new Uint8Array(await audio.arrayBuffer()), bytes);
    const waiting = await (await boReviewer.get('/staff/voice?language=bo&status=recorded&lang=en')).text();
    assert.match(waiting, new RegExp(`<code>${CLIP.replace('.', '\\.')}</code>`));
    assert.equal((await approvedCount(recorder, 'Tibetan')).approved, before.approved, 'recorded is not approved');
  });
});

describe('approving a recording', () => {
  test('not by its recorder, not by a reviewer of another language; by a second speaker of it', async () => {
    const before = await approvedCount(boReviewer, 'Tibetan');
    const own = await (await recorder.get(`/staff/voice/clips/bo/${CLIP}?lang=en`)).text();
    assert.deepEqual(formsTo(own, `/staff/voice/clips/bo/${CLIP}/approve`), [], 'the recorder is not offered it');
    const version = /Version (\d+)/.exec(own)?.[1];
    assert.ok(version);
    const mine = await recorder.post(`/staff/voice/clips/bo/${CLIP}/approve`, own, { version: version! });
    assert.equal(mine.status, 403);
    assert.match(await mine.text(), /cannot approve your own recording/);

    // The clip's page offers a reviewer of Chinese no form: their token comes from /staff.
    const zhPage = await (await zhReviewer.get('/staff?lang=en')).text();
    const zh = await zhReviewer.post(`/staff/voice/clips/bo/${CLIP}/approve`, zhPage, { version: version! });
    assert.equal(zh.status, 403);
    assert.match(await zh.text(), /do not review bo/);

    const page = await (await boReviewer.get(`/staff/voice/clips/bo/${CLIP}?lang=en`)).text();
    const [fields] = formsTo(page, `/staff/voice/clips/bo/${CLIP}/approve`);
    assert.deepEqual(fields, { version: version! });
    const ok = await boReviewer.post(`/staff/voice/clips/bo/${CLIP}/approve`, page, fields!);
    assert.equal(ok.status, 303, await ok.clone().text());
    assert.equal(ok.headers.get('location'), `/staff/voice/clips/bo/${CLIP}?done=approved`);
    assert.equal((await approvedCount(boReviewer, 'Tibetan')).approved, before.approved + 1, 'coverage moves');
    const again = await boReviewer.post(`/staff/voice/clips/bo/${CLIP}/approve`, page, fields!);
    assert.equal(again.status, 409, 'a second approval of the same take changes nothing');
  });
});

/** A developer on /dev/voice: the page's own forms, its CSRF cookie and token, one post per button. */
async function devCaller(number = '+8613800000000') {
  const first = await stack.app.request('http://localhost/dev/voice?lang=en');
  const cookie = first.headers
    .getSetCookie()
    .find((c) => c.startsWith('csrf='))!
    .split(';')[0]!;
  const token = csrfOf(await first.text());
  const post = (path: string, fields: Record<string, string>) =>
    stack.app.request(`http://localhost${path}`, {
      method: 'POST',
      headers: { Cookie: cookie, Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
  const started = await post('/dev/voice/call', { number });
  assert.equal(started.status, 303);
  const read = async (location: string) =>
    (
      await stack.app.request(`http://localhost${location.split('#')[0]}&lang=en`, { headers: { Cookie: cookie } })
    ).text();
  let html = await read(started.headers.get('location') ?? '');
  const callId = /name="call" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return {
    callId,
    html: () => html,
    async press(fields: Record<string, string>) {
      const [hidden] = formsTo(html, '/dev/voice/press');
      const res = await post('/dev/voice/press', { ...hidden!, ...fields });
      assert.equal(res.status, 303, JSON.stringify(stack.logs.filter((l) => l.level === 'error').slice(-2)));
      html = await read(res.headers.get('location') ?? '');
      return html;
    },
  };
}

describe('the local line /dev/voice', () => {
  test('a spoken question reaches the expert, who hears it and answers by voice', async () => {
    const caller = await devCaller('+8613900001399');
    await caller.press({ digits: '1' }); // Tibetan
    await caller.press({ digits: '4' }); // ask an expert
    await caller.press({ input: 'record' });
    const code = (await stack.deps.voiceStores.calls.get(caller.callId))?.questionCode;
    assert.ok(code, 'the recording became a question');
    const expert = await staffBrowser(stack, '+8613900001306', [{ role: 'expert', regions: ['*'] }]);
    const page = await (await expert.get(`/staff/questions/${code}?lang=en`)).text();
    assert.match(page, /Spoken question/);
    const heard = /<audio controls="" preload="none" src="([^"]+)"/.exec(page)?.[1];
    assert.equal(heard, `/files/voice/questions/${caller.callId}.wav`);
    assert.equal((await stack.app.request(heard!)).status, 404, "not to the public: it is the caller's voice");
    const played = await expert.get(heard!);
    assert.equal(played.status, 200);
    assert.equal(played.headers.get('content-type'), 'audio/wav');

    const send = async (bytes: Uint8Array) => {
      const body = new FormData();
      body.set('_csrf', csrfOf(page));
      body.set('file', new File([bytes], 'answer.wav', { type: 'audio/wav' }));
      return expert.raw(`/staff/questions/${code}/answer-audio`, { method: 'POST', body });
    };
    const stereo = await send(wav(2, 8000, 2));
    assert.equal(stereo.status, 400);
    assert.match(await stereo.text(), /must be mono/);
    assert.deepEqual(await stack.deps.questions!.unheardAnswers('+8613900001399'), []);
    const ok = await send(wav(2));
    assert.equal(ok.status, 303, await ok.clone().text());
    assert.equal(ok.headers.get('location'), `/staff/questions/${code}?done=audio`);
    const unheard = await stack.deps.questions!.unheardAnswers('+8613900001399');
    assert.equal(unheard.length, 1);
    assert.match(unheard[0]!.audioKey, new RegExp(`^voice/answers/${code}/\\d+\\.wav$`));
    const after = await (await expert.get(`/staff/questions/${code}?done=audio&lang=en`)).text();
    assert.match(after, /Recorded answer saved/);
    assert.ok(after.includes(`src="/files/${unheard[0]!.audioKey}"`), 'the recorded answer plays on the thread');
  });

  test('a call as a number through a few keys: each turn with its clips, their text and its TwiML', async () => {
    const first = await stack.app.request('http://localhost/dev/voice?lang=en');
    const cookie = first.headers
      .getSetCookie()
      .find((c) => c.startsWith('csrf='))!
      .split(';')[0]!;
    const page = await first.text();
    assert.match(page, /name="number"[^>]*value="\+8613800000000"/);
    const post = (path: string, fields: Record<string, string>) =>
      stack.app.request(`http://localhost${path}`, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrfOf(page), ...fields }).toString(),
      });
    const started = await post('/dev/voice/call', { number: '+8613800000000' });
    assert.equal(started.status, 303, await started.clone().text());
    const at = started.headers.get('location') ?? '';
    assert.match(at, /^\/dev\/voice\?call=dev-/);
    let html = await (await stack.app.request(`${at}&lang=en`, { headers: { Cookie: cookie } })).text();
    assert.match(html, /<pre class="voice-twiml">[^<]*&lt;Response&gt;/);
    assert.match(html, /class="badge voice-placeholder">PLACEHOLDER</, 'clips not yet recorded are marked');
    // The approved Tibetan welcome plays from the files route in the TwiML, not as a placeholder.
    assert.match(html, /&lt;Play&gt;\/files\/voice\/clips\/bo\/say\.welcome\/1\.wav&lt;\/Play&gt;/);
    const clip = /src="(\/dev\/voice\/clips\/(?:bo|zh|en)\/[^"]+\.wav)"/.exec(html)?.[1];
    assert.ok(clip, 'a clip to hear');
    const audio = await stack.app.request(clip!);
    assert.equal(audio.status, 200);
    assert.equal(
      Buffer.from(await audio.arrayBuffer())
        .subarray(0, 4)
        .toString('ascii'),
      'RIFF',
    );

    // Tibetan, then the main menu's prices, then silence, then hang up: each a turn of its own.
    const presses: Array<Record<string, string>> = [
      { digits: '1' },
      { digits: '1' },
      { input: 'silence' },
      { input: 'hangup' },
    ];
    for (const fields of presses) {
      const [hidden] = formsTo(html, '/dev/voice/press');
      assert.ok(hidden?.call && hidden.seq !== undefined, 'the call id and seq ride in hidden fields');
      const res = await post('/dev/voice/press', { ...hidden!, ...fields });
      assert.equal(res.status, 303, JSON.stringify(stack.logs.filter((l) => l.level === 'error').slice(-2)));
      html = await (
        await stack.app.request(`${(res.headers.get('location') ?? '').split('#')[0]}&lang=en`, {
          headers: { Cookie: cookie },
        })
      ).text();
    }
    assert.equal((html.match(/class="voice-turn"/g) ?? []).length, 5, 'five turns shown');
    assert.match(html, /The call has ended/);
    assert.match(html, /&lt;Hangup\/&gt;/);
  });

  test('a clip the line has no recording of is a placeholder of the length of its text', async () => {
    const res = await stack.app.request('/dev/voice/clips/zh/say.mainMenu.wav');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-placeholder'), 'true');
    assert.equal((await stack.app.request('/dev/voice/clips/zh/..%2Fsecret.wav')).status, 404);
  });
});
