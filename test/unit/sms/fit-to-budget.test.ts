import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { fitToBudget, type MessagePart } from '#core/sms/fit-to-budget.ts';
import { segmentsOf, segmentText } from '#core/sms/segments.ts';
import { smsText, tibetanToken } from './arbitraries.ts';

describe('fitToBudget', () => {
  test('joins the parts, prefixes the signature, appends the footer', () => {
    const m = fitToBudget([{ text: 'Barley 4.20/jin.' }, { text: 'Butter 38/jin.' }], {
      signature: '[Zhingdrok]',
      footer: 'STOP to opt out',
      maxSegments: 1,
    });
    assert.equal(m.text, '[Zhingdrok] Barley 4.20/jin. Butter 38/jin. STOP to opt out');
    assert.equal(m.encoding, 'GSM-7');
    assert.equal(m.segments, 1);
    assert.deepEqual([m.shortened, m.dropped, m.truncated], [0, 0, false]);
  });

  test('Chinese is joined without spaces', () => {
    const m = fitToBudget([{ text: '青稞今日每斤4.2元。' }, { text: '酥油每斤38元。' }], {
      signature: '【农牧通】',
      footer: '回T退订',
      maxSegments: 1,
    });
    assert.equal(m.text, '【农牧通】青稞今日每斤4.2元。酥油每斤38元。回T退订');
    assert.deepEqual([m.encoding, m.units, m.segments], ['UCS-2', 28, 1]);
  });

  test('the signature is counted', () => {
    const body = 'a'.repeat(150);
    assert.equal(segmentsOf(body).segments, 1);
    const m = fitToBudget([{ text: body }], { signature: '[Zhingdrok]', maxSegments: 2 });
    // "[Zhingdrok] " is 14 septets ([ and ] take 2 each): 164 in all
    assert.deepEqual([m.units, m.segments, m.truncated], [164, 2, false]);
  });

  test('short texts first, from the last part', () => {
    const parts: MessagePart[] = [
      {
        text: 'Barley in Lhasa today is 4.20 yuan per jin, up 0.10 on last week.',
        shortText: 'Barley 4.20/jin (+0.10).',
      },
      { text: 'Butter in Lhasa today is 38 yuan per jin, unchanged since last week.', shortText: 'Butter 38/jin.' },
    ];
    const m = fitToBudget(parts, { signature: '[Zhingdrok]', footer: 'Reply STOP to opt out', maxSegments: 1 });
    assert.equal(m.text, `[Zhingdrok] ${parts[0]!.text} Butter 38/jin. Reply STOP to opt out`);
    assert.deepEqual([m.segments, m.shortened, m.dropped, m.truncated], [1, 1, 0, false]);
  });

  test('then optional parts go, from the end, and full texts come back where they fit', () => {
    const parts: MessagePart[] = [
      { text: '青稞今日拉萨市场每斤4.2元，比上周涨0.1元。', shortText: '青稞每斤4.2元。' },
      { text: '酥油每斤38元，与上周持平；牦牛肉每斤35元，比上周跌1元；羊毛12元。', optional: true },
      {
        text: '明日拉萨有雨，请注意收好晾晒的青稞和牛粪饼。',
        optional: true,
        shortText: '明日有雨，请收好晾晒的青稞和牛粪饼。',
      },
    ];
    const m = fitToBudget(parts, { signature: '【农牧通】', footer: '回T退订', maxSegments: 1 });
    // with both short texts it is still 72 units; dropping the last part fits (51), and then the
    // first part's full text fits again (69)
    assert.equal(m.text, `【农牧通】${parts[0]!.text}${parts[1]!.text}回T退订`);
    assert.equal(m.units, 69);
    assert.deepEqual([m.segments, m.shortened, m.dropped, m.truncated], [1, 0, 1, false]);
  });

  test('last resort: a Tibetan body is cut after a tsheg and ends with …', () => {
    const body = 'ལྷ་སའི་ཁྲོམ་རར་དེ་རིང་ནས་དཀར་རྒྱ་མ་རེར་སྒོར་༤་དང་ཕྱེད་ཀ་ཡིན། མར་རྒྱ་མ་རེར་སྒོར་༣༨ ཡིན། ཞིབ་ཕྲ་ཤེས་འདོད་ན་རོགས་ཞེས་བྲིས།';
    const m = fitToBudget([{ text: body }], { signature: '[Zhingdrok]', footer: 'STOP', maxSegments: 1 });
    assert.equal(m.segments, 1);
    assert.ok(m.units <= 70);
    assert.equal(m.truncated, true);
    assert.ok(m.text.startsWith('[Zhingdrok] ཞ') === false && m.text.startsWith('[Zhingdrok] ལྷ'));
    assert.match(m.text, /[\u0f0b\u0f0d]… STOP$/u);
    const kept = m.text.slice('[Zhingdrok] '.length, m.text.indexOf('…'));
    assert.ok(body.startsWith(kept));
  });

  test('a GSM-7 message is cut between words and ends with "..."', () => {
    const body =
      'Barley in Lhasa today is 4.20 yuan per jin, up 0.10 on last week. Butter is 38 yuan per jin. ' +
      'Seed barley is in stock at the county cooperative until Friday, bring your card.';
    const m = fitToBudget([{ text: body }], { signature: '[Zhingdrok]', maxSegments: 1 });
    assert.deepEqual([m.encoding, m.segments, m.truncated], ['GSM-7', 1, true]);
    assert.match(m.text, /[a-z,.]\.\.\.$/);
    assert.ok(m.units <= 160 && m.units > 140, `${m.units}`);
    assert.ok(body.includes(`${m.text.slice('[Zhingdrok] '.length, -3)} `));
  });

  test('a body without spaces is cut at the longest safe place', () => {
    const m = fitToBudget([{ text: 'a'.repeat(150) }], { signature: '[Zhingdrok]', maxSegments: 1 });
    assert.equal(m.text, `[Zhingdrok] ${'a'.repeat(143)}...`);
    assert.deepEqual([m.units, m.segments], [160, 1]);
  });

  test('cutting away the only non-GSM characters may turn the message GSM-7', () => {
    const m = fitToBudget([{ text: `${'x'.repeat(160)} 青稞` }], { signature: '[Z]', maxSegments: 1 });
    assert.equal(m.encoding, 'GSM-7');
    assert.ok(m.text.endsWith('...'));
    assert.equal(m.segments, 1);
  });

  test('rejects a budget that cannot hold the signature and footer', () => {
    assert.throws(() => fitToBudget([{ text: 'x' }], { signature: 'x'.repeat(200), maxSegments: 1 }), RangeError);
    assert.throws(() => fitToBudget([{ text: 'x' }], { signature: '[Z]', maxSegments: 0 }), RangeError);
    assert.throws(() => fitToBudget([{ text: 'x' }], { signature: '[Z]', maxSegments: 1.5 }), RangeError);
  });

  test('no parts at all: the signature and footer', () => {
    const m = fitToBudget([], { signature: '[Zhingdrok]', footer: 'STOP', maxSegments: 1 });
    assert.equal(m.text, '[Zhingdrok] STOP');
  });

  test('an explicit separator joins the parts', () => {
    const m = fitToBudget([{ text: 'Barley 4.20' }, { text: 'Butter 38' }], {
      signature: '[Z]',
      separator: '\n',
      maxSegments: 1,
    });
    assert.equal(m.text, '[Z] Barley 4.20\nButter 38');
  });
});

