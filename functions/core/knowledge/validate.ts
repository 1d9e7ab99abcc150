/**
 * An item's input checked and normalised, every problem at once (the form shows them all):
 * message keys of `errors:knowledge.*` with their parameters. Scope (may this actor write in
 * these regions) is the service's, through the guard; summaries' segments are summaries.ts'.
 */
import type { ErrorDetail } from '../errors.ts';
import { type Catalog, isWithin } from '../reference/catalog.ts';
import { type Language, languages } from '../reference/schemas.ts';
import { ALL_REGIONS } from '../staff/roles.ts';
import {
  type AlertFields,
  alertKinds,
  type BulletinFields,
  type GuideFields,
  guideTopics,
  type ItemContent,
  type ItemFields,
  type ItemKind,
  reviewedLanguages,
  severities,
  stages,
  type Versions,
  type VersionText,
} from './item.ts';
import type { ItemInput } from './service.ts';

export const textLimits = { title: 200, body: 20_000, summary: 500, instruction: 2_000 } as const;
export const MAX_REGIONS = 20;

export const knowledgeProblem = (
  path: string,
  name: string,
  message: string,
  params?: ErrorDetail['params'],
): ErrorDetail => ({ path, message, key: `errors:knowledge.${name}`, ...(params ? { params } : {}) });

const str = (v: unknown) => (typeof v === 'string' ? v.normalize('NFC') : '');
/** Titles and summaries are one line: runs of whitespace become one space. */
const oneLine = (v: unknown) => str(v).replace(/\s+/gu, ' ').trim();
/** Bodies keep their paragraphs: only line ends are made \n and each line's end trimmed. */
const multiLine = (v: unknown) =>
  str(v)
    .replace(/\r\n?/gu, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

/** One language's text as kept: trimmed, empty fields dropped; undefined when all are empty. */
function versionOf(v: unknown): VersionText | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const out: VersionText = { title: oneLine(o.title), body: multiLine(o.body), summary: oneLine(o.summary) };
  const instruction = multiLine(o.instruction);
  if (instruction) out.instruction = instruction;
  return out.title || out.body || out.summary || out.instruction ? out : undefined;
}

/** Regions known, distinct, none under another chosen one ('*' alone stands for all). */
function regionsOf(input: unknown, catalog: Pick<Catalog, 'regions'>, problems: ErrorDetail[]): string[] {
  const list = (Array.isArray(input) ? input : []).filter((r): r is string => typeof r === 'string');
  const unique = [...new Set(list.map((r) => r.trim()).filter(Boolean))];
  if (unique.length === 0 || unique.length > MAX_REGIONS) {
    problems.push(
      knowledgeProblem('regions', 'regionCount', `between 1 and ${MAX_REGIONS} regions`, { max: MAX_REGIONS }),
    );
    return unique.slice(0, MAX_REGIONS);
  }
  if (unique.includes(ALL_REGIONS)) return [ALL_REGIONS];
  for (const r of unique)
    if (!catalog.regions.has(r))
      problems.push(knowledgeProblem('regions', 'unknownRegion', `unknown region ${r}`, { region: r }));
  return unique.filter((r) => !unique.some((other) => other !== r && isWithin(catalog, r, other)));
}

const months = (input: unknown, problems: ErrorDetail[]): number[] => {
  const list = Array.isArray(input) ? input : [];
  const nums = list.map((m) => (typeof m === 'string' ? Number(m) : m));
  if (nums.length === 0 || nums.some((m) => typeof m !== 'number' || !Number.isInteger(m) || m < 1 || m > 12)) {
    problems.push(knowledgeProblem('months', 'invalidMonths', 'months are 1 to 12, at least one'));
    return [];
  }
  return [...new Set(nums as number[])].sort((a, b) => a - b);
};

const oneOf = <T extends string>(value: unknown, allowed: readonly T[], path: string, problems: ErrorDetail[]): T => {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  problems.push({
    path,
    message: `one of ${allowed.join(', ')}`,
    key: 'errors:input.one_of',
    params: { value: String(value ?? ''), allowed: allowed.join(', ') },
  });
  return allowed[0]!;
};

const isoInstant = (v: unknown): string | undefined => {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T/u.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};

