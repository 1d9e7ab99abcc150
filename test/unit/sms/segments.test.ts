import assert from 'node:assert/strict';
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, test } from 'vitest';
import { encodingOf, safeBoundaries, segmentsOf, segmentText, splitIntoSegments, unitsOf } from '#core/sms/segments.ts';
import { checkSegments, describeFindings } from '#core/text/tibetan-orthography.ts';

const lengths = (parts: string[]): number[] => parts.map((p) => p.length);

describe('segmentsOf: GSM-7', () => {
  test('the empty message is one segment', () => {
    assert.deepEqual(segmentsOf(''), { encoding: 'GSM-7', units: 0, segments: 1, perSegment: 160 });
    assert.deepEqual(splitIntoSegments(''), ['']);
  });

  test('160 septets are one SMS, 161 two parts', () => {
    assert.deepEqual(segmentsOf('a'.repeat(160)), { encoding: 'GSM-7', units: 160, segments: 1, perSegment: 160 });
    assert.deepEqual(segmentsOf('a'.repeat(161)), { encoding: 'GSM-7', units: 161, segments: 2, perSegment: 153 });
    assert.deepEqual(lengths(splitIntoSegments('a'.repeat(161))), [153, 8]);
  });

  test('153 × 2 septets are two full parts, one more makes three', () => {
    assert.deepEqual(lengths(splitIntoSegments('a'.repeat(306))), [153, 153]);
    assert.equal(segmentsOf('a'.repeat(307)).segments, 3);
  });

  test('an extension character counts 2 septets', () => {
    assert.deepEqual(segmentsOf('€'), { encoding: 'GSM-7', units: 2, segments: 1, perSegment: 160 });
    assert.equal(segmentsOf('€'.repeat(80)).segments, 1);
    assert.deepEqual(segmentsOf('€'.repeat(81)), { encoding: 'GSM-7', units: 162, segments: 2, perSegment: 153 });
    assert.equal(segmentsOf(`${'a'.repeat(159)}^`).segments, 2);
    assert.equal(unitsOf('[x]{y}\\|~\f'), 18); // 8 extension characters, x and y
  });

  test('an extension character is never split: the part holds 152 septets', () => {
    const text = `${'a'.repeat(152)}€${'a'.repeat(8)}`;
    const parts = splitIntoSegments(text);
    assert.deepEqual(parts, ['a'.repeat(152), `€${'a'.repeat(8)}`]);
    assert.equal(segmentsOf(text).segments, 2);
    // the same with 1 septet more needs a third part
    assert.equal(segmentsOf(`${'a'.repeat(152)}€${'a'.repeat(152)}`).segments, 3);
  });

  test('one non-GSM character makes the whole message UCS-2', () => {
    assert.equal(encodingOf('Barley 4.20/jin'), 'GSM-7');
    assert.equal(encodingOf('Barley 4.20/jin…'), 'UCS-2');
    assert.deepEqual(segmentsOf(`${'a'.repeat(69)}ç`), { encoding: 'UCS-2', units: 70, segments: 1, perSegment: 70 });
    assert.equal(segmentsOf(`${'a'.repeat(70)}ç`).segments, 2);
  });

  test('English is cut between words when that costs no part', () => {
    const text =
      'Barley in Lhasa today: 4.20 yuan per jin, up 0.10 on last week. Butter: 38 yuan per jin, steady. ' +
      'Highland barley seed is in stock at the county cooperative until Friday. Reply HELP for commands.';
    const parts = splitIntoSegments(text);
    assert.equal(parts.length, 2);
    assert.equal(parts.join(''), text);
    assert.match(parts[0]!, / $/);
    assert.match(parts[1]!, /^[A-Za-z]/);
  });

  test('a word is cut when keeping it whole would cost a part', () => {
    const text = `${'a'.repeat(150)} ${'b'.repeat(155)}`;
    assert.equal(segmentsOf(text).segments, 2);
    assert.deepEqual(lengths(splitIntoSegments(text)), [153, 153]);
  });
});