// --- properties ------------------------------------------------------------------------------

const short = (arb: fc.Arbitrary<string>): fc.Arbitrary<string> => arb.map((s) => s.slice(0, 200));
const partArb: fc.Arbitrary<MessagePart> = fc.record(
  {
    text: short(smsText),
    optional: fc.boolean(),
    shortText: fc.oneof(
      short(smsText).map((s) => s.slice(0, 40)),
      fc.array(tibetanToken, { maxLength: 6 }).map((t) => t.join('')),
    ),
  },
  { requiredKeys: ['text'] },
);
const SIGNATURES = ['【农牧通】', '[Zhingdrok]', 'ཞིང་འབྲོག', '', 'Zhingdrok:'];
const FOOTERS = [undefined, '回T退订', 'Reply STOP to opt out', 'མཚམས་འཇོག་ན་STOP་ཞེས་ལན་སློག'];

const graphemeStarts = (text: string): Set<number> =>
  new Set(
    [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(text)].map((s) => s.index).concat(text.length),
  );
const inSyllable = (cp: number): boolean => cp >= 0x0f40 && cp <= 0x0fbc;

describe('fitToBudget properties', () => {
  test('never exceeds maxSegments; keeps signature and footer; cuts only at safe places', () => {
    const paths = { fits: 0, shortened: 0, dropped: 0, truncated: 0 };
    fc.assert(
      fc.property(
        fc.array(partArb, { maxLength: 5 }),
        fc.constantFrom(...SIGNATURES),
        fc.constantFrom(...FOOTERS),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(undefined, '\n'),
        (parts, signature, footer, maxSegments, separator) => {
          const m = fitToBudget(parts, { signature, footer, maxSegments, separator });
          if (m.truncated) paths.truncated++;
          else if (m.dropped) paths.dropped++;
          else if (m.shortened) paths.shortened++;
          else paths.fits++;
          assert.ok(m.segments <= maxSegments, `${m.segments} > ${maxSegments}`);
          assert.ok(m.text.startsWith(signature));
          if (footer) assert.ok(m.text.endsWith(footer));
          const again = segmentText(m.text);
          assert.deepEqual(
            { encoding: m.encoding, units: m.units, segments: m.segments, parts: m.parts },
            { encoding: again.encoding, units: again.units, segments: again.segments, parts: again.parts },
          );
          assert.deepEqual(fitToBudget(parts, { signature, footer, maxSegments, separator }), m, 'deterministic');

          if (m.truncated && separator === '\n') {
            // Rebuild the body as it was when truncation started (every short text, no optional part)
            // and check that the kept text ends at a grapheme boundary outside a Tibetan syllable.
            const body = parts
              .filter((p) => !p.optional)
              .map((p) => p.shortText ?? p.text)
              .filter((t) => t !== '')
              .join('\n');
            const ellipsis = m.text.lastIndexOf(m.encoding === 'GSM-7' ? '...' : '…');
            const start = signature.length + (m.text.startsWith(`${signature} `) && !body.startsWith(' ') ? 1 : 0);
            const kept = ellipsis > start ? m.text.slice(start, ellipsis) : '';
            if (kept !== '') {
              assert.ok(body.startsWith(kept), 'kept text is a prefix of the body');
              const at = kept.length;
              assert.ok(graphemeStarts(body).has(at), 'cut on a grapheme boundary');
              if (at < body.length) {
                const before = [...kept].at(-1)!.codePointAt(0)!;
                const after = body.codePointAt(at)!;
                assert.ok(!(inSyllable(before) && inSyllable(after)), 'not inside a Tibetan syllable');
              }
            }
          }
        },
      ),
      { numRuns: Number(process.env.SMS_COMPOSE_RUNS ?? 2_000) },
    );
    console.log(`outcomes: ${JSON.stringify(paths)}`);
    for (const [path, n] of Object.entries(paths)) assert.ok(n > 50, `too few runs end in "${path}"`);
  });
});
