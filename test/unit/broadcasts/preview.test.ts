/**
 * The preview as the phone will see it: each script group's SMS composed as the fan-out composes
 * it (signature, opt-out footer, Wylie), the fallback order, segments, cost, budget, timing and
 * the character warnings; and the input checks that refuse a version over the segment limit.
 */
import { describe, expect, test } from 'vitest';
import type { Audience, AudienceCount } from '#core/broadcasts/broadcast.ts';
import { buildPreview, charWarnings, countGroups, renderFor, versionFor } from '#core/broadcasts/preview.ts';
import { defaultBroadcastSettings } from '#core/broadcasts/settings.ts';
import { templateParams, validateInput } from '#core/broadcasts/validate.ts';
import { referenceSeed } from '#core/reference/seed.ts';
import { composeSms } from '#core/sms/compose-sms.ts';
import { segmentsOf } from '#core/sms/segments.ts';
import { toWylie } from '#core/text/wylie.ts';

const signature = { signature: '【农牧通】', gsmSignature: '[Zhingdrok]' };
const composer = { signature, toWylie };
const settings = { ...defaultBroadcastSettings, quietStart: '21:00', quietEnd: '08:00' };
const TEXTS = { bo: 'སང་ཉིན་ཁ་བ་འབབ།', zh: '明天有雪。', en: 'Snow tomorrow.' };
const everyone: Audience = { regions: ['pref_shigatse'], topics: [], languages: [] };
const NOON = new Date('2026-12-05T12:00:00+08:00');

const row = (
  topic: string,
  language: 'bo' | 'zh' | 'en',
  script: 'tibetan' | 'wylie',
  count: number,
): AudienceCount => ({
  topic,
  language,
  script,
  count,
});

