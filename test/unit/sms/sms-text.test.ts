/**
 * The SMS texts as the composer reads them: a string missing in Tibetan falls back to Chinese,
 * a string missing everywhere gives a safe text (the command list), never the key, and a
 * stale price's "old" mark is composed in by the locale strings from a flag.
 */
import assert from 'node:assert/strict';
import { describe, test, vi } from 'vitest';
import { addNamespace } from '#core/i18n.ts';
import { composeSms } from '#core/sms/compose-sms.ts';
import { smsTranslator } from '#core/sms/sms-text.ts';
import { toWylie } from '#core/text/wylie.ts';

const SETTINGS = { signature: '【农牧通】', gsmSignature: '[Zhingdrok]' };
const ROW = { market: 'ཁྲོམ་གཟིགས་ཁང', unit: 'རྒྱ་མ', price: '5.00', date: '05-12' };

describe('SMS texts', () => {
  test('a stale price: `context: old` picks the line with the old mark nested in, in every language', () => {
    assert.equal(smsTranslator('en')('price.row', ROW), 'ཁྲོམ་གཟིགས་ཁང 5.00 yuan/རྒྱ་མ on 05-12.');
    assert.equal(
      smsTranslator('en')('price.row', { ...ROW, context: 'old' }),
      'ཁྲོམ་གཟིགས་ཁང 5.00 yuan/རྒྱ་མ on 05-12 (old).',
    );
    assert.equal(smsTranslator('zh')('price.rowShort', { ...ROW, context: 'old' }), 'ཁྲོམ་གཟིགས་ཁང5.00/རྒྱ་མ 05-12（旧）。');
    assert.equal(
      smsTranslator('zh')('price.nearest', { ...ROW, context: 'old' }),
      `最近有价：ཁྲོམ་གཟིགས་ཁང5.00元/རྒྱ་མ，05-12（旧）。`,
    );
    // Tibetan: the nested phrase is joined like a name (tsheg and shad as our orthography wants).
    const bo = smsTranslator('bo');
    assert.equal(bo('price.row', ROW), 'ཁྲོམ་གཟིགས་ཁང་། རྒྱ་མ་རེར་སྒོར་5.00 05-12།');
    assert.equal(bo('price.row', { ...ROW, context: 'old' }), 'ཁྲོམ་གཟིགས་ཁང་། རྒྱ་མ་རེར་སྒོར་5.00 05-12 རྙིང་པ།');
    assert.equal(bo('price.nearest', { ...ROW, context: 'old' }), 'ཉེ་ཤོས། ཁྲོམ་གཟིགས་ཁང་། རྒྱ་མ་རེར་སྒོར་5.00 05-12 རྙིང་པ།');
    // A context with no variant of its own leaves the line as it is.
    assert.equal(bo('price.head', { commodity: 'ནས', context: 'old' }), bo('price.head', { commodity: 'ནས' }));
  });

  test('a value is put in as it is: a sender’s `$t(…)` or `{{…}}` is neither nested nor filled, nor stops the nesting', () => {
    const text = '$t(sms:help.commands) {{text}}';
    for (const lang of ['bo', 'zh', 'en'] as const) {
      assert.ok(smsTranslator(lang)('join.notFound', { text }).includes(text), lang);
      const row = smsTranslator(lang)('price.row', { ...ROW, market: text, context: 'old' });
      assert.ok(row.includes(text), row);
      assert.ok(row.includes(smsTranslator(lang)('price.old').trim()), row);
      assert.equal(row.split('$t(').length, 2, row);
    }
  });

  test('a key missing in bo gives the zh text; missing everywhere, the command list, never the key', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      addNamespace('sms', {
        bo: {},
        zh: { fallbackTest: { zhOnly: '只有中文：{{name}}' } },
        en: { fallbackTest: { zhOnly: 'Chinese only: {{name}}' } },
      });
      assert.equal(smsTranslator('bo')('fallbackTest.zhOnly', { name: 'ནས' }), '只有中文：ནས');
      for (const lang of ['bo', 'zh', 'en'] as const) {
        const text = smsTranslator(lang)('fallbackTest.nowhere', { name: 'x' });
        assert.equal(text, smsTranslator(lang)('help.commands'), lang);
        assert.doesNotMatch(text, /fallbackTest|nowhere/);
      }
      const m = composeSms(
        { lang: 'en', script: 'tibetan', lines: [{ key: 'fallbackTest.nowhere' }], footer: false, maxSegments: 2 },
        SETTINGS,
        toWylie,
      );
      assert.doesNotMatch(m.text, /fallbackTest|nowhere/);
      assert.match(m.text, /Text: PRICE <product>/);
      assert.ok(
        warn.mock.calls.some((c) => JSON.parse(c[0] as string).key === 'sms:fallbackTest.nowhere'),
        'the miss is logged',
      );
    } finally {
      warn.mockRestore();
    }
  });
});
