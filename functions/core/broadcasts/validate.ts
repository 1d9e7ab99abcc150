/**
 * A broadcast's input checked and normalised, every problem at once (the form shows them all):
 * message keys of `errors:broadcast.*` with their parameters. Scope (may this actor broadcast
 * in these regions) is the service's, through the guard; here only what the input itself says.
 */
import { smsResources } from '#locales/sms.ts';
import type { ErrorDetail } from '../errors.ts';
import type { Catalog } from '../reference/catalog.ts';
import { isWithin } from '../reference/catalog.ts';
import { type Language, languages } from '../reference/schemas.ts';
import { type Audience, type AudienceTopic, broadcastTopics, type TemplateRef, type Texts } from './broadcast.ts';
import { type Composer, groupsOf, renderFor, versionFor } from './preview.ts';
import type { BroadcastInput } from './service.ts';
import type { BroadcastSettings } from './settings.ts';

/** A time this close behind now still counts as now (a form filled a moment ago). */
export const SEND_AT_GRACE_MS = 60_000;
/** How far ahead a broadcast may be scheduled. */
export const SEND_AT_MAX_DAYS = 30;
/** Longer texts are refused without composing them (far over any segment limit). */
const MAX_TEXT_CHARS = 5000;

export interface ValidInput {
  audience: Audience;
  texts: Texts;
  template?: TemplateRef;
  sendAt?: string;
}

export interface ValidateContext {
  catalog: Pick<Catalog, 'regions' | 'commodities'>;
  settings: BroadcastSettings;
  composer: Composer;
  now: Date;
}

const problem = (path: string, name: string, message: string, params?: ErrorDetail['params']): ErrorDetail => ({
  path,
  message,
  key: `errors:broadcast.${name}`,
  ...(params ? { params } : {}),
});

const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The parameters a template of the `sms` namespace takes (its {{names}}), or undefined when there is no such template. */
export function templateParams(key: string): string[] | undefined {
  if (!/^notice\.[A-Za-z0-9_]+$/u.test(key)) return undefined;
  const notices = (smsResources.en as Record<string, unknown>).notice as Record<string, unknown> | undefined;
  const text = notices?.[key.slice('notice.'.length)];
  if (typeof text !== 'string') return undefined;
  return [...new Set([...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/gu)].map((m) => m[1]!))];
}

/**
 * Checks and normalises: regions known and none under another chosen one, topics and
 * languages known, a text or a template, each version's SMS within the segment limit in every
 * script it would go in, a time to send that is neither past nor too far.
 */
