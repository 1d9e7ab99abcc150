/**
 * A deployment whose SMS gateway sends only registered templates (Alibaba Cloud, here its
 * stand-in) and whose registry has no general-notice template: a broadcast's free text cannot go.
 * The preview says so in the author's language before anything is sent, and Send is refused with
 * the reason, changing nothing; a registered template still goes.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { AppError } from '#core/errors.ts';
import { registries } from '#templates/index.ts';
import { type AliyunStandIn, standInEnv, startAliyunStandIn } from '#test/support/aliyun-stand-in.ts';
import { outsideQuietHours } from '#test/support/broadcasts.ts';
import { freshNumber, texts } from '#test/support/dev-sms.ts';
import { formsTo, staffBrowser } from '#test/support/price-web.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const REGISTRY = 'test-no-notice';
const operator = {
  actor: {
    phone: '+8613900000931',
    grants: [{ role: 'operator' as const, regions: ['pref_shigatse'] }],
    configAdmin: false,
  },
};
const audience = { regions: ['pref_shigatse'], topics: [], languages: [] };

let stack: TestStack;
let aliyun: AliyunStandIn;
let subscriber: string;
let browser: Awaited<ReturnType<typeof staffBrowser>>;
beforeAll(async () => {
  registries[REGISTRY] = { ...registries.default!, deployment: REGISTRY, generalNotice: null };
  aliyun = await startAliyunStandIn();
  stack = await startTestStack(standInEnv(aliyun, { SMS_TEMPLATES: REGISTRY, ...outsideQuietHours() }));
  subscriber = freshNumber('137');
  await texts(stack, subscriber, 'JOIN Gyantse');
  browser = await staffBrowser(stack, operator.actor.phone, operator.actor.grants);
});
afterAll(async () => {
  await stack?.close();
  await aliyun?.close();
  delete registries[REGISTRY];
});

describe('free text without a general-notice template', () => {
  test('the preview warns, in each language of the staff pages', async () => {
    const warnings = {
      en: /free text cannot go/,
      zh: /自由文本无法发送/,
      bo: /ཡི་གེ་གཏོང་མི་ཐུབ/,
    };
    for (const [lang, warning] of Object.entries(warnings)) {
      const page = await (await browser.get(`/staff/broadcasts/new?lang=${lang}`)).text();
      const res = await browser.post(`/staff/broadcasts/preview?lang=${lang}`, page, {
        requestId: `req-${lang}-${Date.now()}`,
        regions: ['pref_shigatse'],
        text_en: 'Frost tomorrow.',
        sendAt: '',
      });
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, warning, lang);
      assert.match(html, /class="notice notice-error" role="alert"/, lang);
    }
  });

  test('Send is refused with the reason; the broadcast stays a draft and no SMS is recorded', async () => {
    const preview = await stack.deps.broadcasts.preview(operator, { audience, texts: { en: 'Frost tomorrow.' } });
    assert.equal(preview.freeTextRefused, true);
    const b = await stack.deps.broadcasts.create(operator, { audience, texts: { en: 'Frost tomorrow.' } });
    const before = aliyun.calls.length;
    await assert.rejects(
      stack.deps.broadcasts.send(operator, b.id),
      (err) =>
        err instanceof AppError &&
        err.code === 'conflict' &&
        err.details?.some((d) => d.key === 'errors:broadcast.free_text_refused') === true,
    );
    const view = await stack.deps.broadcasts.get(operator, b.id);
    assert.equal(view.broadcast.status, 'draft');
    assert.equal(view.counts.queued + view.counts.sent + view.counts.failed, 0);
    assert.equal(aliyun.calls.length, before, 'nothing reached the provider');
    // The page does not offer Send; forcing it shows the reason instead of sending.
    const self = `/staff/broadcasts/${b.id}`;
    const page = await (await browser.get(`${self}?lang=en`)).text();
    assert.match(page, /free text cannot go/);
    assert.equal(formsTo(page, `${self}/send`).length, 0);
    const res = await browser.post(`${self}/send?lang=en`, page, {});
    assert.equal(res.status, 409);
    assert.match(await res.text(), /Free text cannot go through this SMS gateway/);
    assert.equal((await stack.deps.broadcasts.get(operator, b.id)).broadcast.status, 'draft');
  });

  test('a registered template is not refused', async () => {
    const template = { key: 'notice.weather', params: { region: 'Gyantse', text: 'Frost tonight' } };
    const preview = await stack.deps.broadcasts.preview(operator, { audience, template });
    assert.equal(preview.freeTextRefused, undefined);
    const b = await stack.deps.broadcasts.create(operator, { audience, template });
    const sent = await stack.deps.broadcasts.send(operator, b.id);
    assert.notEqual(sent.status, 'draft');
  });
});
