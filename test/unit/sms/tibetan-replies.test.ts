/**
 * Every Tibetan SMS template, composed as it is sent (composeSms: signature, budget, split)
 * with worst-case values — names ending in ང, in a bare ཀ/ག, in a stack, in digits, a Latin
 * fallback — passes the orthography checks of tibetan-orthography.md §7 (checks 1–14; 15 is
 * this test), and its Wylie form is GSM-7 with neither Tibetan nor Chinese in it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { composeSms } from '#core/sms/compose-sms.ts';
import { listNames, smsTranslator } from '#core/sms/sms-text.ts';
import {
  checkSegments,
  checkTibetan,
  describeFindings,
  errorsOf,
  type OrthographyFinding,
} from '#core/text/tibetan-orthography.ts';
import { toWylie } from '#core/text/wylie.ts';
import { flatten } from '#local/locale-types.ts';
import { allResources as resources } from '#locales/all.ts';
import { QUOTED_KEYWORDS, TIBETAN_TEXT_EXTRAS } from '#test/support/tibetan.ts';

const SETTINGS = { signature: '【农牧通】', gsmSignature: '[Zhingdrok]' };
const HAN = /\p{Script=Han}/u;
const TIBETAN = /[\u0f00-\u0fff]/u;

/** Keys that are pieces of a message, not messages. */
const FRAGMENTS = new Set([
  'topic.weather',
  'topic.pest',
  'topic.disease',
  'topic.market',
  'topic.price',
  'price.old',
  'footer.optOut',
  'list.separator',
]);

/** Worst cases for names: ང, bare ག, ཀ+vowel-less ག suffix, a stack, a vowel, digits, Latin (a fallback name). */
const NAMES = ['ཁྲོམ་གཟིགས་ཁང', 'སོག', 'མེ་ཏོག', 'རྒྱལ་རྩེ', 'སྐྱིད་གྲོང', 'ལྷ་ས', 'Tangga 2', 'head'];
const bo = smsTranslator('bo');

/** Worst-case values of a template variable of a key, the i-th of them. */
function value(key: string, variable: string, i: number): string {
  const name = NAMES[i % NAMES.length]!;
  switch (variable) {
    case 'price':
      return ['5.00', '12345.67'][i % 2]!;
    case 'date':
      return '05-12';
    case 'change':
      return ['↑0.50', '↓12.00', '→', ''][i % 4]!;
    case 'old':
      return i % 2 ? bo('price.old') : '';
    case 'code':
      return '482913';
    case 'minutes':
      return '10';
    case 'keyword':
      return ['ཐོ་འགོད', 'JOIN', 'རིན་གོང', 'མཚམས་འཇོག'][i % 4]!;
    case 'topic':
      return [bo('topic.weather'), bo('topic.price', { commodity: name })][i % 2]!;
    case 'suggestions':
      return listNames('bo', [name, NAMES[(i + 1) % NAMES.length]!, NAMES[(i + 2) % NAMES.length]!]);
    case 'text':
      // what a sender wrote, echoed: a date or a price where one was expected
      return key.startsWith('collect.date.') || key.startsWith('collect.price.')
        ? ['13-45', '4.567', '0'][i % 3]!
        : ['རྒྱལ་རྩ', 'xyz', '4.567'][i % 3]!;
    default:
      // commodity, market, region, place, unit
      return name;
  }
}

const messageKeys = () =>
  flatten(resources.bo.sms as never, '')
    .map(([key]) => key)
    .filter((key) => !FRAGMENTS.has(key));

const variablesOf = (key: string) => {
  const en = flatten(resources.en.sms as never, '').find(([k]) => k === key)?.[1] ?? '';
  return [...en.matchAll(/\{\{\s*(\w+)\s*\}\}/gu)].map((m) => m[1]!);
};

describe('every Tibetan SMS, with worst-case names, passes the orthography checks', () => {
  for (const key of messageKeys()) {
    test(key, () => {
      const variables = variablesOf(key);
      const rounds = variables.length ? NAMES.length * 2 : 1;
      for (let i = 0; i < rounds; i++) {
        const params = Object.fromEntries(variables.map((v) => [v, value(key, v, i)]));
        for (const footer of key.startsWith('digest.') ? [true] : [false]) {
          const m = composeSms(
            { lang: 'bo', script: 'tibetan', lines: [{ key, params }], footer, maxSegments: 2 },
            SETTINGS,
            toWylie,
          );
          assert.ok(m.text.startsWith(SETTINGS.signature));
          assert.equal(m.truncated, false, m.text);
          const body = m.text.slice(SETTINGS.signature.length);
          const findings: OrthographyFinding[] = [
            ...errorsOf(
              checkTibetan(body, { message: true, keywords: QUOTED_KEYWORDS, allowChars: TIBETAN_TEXT_EXTRAS }),
            ),
            ...checkSegments(m.parts),
          ];
          assert.deepEqual(findings, [], `${JSON.stringify(params)}\n${m.text}\n${describeFindings(findings)}`);

          const wylie = composeSms(
            { lang: 'bo', script: 'wylie', lines: [{ key, params }], footer, maxSegments: 2 },
            SETTINGS,
            toWylie,
          );
          assert.doesNotMatch(wylie.text, TIBETAN, wylie.text);
          // (the arrows of a change stay, and make it UCS-2: digests in Wylie use + and -)
          if (!/[↑↓→]/u.test(params.change ?? '')) {
            assert.equal(wylie.encoding, 'GSM-7', wylie.text);
            assert.doesNotMatch(wylie.text, HAN, wylie.text);
          }
        }
      }
    });
  }

  test('a Wylie reply puts a space between a Tibetan word and a number: sgor 5.00, not sgor5.00', () => {
    const m = composeSms(
      {
        lang: 'bo',
        script: 'wylie',
        lines: [{ key: 'price.row', params: { market: 'སྐྱིད་གྲོང', unit: 'རྒྱ་མ', price: '5.00', date: '05-12', old: '' } }],
        footer: false,
        maxSegments: 2,
      },
      SETTINGS,
      toWylie,
    );
    assert.equal(m.text, '[Zhingdrok] skyid grong/ rgya ma rer sgor 5.00 05-12/');
  });
});
