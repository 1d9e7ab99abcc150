/**
 * HELP names the same commands in Tibetan, Chinese and English: each item
 * of the list starts with a keyword of its command (the commands' keywords; in Tibetan the English one
 * where the glossary has no Tibetan word), and the reply fits its budget, signature included:
 * 1 SMS in Chinese and English, at most 2 in Tibetan (script or Wylie).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { Language } from '#core/reference/schemas.ts';
import { type Intent, keywords } from '#core/sms/commands/index.ts';
import { composeSms } from '#core/sms/compose-sms.ts';
import { smsTranslator } from '#core/sms/sms-text.ts';
import { toWylie } from '#core/text/wylie.ts';

/** Every command a subscriber may send (HELP itself and the staff's P aside). */
const COMMANDS: Intent[] = ['price', 'join', 'lang', 'script', 'sub', 'unsub', 'stop', 'start', 'delete'];

const squash = (s: string) => s.toLowerCase().replace(/[\s\u0f0b\u0f0c-]/gu, '');
const phrases = keywords.flatMap((k) =>
  [...k.en, ...k.zh, ...k.bo, ...(k.wholeOnly ?? [])].map((p) => ({ intent: k.intent, key: squash(p) })),
);

/** The items of a HELP list: between shads (and the space that is a bare ག's shad), ｜ and commas, after "发送：" / "Text:". */
function items(lang: Language, help: string): string[] {
  const body = help.replace(/^(?:发送：|Text:\s*)/u, '');
  const separator = lang === 'bo' ? /།\s*|(?<=[\u0f40\u0f42])\s+/u : lang === 'zh' ? /｜/u : /,\s*/u;
  return body
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The command an item names: the one whose keyword is the longest the item starts with. */
function commandOf(item: string): Intent | undefined {
  const key = squash(item);
  return phrases.filter((p) => p.key && key.startsWith(p.key)).sort((a, b) => b.key.length - a.key.length)[0]?.intent;
}

/** The reply of `key` fits 1 SMS in Chinese and English and at most 2 in Tibetan (script or Wylie), signature included. */
function assertFits(key: string) {
  const settings = { signature: '【农牧通】', gsmSignature: '[Zhingdrok]' };
  for (const [lang, script, limit] of [
    ['bo', 'tibetan', 2],
    ['bo', 'wylie', 2],
    ['zh', 'tibetan', 1],
    ['en', 'tibetan', 1],
  ] as const) {
    const m = composeSms({ lang, script, lines: [{ key }], footer: false, maxSegments: limit }, settings, toWylie);
    assert.equal(m.truncated, false, `${lang}/${script}: ${m.text}`);
    assert.ok(m.segments <= limit, `${lang}/${script}: ${m.segments} segments`);
  }
}

describe('HELP', () => {
  test('the Tibetan, Chinese and English lists name the same commands', () => {
    const named = Object.fromEntries(
      (['bo', 'zh', 'en'] as const).map((lang) => {
        const list = items(lang, smsTranslator(lang)('help.commands'));
        for (const item of list) assert.ok(commandOf(item), `${lang}: "${item}" names no command`);
        return [lang, [...new Set(list.map(commandOf))].sort()];
      }),
    );
    const expected = [...COMMANDS].sort();
    assert.deepEqual(named, { bo: expected, zh: expected, en: expected });
  });

  test('fits: 1 SMS in Chinese and English, at most 2 in Tibetan, signature included', () => {
    assertFits('help.commands');
  });
});

describe('HELP MARKET', () => {
  const MARKET: Intent[] = ['sell', 'buy', 'find', 'list', 'sold', 'cancel', 'renew', 'msg', 'share', 'report'];

  test('is asked for with the market word or a market keyword, in every form', async () => {
    const { seedCatalog } = await import('#test/support/sms-catalog.ts');
    const { parseSms } = await import('#core/sms/parser.ts');
    const { matcher } = seedCatalog();
    for (const text of ['HELP MARKET', 'help sell', '帮助 市场', '帮助 卖', 'རོགས་རམ ཁྲོམ', 'rogs ram khrom'])
      assert.deepEqual(
        parseSms(text, matcher),
        { ...parseSms(text, matcher), ok: true, command: { intent: 'help', topic: 'market' } },
        text,
      );
    assert.deepEqual((parseSms('HELP', matcher) as { command: unknown }).command, { intent: 'help' });
    assert.deepEqual((parseSms('help me please', matcher) as { command: unknown }).command, { intent: 'help' });
  });

  test('the three lists name the same market commands, and each fits like HELP', () => {
    const named = Object.fromEntries(
      (['bo', 'zh', 'en'] as const).map((lang) => {
        const list = items(lang, smsTranslator(lang)('help.market').replace(/^(?:市场：|Market:\s*)/u, ''));
        for (const item of list) assert.ok(commandOf(item), `${lang}: "${item}" names no command`);
        return [lang, [...new Set(list.map(commandOf))].sort()];
      }),
    );
    const expected = [...MARKET].sort();
    assert.deepEqual(named, { bo: expected, zh: expected, en: expected });
    assertFits('help.market');
  });
});

describe('HELP TIP', () => {
  const KNOWLEDGE: Intent[] = ['tip', 'ask', 'alerts'];

  test('is asked for with a knowledge keyword, in every form', async () => {
    const { seedCatalog } = await import('#test/support/sms-catalog.ts');
    const { parseSms } = await import('#core/sms/parser.ts');
    const { matcher } = seedCatalog();
    for (const text of [
      'HELP TIP',
      'help ask',
      'HELP ALERTS',
      '帮助 建议',
      '帮助 预警',
      'རོགས་རམ སློབ་སྟོན',
      'rogs ram slob ston',
    ])
      assert.deepEqual(
        (parseSms(text, matcher) as { command: unknown }).command,
        { intent: 'help', topic: 'knowledge' },
        text,
      );
  });

  test('the three lists name the same knowledge commands, and each fits like HELP', () => {
    const named = Object.fromEntries(
      (['bo', 'zh', 'en'] as const).map((lang) => {
        const list = items(lang, smsTranslator(lang)('help.knowledge').replace(/^(?:Advice:\s*)/u, ''));
        for (const item of list) assert.ok(commandOf(item), `${lang}: "${item}" names no command`);
        return [lang, [...new Set(list.map(commandOf))].sort()];
      }),
    );
    const expected = [...KNOWLEDGE].sort();
    assert.deepEqual(named, { bo: expected, zh: expected, en: expected });
    assertFits('help.knowledge');
  });
});