describe('segmentsOf: UCS-2', () => {
  test('70 Han characters are one SMS, 71 two parts of 67 + 4', () => {
    assert.deepEqual(segmentsOf('青'.repeat(70)), { encoding: 'UCS-2', units: 70, segments: 1, perSegment: 70 });
    assert.deepEqual(segmentsOf('青'.repeat(71)), { encoding: 'UCS-2', units: 71, segments: 2, perSegment: 67 });
    assert.deepEqual(lengths(splitIntoSegments('青'.repeat(71))), [67, 4]);
  });

  test('a part does not start with closing CJK punctuation', () => {
    const text = `${'青'.repeat(67)}。${'稞'.repeat(5)}`;
    const parts = splitIntoSegments(text);
    assert.equal(parts.length, 2);
    assert.deepEqual(lengths(parts), [66, 7]);
    assert.ok(parts[1]!.startsWith('青。'));
  });

  test('emoji: a surrogate pair counts 2 units and is never split', () => {
    assert.deepEqual(segmentsOf('😀'.repeat(35)), { encoding: 'UCS-2', units: 70, segments: 1, perSegment: 70 });
    const two = splitIntoSegments('😀'.repeat(36));
    assert.deepEqual(lengths(two), [66, 6]);
    // 134 units would be 2 × 67, but a part of emoji holds 66: three parts
    assert.equal(segmentsOf('😀'.repeat(67)).segments, 3);
    assert.equal(new SegmentedMessage('😀'.repeat(67)).segmentsCount, 3);
    // a pair straddling the 67th unit moves whole into the next part
    assert.deepEqual(lengths(splitIntoSegments(`${'青'.repeat(66)}😀${'青'.repeat(10)}`)), [66, 12]);
  });

  test('emoji sequences (ZWJ, flags, skin tones) stay whole', () => {
    const family = '👨‍👩‍👧'; // 8 code units
    const parts = splitIntoSegments(family.repeat(9));
    assert.deepEqual(lengths(parts), [64, 8]);
    const flags = splitIntoSegments('🇨🇳'.repeat(18) + '👍🏽'.repeat(2));
    assert.ok(flags.every((p) => !/^[\uDC00-\uDFFF]/.test(p)));
    assert.equal(flags.join(''), '🇨🇳'.repeat(18) + '👍🏽'.repeat(2));
  });

  test('a Tibetan reply splits between syllables, each part ≤ 67 units', () => {
    const reply = 'ལྷ་སའི་ཁྲོམ་རར་དེ་རིང་ནས་དཀར་རྒྱ་མ་རེར་སྒོར་༤་དང་ཕྱེད་ཀ་ཡིན། མར་རྒྱ་མ་རེར་སྒོར་༣༨ ཡིན། ཞིབ་ཕྲ་ཤེས་འདོད་ན་རོགས་ཞེས་བྲིས།';
    assert.ok(reply.length >= 90 && reply.length <= 134, `${reply.length}`);
    const info = segmentText(reply);
    assert.equal(info.encoding, 'UCS-2');
    assert.equal(info.segments, 2);
    assert.equal(info.parts.join(''), reply);
    for (const part of info.parts) assert.ok(part.length <= 67);
    // the cut falls after a tsheg, a shad or a space, never before a mark or inside a syllable
    assert.match(info.parts[0]!, /[\u0f0b\u0f0d ]$/u);
    assert.match(info.parts[1]!, /^[\u0f40-\u0f6c]/u);
  });

  test('a Tibetan syllable is never split, even when that costs a part', () => {
    // 64 units of ཀ་, then the syllable གསར་ (4 units, 4 grapheme clusters), then 66 units:
    // 134 units would fit 2 × 67 if the cut could fall inside གསར, but it cannot.
    const text = `${'ཀ་'.repeat(32)}གསར་${'ཀ་'.repeat(33)}`;
    assert.equal(text.length, 134);
    const parts = splitIntoSegments(text);
    assert.deepEqual(lengths(parts), [64, 66, 4]);
    assert.ok(parts[1]!.startsWith('གསར་'));
    assert.equal(segmentsOf(text).segments, 3); // honest: what is actually sent
    // the reference packs grapheme clusters only and says 2
    assert.equal(new SegmentedMessage(text).segmentsCount, 2);
  });

  test('subjoined letters and vowel signs stay with their base', () => {
    const stack = 'སྒྲུབས་'; // ས ྒ ྲ ུ བ ས ་
    const text = 'ཀ'.repeat(65) + stack;
    const parts = splitIntoSegments(text);
    assert.equal(parts.join(''), text);
    assert.ok(parts.every((p, i) => i === 0 || !/^[\u0f71-\u0f84\u0f90-\u0fbc]/u.test(p)));
  });

  test('a run of Tibetan letters longer than a part is cut at grapheme clusters', () => {
    // no tsheg anywhere: not a real syllable, and there is no other place to cut
    const run = 'ཀྱི'.repeat(40); // 120 units, 40 clusters
    const parts = splitIntoSegments(run);
    assert.deepEqual(lengths(parts), [66, 54]);
  });
});

