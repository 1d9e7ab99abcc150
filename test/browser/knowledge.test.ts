/**
 * The knowledge pages in a real headless Chromium at 360 px with JavaScript off, in bo, zh and
 * en: the guide library, a guide and its print view, the alerts and an alert, and the staff
 * item form (three versions, its checks after Preview) — none scrolls sideways.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { beforeAll, test } from 'vitest';
import type { Language } from '#core/i18n.ts';
import type { ItemInput, KnowledgeService } from '#core/knowledge/service.ts';
import type { Acting } from '#core/staff/guard.ts';
import type { Grant } from '#core/staff/roles.ts';
import { signIn } from '#test/support/staff.ts';
import { browserSession, describeBrowser } from './support.ts';

const EDITOR = '+8613900001251';
const BO_REVIEWER = '+8613900001252';
const ZH_REVIEWER = '+8613900001253';

/** Sideways scrolling, as phone-fit.test.ts measures it. */
const scrolls = (page: Page) =>
  page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth') as Promise<boolean>;

const locales: Record<Language, string> = { bo: 'bo', zh: 'zh-CN', en: 'en-GB' };

/** Long words and long lines in every language: what a phone must wrap. */
const versions: ItemInput['versions'] = {
  bo: {
    title: 'ནས་ཀྱི་ལག་རྩལ། ཆུ་དང་ལུད་སྟེར་སྟངས། སད་ལས་སྲུང་སྐྱོབ།',
    body: 'ནས་ལ་ཆུ་སྟེར། '.repeat(40),
    summary: 'ནས་ལ་ཆུ་སྟེར།',
    instruction: 'ནས་ལ་རས་བཀབ།',
  },
  zh: {
    title: '青稞田间管理：灌溉、施肥与防霜冻的技术要点（日喀则、拉萨、那曲）',
    body: '青稞浇水。'.repeat(80),
    summary: '青稞要浇水。',
    instruction: '给青稞覆盖。',
  },
  en: {
    title: 'Barley in the growing season: watering, manure and frost protection',
    body: 'Water the barley before noon. https://example.org/a-very-long-address-without-breaks-0123456789 '.repeat(10),
    summary: 'Water the barley.',
    instruction: 'Cover the barley.',
  },
};

describeBrowser('knowledge pages in Chromium', (executablePath) => {
  const session = browserSession(executablePath, 'en-GB');
  let cookie = { name: '', value: '' };
  let guide = '';
  let alert = '';

  beforeAll(async () => {
    const stack = session.server.stack;
    const knowledge = stack.deps.knowledge as KnowledgeService;
    assert.ok(knowledge, 'the knowledge service is wired');
    const member = async (phone: string, grants: Grant[]): Promise<Acting> => {
      await stack.deps.staff.create({
        phone,
        grants,
        invitedBy: '+8613800000000',
        createdAt: 'x',
        updatedAt: 'x',
        version: 1,
      });
      return { actor: { phone, grants, configAdmin: false }, requestId: 'browser-test' };
    };
    const editor = await member(EDITOR, [{ role: 'editor', regions: ['*'] }]);
    const bo = await member(BO_REVIEWER, [{ role: 'reviewer', regions: ['*'], languages: ['bo'] }]);
    const zh = await member(ZH_REVIEWER, [{ role: 'reviewer', regions: ['*'], languages: ['zh'] }]);
    const now = stack.deps.now().getTime();
    const publish = async (kind: 'guide' | 'alert', input: ItemInput) => {
      const draft = await knowledge.create(editor, kind, input);
      const submitted = await knowledge.submit(editor, draft.id);
      await knowledge.approve(bo, draft.id, 'bo', submitted.version);
      await knowledge.approve(zh, draft.id, 'zh', submitted.version);
      return draft.id;
    };
    guide = await publish('guide', {
      regions: ['pref_shigatse', 'pref_lhasa'],
      fields: {
        kind: 'guide',
        commodityId: 'barley_qingke',
        stage: 'during',
        topic: 'technique',
        months: [5, 6, 7, 8],
      },
      versions: Object.fromEntries(
        Object.entries(versions).map(([l, v]) => [l, { title: v!.title, body: v!.body, summary: v!.summary }]),
      ),
    });
    alert = await publish('alert', {
      regions: ['pref_shigatse', 'cty_lhasa_lhunzhub'],
      fields: {
        kind: 'alert',
        alertKind: 'weather',
        severity: 'extreme',
        onset: new Date(now - 3600_000).toISOString(),
        expires: new Date(now + 30 * 3600_000).toISOString(),
        urgent: false,
        mainLanguage: 'bo',
      },
      versions,
    });
    const pair = (await signIn(stack, EDITOR)).cookie;
    const at = pair.indexOf('=');
    cookie = { name: pair.slice(0, at), value: pair.slice(at + 1) };
  });

  for (const lang of ['bo', 'zh', 'en'] as Language[]) {
    test(`the public knowledge pages fit 360 px in ${lang} with JavaScript off`, async () => {
      const page = await session.open(locales[lang]);
      await page.setViewportSize({ width: 360, height: 640 });
      for (const path of [
        '/guide',
        '/guide?commodity=barley_qingke',
        `/guide/${guide}`,
        `/guide/${guide}/print`,
        '/alerts',
        `/alerts/${alert}`,
        '/bulletins',
      ]) {
        const res = await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(res?.status(), 200, path);
        assert.equal(await scrolls(page), false, `${path} [${lang}] scrolls sideways`);
      }
    });

    test(`the staff item form fits 360 px in ${lang}, its checks after Preview included`, async () => {
      const page = await session.open(locales[lang]);
      await page.setViewportSize({ width: 360, height: 640 });
      await page.context().addCookies([{ ...cookie, url: session.server.url }]);
      for (const path of ['/staff/knowledge', '/staff/knowledge/new?kind=alert', `/staff/knowledge/${guide}`]) {
        const res = await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(res?.status(), 200, path);
        assert.equal(await scrolls(page), false, `${path} [${lang}] scrolls sideways`);
      }
      await page.goto(`/staff/knowledge/new?kind=guide&lang=${lang}`);
      await page.fill('#k-zh_summary', '青稞要浇水。'.repeat(20));
      await page.fill('#k-bo_summary', 'ནས་ལ་ཆུ་སྟེར།');
      await page.locator('button[formaction="/staff/knowledge/preview"]').click();
      await page.waitForSelector('table caption');
      assert.equal(await scrolls(page), false, `the checks [${lang}] scroll sideways`);
    });
  }

  test('with JavaScript on, the summary counter counts as one types', async () => {
    const browser = (await session.open()).context().browser();
    assert.ok(browser);
    const context = await browser.newContext({ baseURL: session.server.url, javaScriptEnabled: true });
    try {
      await context.addCookies([{ ...cookie, url: session.server.url }]);
      const live = await context.newPage();
      await live.goto('/staff/knowledge/new?kind=guide&lang=en');
      const counter = live.locator('#c-zh_summary');
      await live.fill('#k-zh_summary', '青稞要浇水。');
      assert.match(await counter.innerText(), /About 1 SMS parts/);
      await live.fill('#k-zh_summary', '霜'.repeat(100));
      assert.match(await counter.innerText(), /About 2 SMS parts/);
      assert.equal(await counter.getAttribute('class'), 'muted field-error', 'over the guide’s 1 part in Chinese');
    } finally {
      await context.close();
    }
  });
});
