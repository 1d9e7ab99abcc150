/**
 * What a broadcast costs and how it reads, before anything is sent: recipients per script
 * group from the audience counters, each group's SMS composed exactly as the fan-out composes
 * it (composeSms: signature, opt-out footer, Wylie for Wylie readers), segments, cost, the
 * day's budget and how long the send takes at the configured rate.
 */
import { shanghaiDay } from '../dates.ts';
import type { Language } from '../reference/schemas.ts';
import { composeSms, type SignatureSettings, type Transliterate } from '../sms/compose-sms.ts';
import type { FittedMessage } from '../sms/fit-to-budget.ts';
import { gsm7Septets } from '../sms/gsm7.ts';
import {
  type Audience,
  type AudienceCount,
  type CharWarning,
  EVERYONE,
  fallbackOrder,
  type Preview,
  type PreviewRow,
  type ScriptGroup,
  scriptGroups,
  type TemplateRef,
  type Texts,
} from './broadcast.ts';
import { quietMeets } from './quiet.ts';
import type { BroadcastSettings } from './settings.ts';

/** What is sent: free text per language, or a registered template. */
export interface Content {
  texts: Texts;
  template?: TemplateRef;
}

export interface Composer {
  signature: SignatureSettings;
  toWylie: Transliterate;
}

export const languageOfGroup = (group: ScriptGroup): Language => (group.startsWith('bo') ? 'bo' : (group as Language));

/** Groups a broadcast reaches: those of its languages (all when none are chosen). */
export const groupsOf = (languages: readonly Language[]): ScriptGroup[] =>
  scriptGroups.filter((g) => languages.length === 0 || languages.includes(languageOfGroup(g)));

/** The version a group reads: a template in their own language; a free text after the fallback order. */
export function versionFor(group: ScriptGroup, content: Content): Language | undefined {
  const language = languageOfGroup(group);
  if (content.template) return language;
  return fallbackOrder[language].find((l) => (content.texts[l] ?? '').trim() !== '');
}

/**
 * The SMS a group receives (undefined when no version exists for them): one line, the text or
 * the template, in the version's language; Wylie only for Wylie readers of the Tibetan version.
 */
export function renderFor(
  group: ScriptGroup,
  content: Content,
  composer: Composer,
  maxSegments: number,
): { version: Language; fitted: FittedMessage; key: string; params: Record<string, string | number> } | undefined {
  const version = versionFor(group, content);
  if (!version) return undefined;
  const line = content.template
    ? { key: content.template.key, params: content.template.params }
    : { key: 'broadcast.text', params: { text: (content.texts[version] ?? '').trim() } };
  const fitted = composeSms(
    {
      lang: version,
      script: group === 'bo-wylie' && version === 'bo' ? 'wylie' : 'tibetan',
      lines: [line],
      footer: true,
      maxSegments,
    },
    composer.signature,
    composer.toWylie,
  );
  return { version, fitted, key: line.key, params: line.params };
}

const firstTen = (chars: Iterable<string>) => [...new Set(chars)].slice(0, 10);

/**
 * Characters a basic phone may not show, per kind; and for texts meant to be GSM-7 (English,
 * Wylie) the few characters that made the whole SMS UCS-2 (less than half the room per part).
 */
export function charWarnings(
  rendering: string,
  group: ScriptGroup,
  version: Language,
  signature: string,
): CharWarning[] {
  const chars = [...rendering];
  const warnings: CharWarning[] = [];
  const add = (kind: CharWarning['kind'], found: string[]) => {
    if (found.length) warnings.push({ kind, chars: firstTen(found) });
  };
  add(
    'emoji',
    chars.filter((c) => /\p{Extended_Pictographic}/u.test(c)),
  );
  add(
    'private_use',
    chars.filter((c) => /\p{Co}/u.test(c)),
  );
  add(
    'unassigned',
    chars.filter((c) => /\p{Cn}/u.test(c)),
  );
  const meantGsm = version === 'en' || (group === 'bo-wylie' && version === 'bo');
  if (meantGsm) {
    // The registered signature is CJK by rule; it is not the author's doing.
    const own = new Set(signature);
    add(
      'not_gsm',
      chars.filter((c) => !own.has(c) && gsm7Septets(c) === undefined),
    );
  }
  return warnings;
}

