/**
 * JOIN works for every one of the TAR's 74 county-level divisions, through
 * POST /dev/sms as a phone sends it — by the Chinese, English, Tibetan and Wylie name and the
 * first alias in each (注册 墨竹工卡, JOIN Nyemo, ཐོ་འགོད སྙེ་མོ་རྫོང, tho 'god snye mo) — and the
 * reply confirms the county in the sender's language and script within its segment limit.
 * (Every alias of every region is read by the parser in test/unit/sms/join.test.ts.)
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { referenceSeed } from '#core/reference/seed.ts';
import { smsName } from '#core/sms/sms-names.ts';
import { freshNumber, replyTo, smsText, TIBETAN } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  // One number per script sends a few hundred JOINs: above the usual 30 an hour.
  stack = await startTestStack({ SMS_INBOUND_PER_HOUR: '10000' });
});
afterAll(() => stack.close());

const counties = referenceSeed().regions.filter((r) => r.level === 'county');
const ways = {
  zh: { keyword: '注册', names: (r: (typeof counties)[number]) => [r.names.zh, r.aliases.zh[0]] },
  en: { keyword: 'JOIN', names: (r: (typeof counties)[number]) => [r.names.en, r.aliases.en[0]] },
  bo: { keyword: 'ཐོ་འགོད', names: (r: (typeof counties)[number]) => [r.names.bo, r.aliases.bo[0]] },
  wylie: { keyword: "tho 'god", names: (r: (typeof counties)[number]) => [r.wylie, r.aliases.wylie[0]] },
} as const;

describe('JOIN <county> through POST /dev/sms for all 74 counties', () => {
  test('there are 74', () => assert.equal(counties.length, 74));

  for (const form of ['zh', 'en', 'bo', 'wylie'] as const) {
    test(`${form}: name and main alias of every county set the home county, and the reply names it`, async () => {
      const way = ways[form];
      const from = freshNumber();
      const lang = form === 'wylie' ? 'bo' : form;
      let sent = 0;
      for (const county of counties) {
        for (const name of way.names(county)) {
          if (!name) continue;
          const text = `${way.keyword} ${name}`;
          const reply = await replyTo(stack, from, text);
          sent++;
          const sub = await stack.deps.subscribers.get(from);
          assert.equal(sub?.homeRegionId, county.id, `${text} → ${reply.text}`);
          assert.ok(reply.segments <= (lang === 'bo' ? 2 : 1), `${text}: ${reply.segments} segments: ${reply.text}`);
          if (form === 'wylie') {
            assert.equal(sub?.script, 'wylie');
            assert.doesNotMatch(reply.text, TIBETAN, reply.text);
            assert.equal(reply.encoding, 'GSM-7', reply.text);
          } else {
            assert.ok(
              reply.text.endsWith(smsText(lang, 'join.ok', { region: smsName(county.names, lang) })),
              `${text} → ${reply.text}`,
            );
          }
        }
      }
      assert.ok(sent >= 74 * 2 - 2, `${sent} messages`);
    });
  }
});
