/**
 * A summary's SMS cost, counted exactly as it will be sent: composed with the signature (and
 * an alert's or bulletin's broadcast footer) by core/sms composeSms, for every script its
 * readers get — Tibetan in script and in Wylie (the transliteration can take more or fewer
 * parts), Chinese, English.
 */
import type { ErrorDetail } from '../errors.ts';
import type { Language } from '../reference/schemas.ts';
import { composeSms, type SignatureSettings, type Transliterate } from '../sms/compose-sms.ts';
import type { ItemKind, Versions } from './item.ts';
import type { SummaryCheck } from './service.ts';
import type { KnowledgeSettings } from './settings.ts';
import { knowledgeProblem } from './validate.ts';

export interface SummaryComposer {
  signature: SignatureSettings;
  toWylie: Transliterate;
}

/** Far over any limit: composing never cuts what we count. */
const UNCUT = 50;

type Group = SummaryCheck['groups'][number]['group'];
const groupsOf: Record<Language, Group[]> = { bo: ['bo-tibetan', 'bo-wylie'], zh: ['zh'], en: ['en'] };

import { bareText } from './reading.ts';

export { bareText };

/** The line the summary goes out as: TIP's reply for a guide, the broadcast's text for the rest. */
export const summaryLine = (kind: ItemKind, summary: string): { key: string; params: Record<string, string> } =>
  kind === 'guide'
    ? { key: 'tip.reply', params: { summary: bareText(summary) } }
    : { key: 'broadcast.text', params: { text: bareText(summary) } };

/** The segment limit of a kind's summary in a script group. */
export const summaryLimit = (kind: ItemKind, group: Group, settings: KnowledgeSettings) =>
  kind === 'guide' && (group === 'zh' || group === 'en')
    ? settings.maxGuideSummarySegmentsLatin
    : settings.maxSummarySegments;

/** Segments of each language's summary per script group (languages without a summary are left out). */
export function checkSummaries(
  kind: ItemKind,
  versions: Versions,
  composer: SummaryComposer,
  settings: KnowledgeSettings,
): SummaryCheck[] {
  const out: SummaryCheck[] = [];
  for (const language of ['bo', 'zh', 'en'] as const) {
    const summary = versions[language]?.summary?.trim();
    if (!summary) continue;
    out.push({
      language,
      groups: groupsOf[language].map((group) => {
        const fitted = composeSms(
          {
            lang: language,
            script: group === 'bo-wylie' ? 'wylie' : 'tibetan',
            lines: [summaryLine(kind, summary)],
            footer: kind !== 'guide',
            maxSegments: UNCUT,
          },
          composer.signature,
          composer.toWylie,
        );
        const limit = summaryLimit(kind, group, settings);
        return { group, segments: fitted.segments, limit, fits: fitted.segments <= limit };
      }),
    });
  }
  return out;
}

/** The refusals of summaries over their limit: `errors:knowledge.summaryTooLong` {language, segments, limit}. */
export const summaryProblems = (checks: readonly SummaryCheck[]): ErrorDetail[] =>
  checks.flatMap((c) =>
    c.groups
      .filter((g) => !g.fits)
      .map((g) =>
        knowledgeProblem(
          `versions.${c.language}.summary`,
          'summaryTooLong',
          `the ${g.group} summary is ${g.segments} SMS parts, at most ${g.limit}`,
          { language: g.group, segments: g.segments, limit: g.limit },
        ),
      ),
  );