function fieldsOf(
  kind: ItemKind,
  input: unknown,
  catalog: Pick<Catalog, 'commodities'>,
  problems: ErrorDetail[],
): ItemFields {
  const f = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  if (kind === 'guide') {
    const commodityId = str(f.commodityId).trim();
    if (!catalog.commodities.has(commodityId))
      problems.push(
        knowledgeProblem('fields.commodityId', 'unknownCommodity', `unknown commodity ${commodityId}`, {
          commodity: commodityId,
        }),
      );
    const out: GuideFields = {
      kind,
      commodityId,
      stage: oneOf(f.stage, stages, 'fields.stage', problems),
      topic: oneOf(f.topic, guideTopics, 'fields.topic', problems),
      months: months(f.months, problems),
    };
    return out;
  }
  if (kind === 'bulletin') {
    const date = str(f.date).trim();
    if (!/^\d{4}-\d{2}-\d{2}$/u.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
      problems.push({
        path: 'fields.date',
        message: 'a date YYYY-MM-DD',
        key: 'errors:input.format',
        params: { value: date, format: 'YYYY-MM-DD' },
      });
    const out: BulletinFields = { kind, date };
    if (f.topic !== undefined && f.topic !== '') out.topic = oneOf(f.topic, alertKinds, 'fields.topic', problems);
    return out;
  }
  const onset = isoInstant(f.onset);
  const expires = isoInstant(f.expires);
  for (const [path, value, ok] of [
    ['fields.onset', f.onset, onset],
    ['fields.expires', f.expires, expires],
  ] as const)
    if (!ok)
      problems.push({
        path,
        message: 'a date and time (ISO 8601)',
        key: 'errors:input.format',
        params: { value: String(value ?? ''), format: 'YYYY-MM-DDTHH:MM+08:00' },
      });
  if (onset && expires && expires <= onset)
    problems.push(knowledgeProblem('fields.expires', 'expiresBeforeOnset', 'expiry must be after onset'));
  const out: AlertFields = {
    kind,
    alertKind: oneOf(f.alertKind, alertKinds, 'fields.alertKind', problems),
    severity: oneOf(f.severity, severities, 'fields.severity', problems),
    onset: onset ?? '',
    expires: expires ?? '',
    urgent: f.urgent === true || f.urgent === 'true' || f.urgent === 'on',
    mainLanguage:
      f.mainLanguage === undefined ? 'bo' : oneOf(f.mainLanguage, reviewedLanguages, 'fields.mainLanguage', problems),
  };
  return out;
}

function versionsOf(kind: ItemKind, input: unknown, problems: ErrorDetail[]): Versions {
  const o = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const out: Versions = {};
  for (const lang of languages) {
    const v = versionOf(o[lang]);
    if (!v) continue;
    if (kind !== 'alert') delete v.instruction;
    for (const field of ['title', 'body', 'summary', 'instruction'] as const) {
      const text = v[field];
      if (text !== undefined && [...text].length > textLimits[field])
        problems.push(
          knowledgeProblem(
            `versions.${lang}.${field}`,
            'textTooLong',
            `${field} over ${textLimits[field]} characters`,
            {
              field,
              max: textLimits[field],
            },
          ),
        );
    }
    out[lang] = v;
  }
  if (Object.keys(out).length === 0)
    problems.push(knowledgeProblem('versions', 'missingLanguage', 'a version in bo or zh', { language: 'bo' }));
  return out;
}

/**
 * Checks and normalises an item's input: known regions (normalised), kind's fields (catalog
 * commodity, months 1…12, onset before expiry), texts within their limits. What a draft may
 * lack (a language, a summary) is checked at submit (`missingAtSubmit`).
 */
export function validateItem(
  kind: ItemKind,
  input: ItemInput,
  catalog: Pick<Catalog, 'regions' | 'commodities'>,
): { content: ItemContent; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const raw = (input ?? {}) as Partial<ItemInput>;
  const regions = regionsOf(raw.regions, catalog, problems);
  const fields = fieldsOf(kind, raw.fields, catalog, problems);
  const versions = versionsOf(kind, raw.versions, problems);
  return { content: { regions, fields, versions }, problems };
}

/** What submit requires: bo and zh, each with a title, a body and a summary. */
export function missingAtSubmit(content: ItemContent): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const lang of reviewedLanguages) {
    const v = content.versions[lang];
    if (!v?.title || !v.body || !v.summary)
      out.push(
        knowledgeProblem(`versions.${lang}`, 'missingLanguage', `the ${lang} title, body and summary`, {
          language: lang,
        }),
      );
  }
  return out;
}

/** The languages whose text differs between two contents (title, body, summary, instruction). */
/**
 * JSON with every object's keys sorted: what a store gives back may order a map's keys
 * otherwise (DynamoDB does; dynalite keeps them), and that is no change.
 */
const canonical = (value: unknown): string =>
  JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
        )
      : v,
  );

export function changedLanguages(a: ItemContent, b: ItemContent): Language[] {
  return languages.filter((l) => canonical(a.versions[l]) !== canonical(b.versions[l]));
}

/** Whether what both languages share (regions, fields) differs. */
export const sharedChanged = (a: ItemContent, b: ItemContent) =>
  canonical(a.regions) !== canonical(b.regions) || canonical(a.fields) !== canonical(b.fields);