describe('Tibetan line breaking (tibetan-orthography.md §5)', () => {
  test('no cut before a shad or a space, none between ང་ and །, none inside "། །": only after ་ or a space, before a letter or digit', () => {
    const b = (text: string): string[] => safeBoundaries(text).map((x) => `${text.slice(0, x.index)}|`);
    assert.deepEqual(b('གོང་།'), []);
    assert.deepEqual(b('ཟིན། རྒྱལ'), ['ཟིན། |']);
    assert.deepEqual(b('འདུག ཡང'), ['འདུག |']);
    assert.deepEqual(b('ཀ། །ཁ'), []);
    assert.deepEqual(b('སྒོར་5.00↑0.50 05-12།'), ['སྒོར་|', 'སྒོར་5.00↑0.50 |']);
    // Chinese and English text keep their own rules
    assert.deepEqual(b('青稞，'), ['青|', '青稞|']);
  });

  test('whatever falls at the edge of a part, the next part starts with a letter or a digit', () => {
    const shapes = ['ཁྲོམ་གཟིགས་ཁང་། ', 'ནོར་འདུག ཡང་', 'ཀ། །ཁ་', 'གི། ', 'སྒོར་5.00↑0.50 05-12། ', '(རྙིང་པ) '];
    for (let pad = 0; pad < 8; pad++) {
      for (const shape of shapes) {
        // from 60 to 67 units before the shape, so that its every character meets the cut
        const text = 'ཀྱ་'.repeat(pad % 2) + 'ཀ་'.repeat(30 - (pad % 2) + Math.floor(pad / 2)) + shape + 'ཀ་'.repeat(40);
        const parts = splitIntoSegments(text);
        assert.equal(parts.join(''), text);
        const findings = checkSegments(parts);
        assert.deepEqual(findings, [], `${JSON.stringify(parts)}\n${describeFindings(findings)}`);
      }
    }
  });
});

describe('safeBoundaries', () => {
  test('marks word, tsheg, shad and Han boundaries as preferred', () => {
    const b = (text: string): string[] =>
      safeBoundaries(text).map((x) => `${text.slice(0, x.index)}|${x.preferred ? '*' : ''}`);
    assert.deepEqual(b('ab c'), ['a|', 'ab|', 'ab |*']);
    assert.deepEqual(b('ཀྱི་ཁ།'), ['ཀྱི་|*']);
    assert.deepEqual(b('青稞，'), ['青|*', '青稞|']);
  });
});

describe('a combining mark after a line break', () => {
  // Found by the property test (seed 378505679): a stray mark after LF is a grapheme cluster
  // of its own, and a Tibetan run too long for a part fell back to grapheme cuts — one of them
  // before the mark, so the third part began with ཱ.
  const found =
    'ཀཾག་གཀྱྱིཾགག་ཱ一a一 གཀཾག་aa 一གཀྱཾགག་ཀྱིཾ་ཀྱྱིཾ། 一一一aགཀྱྱིཾགག་ཱ一 aཀིཾ། 一aགཀྱིཾག་གཀིཾ་1️⃣一 一 一😀གཀྱིགག་གཀཾགགa一a^aça一𠀀a一一ççaaaaཱaa一a\nཱ𠀀一一ཀྱིཾག་^一གཀྐིཾག༌།a一གཀྱྐགག一一ཀྱིཾགག་';
  test('is never where a part starts, even in a run cut at grapheme clusters', () => {
    for (const text of [found, `${'ཀ'.repeat(80)}\n\u0f71${'ཀ'.repeat(80)}`]) {
      const parts = splitIntoSegments(text);
      assert.equal(parts.join(''), text);
      assert.ok(parts.length > 1);
      for (const part of parts.slice(1))
        assert.doesNotMatch(part, /^\p{M}/u, JSON.stringify(parts.map((p) => p.slice(0, 3))));
    }
  });
});