export function validateInput(
  input: BroadcastInput,
  ctx: ValidateContext,
): { value: ValidInput; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const { catalog, settings } = ctx;
  const raw = (input ?? {}) as Partial<BroadcastInput>;
  const audienceIn = (raw.audience ?? {}) as Partial<Audience>;

  // Regions: known ones, deduplicated, without one whose ancestor is chosen too.
  const regionIds = [...new Set(arrayOf(audienceIn.regions).map(String))];
  for (const id of regionIds) {
    if (!catalog.regions.has(id))
      problems.push(problem('audience.regions', 'region_unknown', `unknown region ${id}`, { id }));
  }
  const known = regionIds.filter((id) => catalog.regions.has(id));
  const regions = known.filter((id) => !known.some((other) => other !== id && isWithin(catalog, id, other)));
  if (regionIds.length === 0)
    problems.push(problem('audience.regions', 'audience_empty', 'choose at least one region'));
  else if (regions.length > settings.maxRegions)
    problems.push(
      problem('audience.regions', 'too_many_regions', `at most ${settings.maxRegions} regions`, {
        max: settings.maxRegions,
      }),
    );

  const topics: AudienceTopic[] = [];
  for (const topic of new Set(arrayOf(audienceIn.topics).map(String))) {
    const known =
      (broadcastTopics as readonly string[]).includes(topic) ||
      (topic.startsWith('price:') && catalog.commodities.has(topic.slice('price:'.length)));
    if (known) topics.push(topic as AudienceTopic);
    else problems.push(problem('audience.topics', 'topic_unknown', `unknown topic ${topic}`, { topic }));
  }

  const chosen: Language[] = [];
  for (const language of new Set(arrayOf(audienceIn.languages).map(String))) {
    if ((languages as readonly string[]).includes(language)) chosen.push(language as Language);
    else problems.push(problem('audience.languages', 'language_unknown', `unknown language ${language}`, { language }));
  }
  const audience: Audience = { regions, topics, languages: chosen };

  // A template, or free text per language (blank versions dropped).
  let template: TemplateRef | undefined;
  const texts: Texts = {};
  if (raw.template) {
    const key = String(raw.template.key ?? '');
    const names = templateParams(key);
    if (!names) problems.push(problem('template.key', 'template_unknown', `no template ${key}`, { key }));
    else {
      const params = (raw.template.params ?? {}) as Record<string, unknown>;
      const given = Object.keys(params);
      const fits =
        given.length === names.length &&
        names.every(
          (n) =>
            (typeof params[n] === 'string' && (params[n] as string).trim() !== '') || typeof params[n] === 'number',
        );
      if (!fits)
        problems.push(
          problem('template.params', 'template_params', `parameters: ${names.join(', ')}`, { names: names.join(', ') }),
        );
      else
        template = {
          key,
          params: Object.fromEntries(
            names.map((n) => [n, typeof params[n] === 'string' ? (params[n] as string).trim() : (params[n] as number)]),
          ),
        };
    }
  } else {
    const given = (raw.texts ?? {}) as Record<string, unknown>;
    for (const language of languages) {
      const text = typeof given[language] === 'string' ? (given[language] as string).normalize('NFC').trim() : '';
      if (text) texts[language] = text;
    }
    if (Object.keys(texts).length === 0)
      problems.push(problem('texts', 'text_missing', 'write the text in at least one language'));
  }

  // Each version as every group that would read it receives it: within the segment limit.
  if (Object.keys(texts).length || template) {
    const content = { texts, ...(template ? { template } : {}) };
    const seen = new Set<string>();
    for (const group of groupsOf(chosen)) {
      const version = versionFor(group, content);
      if (!version) continue;
      const path = template ? 'template' : `texts.${version}`;
      const length = template ? 0 : (texts[version] ?? '').length;
      let segments: number;
      if (length > MAX_TEXT_CHARS) segments = Math.ceil(length / 67);
      else {
        // Room for the whole text, so that the count is the real one (not the cut one).
        const room = Math.max(settings.maxSegments + 1, Math.ceil(length / 60) + 2);
        const rendered = renderFor(group, content, ctx.composer, room)!;
        segments = rendered.fitted.truncated ? room : rendered.fitted.segments;
      }
      if (segments > settings.maxSegments && !seen.has(path)) {
        seen.add(path);
        problems.push(
          problem(path, 'text_too_long', `${segments} segments for ${group}, at most ${settings.maxSegments}`, {
            group,
            segments,
            max: settings.maxSegments,
          }),
        );
      }
    }
  }

  let sendAt: string | undefined;
  if (raw.sendAt !== undefined && raw.sendAt !== null && raw.sendAt !== '') {
    const text = String(raw.sendAt);
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/u.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(at)) problems.push(problem('sendAt', 'send_at_invalid', 'not a date and time'));
    else if (at < ctx.now.getTime() - SEND_AT_GRACE_MS) problems.push(problem('sendAt', 'send_at_past', 'in the past'));
    else if (at > ctx.now.getTime() + SEND_AT_MAX_DAYS * 86_400_000)
      problems.push(
        problem('sendAt', 'send_at_far', `at most ${SEND_AT_MAX_DAYS} days ahead`, { days: SEND_AT_MAX_DAYS }),
      );
    else sendAt = new Date(at).toISOString();
  }

  return { value: { audience, texts, ...(template ? { template } : {}), ...(sendAt ? { sendAt } : {}) }, problems };
}
