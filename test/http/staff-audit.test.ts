/**
 * The audit list on /staff (admins): every action the code records reads as words in bo, zh and
 * en, and targets are decoded — a price identity shows its names, date, kind, grade and unit as
 * text (escaped), not percent-escapes.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { languages, translatorFor } from '#core/i18n.ts';
import { jsonOf } from '#test/support/json.ts';
import { staffBrowser } from '#test/support/price-web.ts';
import { day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN, nextHour, postJson } from '#test/support/staff.ts';
import { auditActionKey } from '#web/components/audit-text.ts';

const root = new URL('../../functions/', import.meta.url).pathname;
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });

/** Every audit action key written anywhere in the code: `action: 'x.y'`, the AuditAction list, and actions passed to the record helpers. */
function recordedActions(): string[] {
  const found = new Set<string>();
  for (const file of sources(root)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\baction: '([a-z_]+\.[a-z_]+)'/g)) found.add(m[1]!);
    for (const m of text.matchAll(/\b(?:record|logDecision)\(\s*deps,\s*acting,\s*'([a-z_]+\.[a-z_]+)'/g))
      found.add(m[1]!);
    const union = /export type AuditAction =([^;]+);/.exec(text)?.[1];
    for (const m of union?.matchAll(/'([a-z_]+\.[a-z_]+)'/g) ?? []) found.add(m[1]!);
  }
  return [...found].sort();
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

describe('the audit list', () => {
  test('every recorded action has words in bo, zh and en', () => {
    const actions = recordedActions();
    for (const a of [
      'auth.sign_in',
      'staff.invite',
      'access.denied',
      'price.approve',
      'price.reject',
      'price.import',
      'commodity.stale_days',
    ])
      assert.ok(actions.includes(a), a);
    for (const lang of languages) {
      const t = translatorFor(lang);
      const missing = actions.filter((a) => t(auditActionKey(a)) === auditActionKey(a));
      assert.deepEqual(missing, [], `${lang}: no words for ${missing.join(', ')}`);
    }
  });

  test('actions are words and a price identity is decoded text, escaped, in every language', async () => {
    const { api, member } = await priceStaff(stack);
    const collector = await member('+8613900000881', 'collector', ['pref_lhasa']);
    const grade = '一级 <b>新</b>';
    // The price's date, read before the clock moves (nextHour below may cross midnight).
    const date = day(stack, -1);
    const entry = {
      commodity: 'barley_qingke',
      market: 'mkt_lhasa_barkhor',
      date,
      price: '4.50',
      unit: 'jin',
      grade,
    };
    const stored = await jsonOf(await api('/prices', postJson(entry), collector));
    assert.match(stored.identity, /%E4%B8%80/, 'the identity percent-encodes the grade');
    // Refused first (logged with the request path), then approved by the admin.
    assert.equal(
      (await api(`/prices/${encodeURIComponent(stored.identity)}/approve`, postJson({}), collector)).status,
      403,
    );
    assert.equal((await api(`/prices/${encodeURIComponent(stored.identity)}/approve`, postJson({}))).status, 200);

    nextHour(stack);
    const admin = await staffBrowser(stack, ADMIN);
    const page = async (lang: string) => {
      const html = await (await admin.get(`/staff?lang=${lang}`)).text();
      return html.slice(html.indexOf('<table class="audit">'));
    };
    const zh = await page('zh');
    assert.match(zh, /审核通过价格/);
    assert.match(zh, /越权被拒/);
    assert.match(zh, new RegExp(`青稞 · 八廓街 · ${date} · 零售 · 一级 &lt;b&gt;新&lt;/b&gt; · 斤`));
    assert.doesNotMatch(zh, /<b>新/, 'the grade is escaped');
    assert.doesNotMatch(zh, /%[0-9A-F]{2}/, 'no percent-escapes left');
    assert.doesNotMatch(zh, /price\.approve|price_approve/);
    assert.match(
      zh,
      new RegExp(`POST /api/v1/prices/青稞 · 八廓街 · ${date} · 零售 · 一级 &lt;b&gt;新&lt;/b&gt; · 斤/approve`),
      'a refused request path is decoded',
    );

    const en = await page('en');
    assert.match(en, /approved a price/);
    assert.match(
      en,
      /highland barley \(qingke\) · Barkhor market street \(Lhasa\) · .* · retail · 一级 &lt;b&gt;新&lt;\/b&gt; · /,
    );
    const bo = await page('bo');
    assert.match(bo, /ཆོག་མཆན།/);
    assert.match(bo, /ནས · བར་བསྐོར · /);
  });
});