/** Recipients per group: the counter rows of the audience's topics (`all` when none) and languages. */
export function countGroups(audience: Audience, rowsPerRegion: AudienceCount[][]): Record<ScriptGroup, number> {
  const topics = new Set<string>(audience.topics.length ? audience.topics : [EVERYONE]);
  const out: Record<ScriptGroup, number> = { 'bo-tibetan': 0, 'bo-wylie': 0, zh: 0, en: 0 };
  for (const rows of rowsPerRegion) {
    for (const row of rows) {
      if (!topics.has(row.topic)) continue;
      if (audience.languages.length && !audience.languages.includes(row.language)) continue;
      const group: ScriptGroup =
        row.language === 'bo' ? (row.script === 'wylie' ? 'bo-wylie' : 'bo-tibetan') : row.language;
      out[group] += Math.max(0, row.count);
    }
  }
  return out;
}

export interface PreviewInput {
  audience: Audience;
  content: Content;
  sendAt?: string;
  counts: Record<ScriptGroup, number>;
  /** Segments already spent on the day the broadcast goes (0 for a later day). */
  spent: number;
  dailySegmentLimit: number;
  settings: BroadcastSettings;
  composer: Composer;
  now: Date;
  /** The gateway sends only registered templates and none carries free text (BroadcastDeps.freeTextRefused). */
  freeTextRefused?: boolean;
}

/** The preview, from counts already read: pure. */
export function buildPreview(input: PreviewInput): Preview {
  const { settings, composer } = input;
  const rows: PreviewRow[] = groupsOf(input.audience.languages).map((group) => {
    const recipients = input.counts[group];
    const rendered = renderFor(group, input.content, composer, settings.maxSegments);
    if (!rendered) {
      return {
        group,
        recipients,
        rendering: '',
        encoding: 'GSM-7',
        segments: 0,
        totalSegments: 0,
        costFen: 0,
        warnings: [],
      };
    }
    const { fitted, version } = rendered;
    const totalSegments = recipients * fitted.segments;
    return {
      group,
      recipients,
      version,
      rendering: fitted.text,
      encoding: fitted.encoding,
      segments: fitted.segments,
      totalSegments,
      costFen: totalSegments * settings.segmentPriceFen,
      warnings: charWarnings(fitted.text, group, version, composer.signature.signature),
    };
  });
  const recipients = rows.reduce((n, r) => n + r.recipients, 0);
  const reached = rows.filter((r) => r.version).reduce((n, r) => n + r.recipients, 0);
  const totalSegments = rows.reduce((n, r) => n + r.totalSegments, 0);
  const startsAt = input.sendAt ? new Date(input.sendAt) : input.now;
  const day = shanghaiDay(startsAt);
  const remaining = Math.max(0, input.dailySegmentLimit - input.spent);
  const seconds = Math.ceil(reached / settings.sendRate);
  return {
    recipients,
    upperBound: input.audience.topics.length > 1,
    rows,
    segments: Object.fromEntries(rows.filter((r) => r.version).map((r) => [r.group, r.segments])),
    totalSegments,
    costFen: totalSegments * settings.segmentPriceFen,
    segmentPriceFen: settings.segmentPriceFen,
    budget: { day, limit: input.dailySegmentLimit, remaining, needed: totalSegments, fits: totalSegments <= remaining },
    needsApproval: recipients > settings.approvalThreshold,
    ...(input.freeTextRefused && !input.content.template ? { freeTextRefused: true as const } : {}),
    timing: {
      rate: settings.sendRate,
      seconds,
      startsAt: startsAt.toISOString(),
      quietHoldsIt:
        reached > 0 && quietMeets(startsAt, seconds, { start: settings.quietStart, end: settings.quietEnd }),
    },
    at: input.now.toISOString(),
  };
}
