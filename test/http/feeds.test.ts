/**
 * The Atom feeds of alerts and bulletins: well-formed XML (xmllint), one per language with its
 * fallback, entries of published items only (ids stable across a correction, updated = the
 * publication, a link to the page, the SMS summary), and the pure builder's escaping and limit.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { PublicItem } from '#core/knowledge/item.ts';
import { atomFeed, FEED_ENTRIES } from '#http/feeds.ts';
import { outsideQuietHours } from '#test/support/broadcasts.ts';
import { wellFormed } from '#test/support/cap.ts';
import {
  alertBody,
  apiAs,
  bulletinBody,
  type ItemOut,
  publishThroughApi,
  staffToken,
} from '#test/support/knowledge-api.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: ReturnType<typeof apiAs>;
const tokens = { editor: '', bo: '', zh: '' };
let alert: ItemOut;
let bulletin: ItemOut;
let draft: ItemOut;

const entries = (xml: string) => [...xml.matchAll(/<entry[^>]*>([\s\S]*?)<\/entry>/g)].map((m) => m[0]);
const text = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

beforeAll(async () => {
  stack = await startTestStack({ ...outsideQuietHours() });
  api = apiAs(stack);
  tokens.editor = await staffToken(stack, '+8613900001401', [{ role: 'editor', regions: ['pref_shigatse'] }]);
  tokens.bo = await staffToken(stack, '+8613900001402', [
    { role: 'reviewer', regions: ['pref_shigatse'], languages: ['bo'] },
  ]);
  tokens.zh = await staffToken(stack, '+8613900001403', [
    { role: 'reviewer', regions: ['pref_shigatse'], languages: ['zh'] },
  ]);
  const now = stack.deps.now();
  alert = await publishThroughApi(api, tokens, 'alerts', alertBody(now, { regions: ['cty_shigatse_gyantse'] }));
  bulletin = await publishThroughApi(api, tokens, 'bulletins', bulletinBody());
  draft = (await (
    await api(tokens.editor, '/alerts', postJson(alertBody(now, { regions: ['pref_shigatse'] })))
  ).json()) as ItemOut;
});
afterAll(() => stack?.close());

describe('Atom feeds', () => {
  test('alerts in Tibetan: well-formed Atom, the published alert only, linked to its page with its SMS summary', async () => {
    const res = await stack.app.request('/feeds/alerts.atom?lang=bo');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/atom\+xml/);
    assert.match(res.headers.get('cache-control') ?? '', /^public/);
    const xml = await res.text();
    const parsed = await wellFormed(xml);
    assert.deepEqual(parsed.errors, []);
    assert.match(
      xml,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="bo">/,
    );
    const all = entries(xml);
    const mine = all.find((e) => e.includes(`/alerts/${alert.id}?`));
    assert.ok(mine, 'the published alert is an entry');
    assert.ok(!all.some((e) => e.includes(draft.id)), 'no draft in the feed');
    assert.equal(text(mine, 'summary'), 'སང་ཉིན་སད།');
    assert.equal(text(mine, 'title'), 'སད།');
    assert.equal(text(mine, 'id'), `tag:localhost,2026:alert/${alert.id}`);
    const pub = (await (await api(undefined, `/alerts/${alert.id}`)).json()) as { publishedAt: string };
    assert.equal(text(mine, 'updated'), new Date(pub.publishedAt).toISOString());
    assert.match(
      mine,
      new RegExp(`<link rel="alternate" type="text/html" href="http://localhost/alerts/${alert.id}\\?lang=bo"/>`),
    );
  });

  test('bulletins per language: zh reads Chinese, en its English; an unknown lang is Tibetan', async () => {
    for (const [lang, summary] of [
      ['zh', '明天霜冻，请覆盖青稞。'],
      ['en', 'Frost tomorrow: cover the barley.'],
      ['fr', 'སང་ཉིན་སད།'],
    ] as const) {
      const xml = await (await stack.app.request(`/feeds/bulletins.atom?lang=${lang}`)).text();
      assert.deepEqual((await wellFormed(xml)).errors, [], lang);
      const mine = entries(xml).find((e) => e.includes(`/bulletins/${bulletin.id}?`));
      assert.ok(mine, lang);
      assert.equal(text(mine, 'summary'), summary, lang);
    }
    const region = await (await stack.app.request('/feeds/bulletins.atom?lang=zh&region=pref_lhasa')).text();
    assert.ok(!region.includes(bulletin.id), "another prefecture's feed leaves it out");
  });

  test('the builder: fallback by language, escaping, at most 50 entries, updated when empty', async () => {
    const item = (n: number): PublicItem => ({
      id: `n${String(n).padStart(10, '0')}`,
      kind: 'bulletin',
      version: 1,
      publishedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
      attachments: [],
      content: {
        regions: ['*'],
        fields: { kind: 'bulletin', date: '2026-01-01' },
        versions: { zh: { title: `<b>&${n}`, body: '', summary: 'a "quoted" & <tagged> summary' } },
      },
    });
    const xml = atomFeed({
      origin: 'https://zhingdrok.example.org',
      self: '/feeds/bulletins.atom?lang=bo',
      pages: '/bulletins',
      title: 'T & <t>',
      lang: 'bo',
      items: Array.from({ length: 60 }, (_, n) => item(n)),
      now: new Date(),
    });
    assert.deepEqual((await wellFormed(xml)).errors, []);
    assert.equal(entries(xml).length, FEED_ENTRIES);
    assert.match(xml, /<entry xml:lang="zh">/, 'a Tibetan reader gets the Chinese when there is no Tibetan');
    assert.match(xml, /<title>&lt;b&gt;&amp;0<\/title>/);
    assert.match(xml, /<summary>a &quot;quoted&quot; &amp; &lt;tagged&gt; summary<\/summary>/);
    assert.equal(text(xml, 'updated'), '2026-01-01T00:59:00.000Z');
    const empty = atomFeed({
      origin: 'https://x.example',
      self: '/feeds/alerts.atom?lang=en',
      pages: '/alerts',
      title: 'x',
      lang: 'en',
      items: [],
      now: new Date('2026-02-03T04:05:06Z'),
    });
    assert.deepEqual((await wellFormed(empty)).errors, []);
    assert.equal(text(empty, 'updated'), '2026-02-03T04:05:06.000Z');
    assert.equal((await wellFormed(empty.replace('</feed>', ''))).valid, false);
  });
});
