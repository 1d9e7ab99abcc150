/** Validation and summary counting (core/knowledge/validate.ts, summaries.ts), pure. */
import { describe, expect, test } from 'vitest';
import { defaultKnowledgeSettings } from '#core/knowledge/settings.ts';
import { checkSummaries, summaryProblems } from '#core/knowledge/summaries.ts';
import { missingAtSubmit, validateItem } from '#core/knowledge/validate.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import { toWylie } from '#core/text/wylie.ts';

const region = (id: string, parentId: string | null) => [id, { id, parentId }] as const;
const catalog = {
  regions: new Map([region('pref_shigatse', null), region('cty_shigatse_gyantse', 'pref_shigatse')]),
  commodities: new Map([['barley_qingke', { id: 'barley_qingke' }]]),
} as unknown as Pick<Catalog, 'regions' | 'commodities'>;
const composer = { signature: { signature: '【农牧通】', gsmSignature: '[Zhingdrok]' }, toWylie };
const guideFields = {
  kind: 'guide',
  commodityId: 'barley_qingke',
  stage: 'during',
  topic: 'technique',
  months: [7, 6, 6],
} as const;
const v = { title: ' A  title ', body: 'Line one  \r\nLine two', summary: 'Water it.' };

describe('validateItem', () => {
  test('normalises: regions under a chosen one dropped, months sorted and distinct, whitespace', () => {
    const { content, problems } = validateItem(
      'guide',
      {
        regions: ['pref_shigatse', 'cty_shigatse_gyantse'],
        fields: { ...guideFields, months: [7, 6, 6] },
        versions: { en: v },
      },
      catalog,
    );
    expect(problems).toEqual([]);
    expect(content.regions).toEqual(['pref_shigatse']);
    expect(content.fields).toMatchObject({ months: [6, 7] });
    expect(content.versions.en).toEqual({ title: 'A title', body: 'Line one\nLine two', summary: 'Water it.' });
  });

  test('every problem at once, each with its key', () => {
    const { problems } = validateItem(
      'guide',
      {
        regions: [],
        fields: { ...guideFields, commodityId: 'x', months: [0] },
        versions: { zh: { title: 'x'.repeat(201), body: '', summary: '' } },
      },
      catalog,
    );
    expect(problems.map((p) => p.key)).toEqual([
      'errors:knowledge.regionCount',
      'errors:knowledge.unknownCommodity',
      'errors:knowledge.invalidMonths',
      'errors:knowledge.textTooLong',
    ]);
  });

  test('alerts: onset before expiry; submit needs bo and zh whole', () => {
    const alert = validateItem(
      'alert',
      {
        regions: ['*'],
        fields: {
          kind: 'alert',
          alertKind: 'pest',
          severity: 'minor',
          onset: '2026-06-02T00:00:00+08:00',
          expires: '2026-06-01T00:00:00+08:00',
          urgent: false,
          mainLanguage: 'zh',
        },
        versions: { en: v },
      },
      catalog,
    );
    expect(alert.problems.map((p) => p.key)).toEqual(['errors:knowledge.expiresBeforeOnset']);
    expect(missingAtSubmit(alert.content).map((p) => p.params?.language)).toEqual(['bo', 'zh']);
  });
});

describe('checkSummaries', () => {
  test('per script group, signature included: a guide’s zh must fit one part, bo two (in script and Wylie)', () => {
    const checks = checkSummaries(
      'guide',
      {
        zh: { title: '', body: '', summary: '青'.repeat(65) },
        bo: { title: '', body: '', summary: 'ནས་ལ་ཆུ་འདྲེན།' },
      },
      composer,
      defaultKnowledgeSettings,
    );
    const zh = checks.find((c) => c.language === 'zh')!.groups[0]!;
    // 65 + the 5-character signature = 70: one part (UCS-2, 70 a single SMS).
    expect(zh).toEqual({ group: 'zh', segments: 1, limit: 1, fits: true });
    const bo = checks.find((c) => c.language === 'bo')!.groups;
    expect(bo.map((g) => [g.group, g.limit, g.fits])).toEqual([
      ['bo-tibetan', 2, true],
      ['bo-wylie', 2, true],
    ]);
    const over = checkSummaries(
      'guide',
      { zh: { title: '', body: '', summary: '青'.repeat(66) } },
      composer,
      defaultKnowledgeSettings,
    );
    expect(over[0]!.groups[0]).toMatchObject({ segments: 2, fits: false });
    expect(summaryProblems(over)[0]).toMatchObject({
      key: 'errors:knowledge.summaryTooLong',
      params: { language: 'zh', segments: 2, limit: 1 },
    });
  });

  test('alerts carry the opt-out footer and may take two parts in Chinese', () => {
    const checks = checkSummaries(
      'alert',
      { zh: { title: '', body: '', summary: '青'.repeat(66) } },
      composer,
      defaultKnowledgeSettings,
    );
    expect(checks[0]!.groups[0]).toMatchObject({ segments: 2, limit: 2, fits: true });
  });
});