describe('the rendering of each script group', () => {
  test('exactly what composeSms makes of the version: signature, text, footer; Wylie for Wylie readers', () => {
    const tibetan = renderFor('bo-tibetan', { texts: TEXTS }, composer, 10)!;
    expect(tibetan.version).toBe('bo');
    expect(tibetan.fitted.text).toBe(
      composeSms(
        {
          lang: 'bo',
          script: 'tibetan',
          lines: [{ key: 'broadcast.text', params: { text: TEXTS.bo } }],
          footer: true,
          maxSegments: 10,
        },
        signature,
        toWylie,
      ).text,
    );
    expect(tibetan.fitted.text).toMatch(/^【农牧通】སང་ཉིན་ཁ་བ་འབབ།/u);
    expect(tibetan.fitted.text).toMatch(/TD བཏང་ན་མཚམས་འཇོག$/u);

    const wylie = renderFor('bo-wylie', { texts: TEXTS }, composer, 10)!;
    expect(wylie.fitted.text).toMatch(/^\[Zhingdrok\] ?sang nyin kha ba 'bab/u);
    expect(wylie.fitted.text).not.toMatch(/[\u0f00-\u0fff\p{Script=Han}]/u);
    expect(wylie.fitted.encoding).toBe('GSM-7');

    expect(renderFor('zh', { texts: TEXTS }, composer, 10)!.fitted.text).toBe('【农牧通】明天有雪。回T退订');
    const en = renderFor('en', { texts: TEXTS }, composer, 10)!;
    expect(en.fitted.text).toMatch(/^\[Zhingdrok\] ?Snow tomorrow\. Reply TD to stop$/u);
    expect(en.key).toBe('broadcast.text');
    expect(en.params).toEqual({ text: TEXTS.en });
  });

  test('a missing version falls back: bo → zh → en for Tibetan readers, zh → bo → en for Chinese, en → zh → bo for English', () => {
    expect(versionFor('bo-tibetan', { texts: { zh: 'x', en: 'y' } })).toBe('zh');
    expect(versionFor('bo-wylie', { texts: { en: 'y' } })).toBe('en');
    expect(versionFor('zh', { texts: { bo: 'ཀ', en: 'y' } })).toBe('bo');
    expect(versionFor('zh', { texts: { en: 'y' } })).toBe('en');
    expect(versionFor('en', { texts: { bo: 'ཀ', zh: 'x' } })).toBe('zh');
    expect(versionFor('en', { texts: { bo: 'ཀ' } })).toBe('bo');
    expect(versionFor('en', { texts: { bo: '  ' } })).toBeUndefined();
    // A Wylie reader of a Chinese fallback gets the Chinese as it is.
    const zhForWylie = renderFor('bo-wylie', { texts: { zh: '明天有雪。' } }, composer, 10)!;
    expect(zhForWylie.fitted.text).toBe('【农牧通】明天有雪。回T退订');
    // A Chinese reader of the Tibetan version reads Tibetan script, with the Tibetan footer.
    expect(renderFor('zh', { texts: { bo: TEXTS.bo } }, composer, 10)!.fitted.text).toMatch(/མཚམས་འཇོག$/u);
  });

  test('a template is rendered in each reader’s own language', () => {
    const content = { texts: {}, template: { key: 'notice.weather', params: { region: 'Gyantse', text: 'frost' } } };
    expect(renderFor('en', content, composer, 10)!.fitted.text).toMatch(/Weather warning, Gyantse: frost/);
    expect(renderFor('zh', content, composer, 10)!.fitted.text).toMatch(/Gyantse天气预警：frost/);
    expect(renderFor('bo-tibetan', content, composer, 10)!.fitted.text).toMatch(/གནམ་གཤིས་ཉེན་བརྡ།/u);
  });

  test('the author’s text is text: no interpolation or nesting inside it', () => {
    const text = 'Use {{text}} and $t(help.commands) as written';
    expect(renderFor('en', { texts: { en: text } }, composer, 10)!.fitted.text).toContain(text);
  });
});

describe('character warnings, per script', () => {
  test('emoji, private use and unassigned code points are named, each once', () => {
    const w = charWarnings('【农牧通】雪🌨️🌨️\uE000\u0378', 'zh', 'zh', signature.signature);
    expect(w.map((x) => x.kind)).toEqual(['emoji', 'private_use', 'unassigned']);
    expect(w[0]!.chars).toEqual(['🌨']);
    expect(w[1]!.chars).toEqual(['\uE000']);
  });

  test('an English or Wylie version pushed to UCS-2 by a few characters names them; the CJK signature is not the author’s', () => {
    const en = renderFor('en', { texts: { en: 'Snow “tomorrow” — stay in' } }, composer, 10)!;
    expect(en.fitted.encoding).toBe('UCS-2');
    const warnings = charWarnings(en.fitted.text, 'en', 'en', signature.signature);
    expect(warnings).toEqual([{ kind: 'not_gsm', chars: ['“', '”', '—'] }]);
    // Chinese readers of a Chinese text: UCS-2 is expected, no warning.
    expect(charWarnings('【农牧通】明天有雪。回T退订', 'zh', 'zh', signature.signature)).toEqual([]);
  });
});

describe('counts, segments, cost, budget and timing', () => {
  const counts = [
    [
      row('all', 'bo', 'tibetan', 600),
      row('all', 'bo', 'wylie', 50),
      row('all', 'zh', 'tibetan', 300),
      row('all', 'en', 'tibetan', 20),
      row('weather', 'bo', 'tibetan', 100),
      row('pest', 'zh', 'tibetan', 40),
    ],
    [row('all', 'zh', 'tibetan', 31)],
  ];

  test('recipients per group from the counter rows of the audience’s topics and languages', () => {
    expect(countGroups(everyone, counts)).toEqual({ 'bo-tibetan': 600, 'bo-wylie': 50, zh: 331, en: 20 });
    expect(countGroups({ ...everyone, topics: ['weather', 'pest'] }, counts)).toEqual({
      'bo-tibetan': 100,
      'bo-wylie': 0,
      zh: 40,
      en: 0,
    });
    expect(countGroups({ ...everyone, languages: ['zh'] }, counts)).toEqual({
      'bo-tibetan': 0,
      'bo-wylie': 0,
      zh: 331,
      en: 0,
    });
  });

  test('segments per version, totals, cost at the price per segment, approval, budget and timing', () => {
    const long = 'ཞིང་པ་དང་འབྲོག་པ་ཚོར། '.repeat(6).trim();
    const preview = buildPreview({
      audience: everyone,
      content: { texts: { ...TEXTS, bo: long } },
      counts: countGroups(everyone, counts),
      spent: 1000,
      dailySegmentLimit: 5000,
      settings,
      composer,
      now: NOON,
    });
    const bySegments = Object.fromEntries(preview.rows.map((r) => [r.group, r.segments]));
    for (const r of preview.rows) {
      expect(r.segments).toBe(segmentsOf(r.rendering).segments);
      expect(r.totalSegments).toBe(r.recipients * r.segments);
      expect(r.costFen).toBe(r.totalSegments * settings.segmentPriceFen);
    }
    expect(bySegments['bo-tibetan']).toBeGreaterThan(1);
    expect(bySegments.en).toBe(1);
    expect(preview.segments).toEqual(bySegments);
    expect(preview.recipients).toBe(1001);
    expect(preview.upperBound).toBe(false);
    expect(preview.totalSegments).toBe(preview.rows.reduce((n, r) => n + r.totalSegments, 0));
    expect(preview.costFen).toBe(preview.totalSegments * 5);
    expect(preview.needsApproval).toBe(true);
    expect(preview.budget).toEqual({
      day: '2026-12-05',
      limit: 5000,
      remaining: 4000,
      needed: preview.totalSegments,
      fits: preview.totalSegments <= 4000,
    });
    expect(preview.timing).toEqual({ rate: 20, seconds: 51, startsAt: NOON.toISOString(), quietHoldsIt: false });
  });

  test('a send that would run into the night is held by quiet hours; a later day’s budget is the whole limit', () => {
    const evening = new Date('2026-12-05T20:59:00+08:00');
    const preview = buildPreview({
      audience: everyone,
      content: { texts: TEXTS },
      sendAt: '2026-12-07T20:59:30+08:00',
      counts: countGroups(everyone, counts),
      spent: 0,
      dailySegmentLimit: 5000,
      settings,
      composer,
      now: evening,
    });
    expect(preview.timing.quietHoldsIt).toBe(true);
    expect(preview.budget.day).toBe('2026-12-07');
    expect(preview.budget.remaining).toBe(5000);
  });
});

describe('input checks that compose', () => {
  const { regions, commodities } = referenceSeed();
  const catalog = {
    regions: new Map(regions.map((r) => [r.id, r])),
    commodities: new Map(commodities.map((c) => [c.id, c])),
  };
  const ctx = { catalog, settings, composer, now: NOON };

  test('a version over 10 segments is refused, naming the script group and the count', () => {
    const { problems } = validateInput({ audience: everyone, texts: { en: 'word '.repeat(400) } }, ctx);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'texts.en', key: 'errors:broadcast.text_too_long' });
    expect(Number(problems[0]!.params!.segments)).toBeGreaterThan(10);
    // Chinese: 67 characters a part; the first group reading the version is named.
    const zh = validateInput({ audience: everyone, texts: { zh: '雪'.repeat(700) } }, ctx).problems;
    expect(zh).toHaveLength(1);
    expect(zh[0]).toMatchObject({ path: 'texts.zh', params: { group: 'bo-tibetan', max: 10 } });
    expect(zh[0]!.params!.segments).toBeGreaterThan(10);
    expect(validateInput({ audience: everyone, texts: { zh: '雪'.repeat(600) } }, ctx).problems).toEqual([]);
  });

  test('regions are normalised: a county under a chosen prefecture is dropped', () => {
    const { value, problems } = validateInput(
      {
        audience: { regions: ['cty_shigatse_gyantse', 'pref_shigatse', 'pref_shigatse'], topics: [], languages: [] },
        texts: TEXTS,
      },
      ctx,
    );
    expect(problems).toEqual([]);
    expect(value.audience.regions).toEqual(['pref_shigatse']);
  });

  test('templates: known keys and exactly their parameters', () => {
    expect(templateParams('notice.weather')).toEqual(['region', 'text']);
    expect(templateParams('help.commands')).toBeUndefined();
    expect(templateParams('notice.nothing')).toBeUndefined();
    const bad = validateInput(
      { audience: everyone, template: { key: 'notice.weather', params: { region: 'x' } } },
      ctx,
    );
    expect(bad.problems.map((p) => p.key)).toEqual(['errors:broadcast.template_params']);
  });
});
