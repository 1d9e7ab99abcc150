/**
 * The SMS command registry (core/sms/commands/): every command declares its keywords in the
 * four forms and answers with keys that exist in bo, zh and en; and a command added as one
 * module plus one registry line is parsed, refused and answered with no other change (the
 * pipeline half is in test/integration/sms-command-added.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { keywords, smsCommands } from '#core/sms/commands/index.ts';
import { failureReply } from '#core/sms/failure-reply.ts';
import { parseSms } from '#core/sms/parser.ts';
import { newSubscriber } from '#core/subscribers/subscriber.ts';
import { toWylie } from '#core/text/wylie.ts';
import { smsResources } from '#locales/sms.ts';
import { withTopics } from '#test/support/extra-sms-command.ts';
import { seedCatalog } from '#test/support/sms-catalog.ts';

const catalog = seedCatalog();
const LATIN = /[a-z]/i;
const HAN = /\p{sc=Han}/u;

/** The `sms` string at a dotted key, or undefined. */
function stringAt(lang: 'bo' | 'zh' | 'en', key: string): unknown {
  let node: unknown = smsResources[lang];
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

describe('every registered command', () => {
  test('has one entry per intent, in the keyword order the parser relies on', () => {
    const intents = smsCommands.commands.map((c) => c.intent);
    assert.deepEqual(intents, [
      'help',
      'join',
      'lang',
      'script',
      'unsub',
      'sub',
      'price',
      'collect',
      'stop',
      'start',
      'delete',
      'sold',
      'cancel',
      'renew',
      'sell',
      'buy',
      'list',
      'find',
      'msg',
      'share',
      'report',
      'yes',
      'no',
      'tip',
      'ask',
      'alerts',
    ]);
    for (const intent of intents) assert.equal(smsCommands.get(intent)?.intent, intent);
    assert.equal(smsCommands.get('unknown'), undefined);
  });

  test('has keywords in the four forms: English and Chinese always, Tibetan with its Wylie where the glossary has one', () => {
    const withoutTibetan: string[] = [];
    for (const { intent, ...k } of keywords) {
      const words = [...k.en, ...k.zh, ...(k.wholeOnly ?? [])];
      assert.ok(
        words.some((w) => LATIN.test(w)),
        `${intent}: an English keyword`,
      );
      assert.ok(
        words.some((w) => HAN.test(w)),
        `${intent}: a Chinese keyword`,
      );
      for (const form of ['en', 'zh', 'bo', 'wylie'] as const) assert.ok(Array.isArray(k[form]), `${intent}: ${form}`);
      assert.equal(k.bo.length === 0, k.wylie.length === 0, `${intent}: Tibetan and Wylie go together`);
      const transliterated = new Set(k.bo.map((b) => toWylie(b)));
      for (const w of k.wylie) assert.ok(transliterated.has(w), `${intent}: ${w} is the Wylie of a Tibetan keyword`);
      if (k.bo.length === 0) withoutTibetan.push(intent);
    }
    // The glossary has no Tibetan word for these (SCRIPT, START, DELETE ME, P): we invent none.
    assert.deepEqual(withoutTibetan.sort(), ['collect', 'delete', 'script', 'start']);
  });

  test('answers with message keys that exist in the sms strings of bo, zh and en', () => {
    for (const command of smsCommands.commands) {
      assert.ok(command.messageKeys.length > 0, command.intent);
      for (const key of command.messageKeys)
        for (const lang of ['bo', 'zh', 'en'] as const)
          assert.equal(typeof stringAt(lang, key), 'string', `${command.intent}: ${lang} sms:${key}`);
    }
  });

  test('answers a refusal with one of its own keys', () => {
    const sub = newSubscriber('+8613800000000', 'en', new Date('2026-05-20T00:00:00Z'));
    const cases = [
      'JOIN Atlantis',
      'JOIN',
      'LANG xx',
      'SCRIPT xx',
      'SUB',
      'UNSUB xyz',
      'PRICE xyz',
      'P 青稞',
      'P xyz 拉萨 4',
    ];
    for (const text of cases) {
      const parsed = parseSms(text, catalog.matcher);
      assert.ok(!parsed.ok, text);
      const command = smsCommands.get(parsed.intent);
      assert.ok(command, `${text}: refused by its command`);
      for (const line of failureReply(parsed, sub, catalog))
        assert.ok(command.messageKeys.includes(line.key), `${text}: ${line.key} is among ${command.intent}'s keys`);
    }
  });
});

describe('a command added as one module and one registry line', () => {
  const parse = (text: string) => parseSms(text, catalog.matcher, withTopics);

  test('is parsed by its keywords, in its forms, with the language guessed as for any other', () => {
    assert.deepEqual(parse('TOPICS'), { ok: true, command: { intent: 'topics' }, language: 'en', wylie: false });
    assert.deepEqual(parse('my  topics'), { ok: true, command: { intent: 'topics' }, language: 'en', wylie: false });
    assert.deepEqual(parse('我的订阅'), { ok: true, command: { intent: 'topics' }, language: 'zh', wylie: false });
    assert.equal(parseSms('TOPICS', catalog.matcher).ok, false, 'the app itself does not know it');
  });

  test('gets "did you mean" for a typo, and its reader refuses what it cannot read', () => {
    const typo = parse('topcs');
    assert.ok(!typo.ok);
    assert.deepEqual(typo.problem === 'unknown_command' && typo.suggestion, { intent: 'topics', keyword: 'TOPICS' });
    const refused = parse('topics everything');
    assert.ok(!refused.ok);
    assert.equal(refused.intent, 'topics');
    const sub = newSubscriber('+8613800000000', 'en', new Date('2026-05-20T00:00:00Z'));
    assert.deepEqual(failureReply(refused, sub, catalog, withTopics), [
      { key: 'topic.notFound', params: { text: 'everything' } },
    ]);
  });

  test('leaves the other commands as they were', () => {
    for (const text of [
      'JOIN Gyantse',
      '注册 江孜',
      'ཐོ་འགོད རྒྱལ་རྩེ',
      'PRICE barley lhasa',
      '青稞价格',
      'UNSUB',
      'HLEP',
      'delete me',
    ])
      assert.deepEqual(parse(text), parseSms(text, catalog.matcher), text);
  });
});
