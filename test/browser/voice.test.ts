/**
 * The voice line's pages in a real headless Chromium at 360 × 640, JavaScript off, in bo, zh
 * and en: the prompt studio (list, a clip's page with a recording and its upload form), the
 * call records, and the local line /dev/voice after a call through a few keys (TwiML and clip
 * lists included) — none scrolls sideways, and the key buttons work as plain form posts. With
 * JavaScript on and Chromium's fake microphone, the recorder turns a recording into a WAV the
 * server accepts as 8 kHz mono.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, test } from 'vitest';
import type { Language } from '#core/i18n.ts';
import { pcmWav } from '#core/voice/wav.ts';
import { ADMIN, signIn } from '#test/support/staff.ts';
import { browserSession, describeBrowser, launchChromium } from './support.ts';

const WIDTH = 360;
const HEIGHT = 640;
const LANGS: Language[] = ['bo', 'zh', 'en'];

const overflowProbe = `(() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 0.5) out.push(el.tagName.toLowerCase() + '.' + (typeof el.className === 'string' ? el.className : '') + ' right=' + Math.round(r.right));
  }
  return { scrollWidth: document.documentElement.scrollWidth, width, offenders: out.slice(-6) };
})()`;

describeBrowser('the voice pages fit a 360 px phone, JavaScript off', (executablePath) => {
  const session = browserSession(executablePath, 'en-GB');
  let cookie = { name: '', value: '' };

  beforeAll(async () => {
    const stack = session.server.stack;
    const { cookie: pair } = await signIn(stack, ADMIN);
    const at = pair.indexOf('=');
    cookie = { name: pair.slice(0, at), value: pair.slice(at + 1) };
    // A recording of the longest-named kind of clip, so the clip page has its players.
    const admin = {
      actor: { phone: '+8613900009999', grants: [{ role: 'admin' as const, regions: ['*'] }], configAdmin: false },
    };
    const samples = new Int16Array(8000).map((_, i) => Math.round(2000 * Math.sin(i / 3)));
    await stack.deps.voiceStudio!.upload(admin, 'bo', 'say.welcome', pcmWav(samples, 8000));
  });

  async function phone(lang: Language, signedIn: boolean): Promise<Page> {
    const page = await session.open(lang === 'zh' ? 'zh-CN' : lang === 'bo' ? 'bo' : 'en-GB');
    await page.setViewportSize({ width: WIDTH, height: HEIGHT });
    if (signedIn) await page.context().addCookies([{ ...cookie, url: session.server.url }]);
    return page;
  }

  async function fits(page: Page, what: string) {
    const { scrollWidth, width, offenders } = (await page.evaluate(overflowProbe)) as {
      scrollWidth: number;
      width: number;
      offenders: string[];
    };
    assert.ok(scrollWidth <= width, `${what} is ${scrollWidth} px wide (viewport ${width}): ${offenders.join(' | ')}`);
  }

  test('the recorder: Record, Stop, and the form uploads an 8 kHz mono WAV the studio keeps', async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium(executablePath, [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        '--autoplay-policy=no-user-gesture-required',
      ]);
      const url = session.server.url;
      // 127.0.0.1 is a secure context: the microphone is offered as on localhost.
      const context = await browser.newContext({ baseURL: url, permissions: ['microphone'] });
      await context.addCookies([{ ...cookie, url }]);
      const page = await context.newPage();
      await page.goto('/staff/voice/clips/bo/say.goodbye?lang=en');
      const record = page.locator('button.voice-record');
      await record.click();
      await page.waitForTimeout(1500);
      await record.click();
      await page.locator('output', { hasText: 'Recorded' }).waitFor({ timeout: 15_000 });
      const size = (await page.evaluate("document.getElementById('clip-file').files[0]?.size ?? 0")) as number;
      assert.ok(size > 44 + 8000, `a WAV of over half a second at 8 kHz 16-bit (got ${size} bytes)`);
      await page.locator('form.voice-upload button[type=submit]').click();
      await page.waitForURL(/done=uploaded/);
      const admin = {
        actor: { phone: ADMIN, grants: [{ role: 'admin' as const, regions: ['*'] }], configAdmin: true },
      };
      const clip = await session.server.stack.deps.voiceStudio!.clip(admin, 'bo', 'say.goodbye');
      assert.equal(clip.status, 'recorded');
      // Not a wall-clock bound (a busy machine records less of the 1.5 s): over half a second,
      // and its size is what 8 kHz 16-bit mono takes for its length (16 bytes a millisecond).
      const latest = clip.latest!;
      assert.ok(latest.durationMs >= 500, `over half a second recorded (${latest.durationMs} ms)`);
      assert.ok(
        Math.abs(latest.bytes - 44 - latest.durationMs * 16) < 1000,
        `${latest.bytes} bytes for ${latest.durationMs} ms: 8 kHz 16-bit mono`,
      );
    } finally {
      await browser?.close();
    }
  });

  for (const lang of LANGS) {
    test(`studio, a clip, the calls in ${lang}`, async () => {
      const page = await phone(lang, true);
      for (const path of [
        '/staff/voice',
        '/staff/voice?language=zh&status=missing',
        '/staff/voice/clips/bo/say.welcome',
        '/staff/voice/calls',
      ]) {
        const res = await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(res?.status(), 200, path);
        await fits(page, `${path} [${lang}]`);
      }
      // The clip page's players and upload form are there without JavaScript.
      await page.goto(`/staff/voice/clips/bo/say.welcome?lang=${lang}`);
      assert.ok((await page.locator('audio[controls]').count()) >= 1);
      assert.equal(await page.locator('input[type=file][name=file]').count(), 1);
    });

    test(`/dev/voice through a few keys in ${lang}`, async () => {
      const page = await phone(lang, false);
      await page.goto(`/dev/voice?lang=${lang}`);
      await fits(page, `/dev/voice [${lang}]`);
      await page.locator('form[action="/dev/voice/call"] button[type=submit]').click();
      await page.waitForURL(/\/dev\/voice\?call=dev-/);
      for (const key of ['1', '1']) {
        await page.locator(`form[action="/dev/voice/press"] button[name=digits][value="${key}"]`).click();
        await page.waitForLoadState();
      }
      await page.goto(`${page.url().split('#')[0]}&lang=${lang}`);
      assert.equal(await page.locator('.voice-turn').count(), 3);
      assert.ok((await page.locator('pre.voice-twiml').first().textContent())?.includes('<Response>'));
      await fits(page, `/dev/voice after three turns [${lang}]`);
    });
  }
});
