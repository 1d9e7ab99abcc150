/**
 * A published alert as OASIS Common Alerting Protocol 1.2 XML (GET /api/v1/alerts/{id}.cap):
 * the format national warning systems take (China's GB/T 35965 derives from it), so another
 * system can carry our Tibetan alerts as they are. Pure: the caller gives the catalog's regions
 * and where the deployment lives; test/unit/knowledge/cap.test.ts validates the output against
 * the CAP 1.2 schema.
 *
 * Choices CAP leaves to the sender (docs/api.md, "Knowledge"):
 * - identifier `<alert id>-v<version>`: stable for a published version, new for a correction;
 *   a correction is msgType Update and references the publication it replaces.
 * - category by kind: weather → Met; pest → Env (crop and pasture pests are an environmental
 *   hazard, not a human-health one); disease → Health (livestock epidemics are handled as
 *   public health: animal-disease control, zoonoses); market → Other.
 * - urgency Immediate for an urgent alert, else Expected; certainty Likely (a bureau's
 *   warning is a forecast, not an observation); status Actual, scope Public.
 * - times in Asia/Shanghai with their offset: CAP forbids "Z" and fractions of a second.
 */
import { SHANGHAI_OFFSET_SECONDS } from '../dates.ts';
import { translatorFor } from '../i18n.ts';
import type { Language, Region } from '../reference/schemas.ts';
import type { AlertFields, AlertKind, PublicItem, Severity } from './item.ts';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_CONTENT_TYPE = 'application/cap+xml';
/** The Tibet Autonomous Region's GB/T 2260 code: the area of an alert for every region ('*'). */
export const TIBET_GBCODE = '540000';

/** CAP `<language>` (RFC 3066) of each of our languages, in the order the `<info>` blocks come. */
export const capLanguages: ReadonlyArray<readonly [Language, string]> = [
  ['bo', 'bo'],
  ['zh', 'zh-CN'],
  ['en', 'en-US'],
];

const categories: Record<AlertKind, string> = { weather: 'Met', pest: 'Env', disease: 'Health', market: 'Other' };
const severityWords: Record<Severity, string> = {
  minor: 'Minor',
  moderate: 'Moderate',
  severe: 'Severe',
  extreme: 'Extreme',
};

export interface CapContext {
  /** CAP sender: the deployment's domain (no spaces or commas), e.g. `zhingdrok.example.org`. */
  sender: string;
  /** The alert's public page (absolute); `?lang=` is added per `<info>`. */
  pageUrl: string;
  /** The catalog's regions: names for `<areaDesc>`, `gbcode` for `<geocode>`. */
  regions: ReadonlyMap<string, Pick<Region, 'names' | 'gbcode'>>;
  /** The publication this one corrects: the Update references it. Absent: the first publication (Alert). */
  previous?: { version: number; publishedAt: string };
  /** Attachments as `<resource>`: the public URL of a file key. */
  fileUrl?: (key: string) => string;
}

/** The CAP identifier of a published version of an alert. */
export const capIdentifier = (id: string, version: number) => `${id}-v${version}`;

/**
 * An instant as CAP's dateTime: `2026-06-01T08:00:00+08:00` (Asia/Shanghai; CAP's schema
 * refuses "Z" and fractions).
 */
export function capTime(iso: string): string {
  const shifted = new Date(new Date(iso).getTime() + SHANGHAI_OFFSET_SECONDS * 1000);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}

/**
 * Text as XML character data or an attribute value. Written here, not taken from a library:
 * five entities and the characters XML 1.0 forbids are the whole of it, and an XML library
 * would add weight to the http Lambda for this one route. Forbidden characters (C0 controls but
 * tab, newline and return; lone surrogates; U+FFFE/U+FFFF) are dropped: a body pasted from a
 * word processor must not make the document unreadable.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (ch) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[ch]};`);
}

const el = (name: string, text: string) => `<${name}>${escapeXml(text)}</${name}>`;

function areaOf(regionId: string, lang: Language, ctx: CapContext): string {
  if (regionId === '*') {
    const desc = translatorFor(lang)('common:province.XZ');
    return `<area>${el('areaDesc', desc)}${geocode(TIBET_GBCODE)}</area>`;
  }
  const region = ctx.regions.get(regionId);
  // Tibetan falls back to Chinese where a place has no Tibetan name; an unknown id is named as it is.
  const desc = region ? region.names[lang] || region.names.zh || region.names.en : regionId;
  return `<area>${el('areaDesc', desc)}${region?.gbcode ? geocode(region.gbcode) : ''}</area>`;
}

const geocode = (code: string) => `<geocode>${el('valueName', 'GB/T 2260')}${el('value', code)}</geocode>`;

/**
 * The CAP 1.2 document of a published alert: one `<info>` per language it was published in
 * (an urgent alert's other language arrives later as an Update).
 *
 * @example capXml(alert, { sender: 'zhingdrok.example.org', pageUrl: 'https://zhingdrok.example.org/alerts/a…', regions })
 */
export function capXml(item: PublicItem, ctx: CapContext): string {
  const fields = item.content.fields;
  if (fields.kind !== 'alert') throw new Error(`capXml: ${item.id} is a ${fields.kind}, not an alert`);
  const alert: AlertFields = fields;
  const sent = capTime(item.publishedAt);
  const infos = capLanguages
    .filter(([lang]) => item.content.versions[lang])
    .map(([lang, tag]) => {
      const text = item.content.versions[lang]!;
      const t = translatorFor(lang);
      const web = `${ctx.pageUrl}${ctx.pageUrl.includes('?') ? '&' : '?'}lang=${lang}`;
      const resources = ctx.fileUrl
        ? item.attachments.map(
            (a) =>
              `<resource>${el('resourceDesc', a.name)}${el('mimeType', a.type)}${el('size', String(a.bytes))}${el('uri', ctx.fileUrl!(a.key))}</resource>`,
          )
        : [];
      return [
        '<info>',
        el('language', tag),
        el('category', categories[alert.alertKind]),
        // The kind's name as the broadcast pages show it (the `web` namespace: every function carries it).
        el('event', t(`web:broadcasts.topics.${alert.alertKind}`)),
        el('urgency', alert.urgent ? 'Immediate' : 'Expected'),
        el('severity', severityWords[alert.severity]),
        el('certainty', 'Likely'),
        el('onset', capTime(alert.onset)),
        el('expires', capTime(alert.expires)),
        el('senderName', t('common:appName')),
        el('headline', text.title),
        el('description', text.body),
        ...(text.instruction ? [el('instruction', text.instruction)] : []),
        el('web', web),
        ...resources,
        ...item.content.regions.map((r) => areaOf(r, lang, ctx)),
        '</info>',
      ].join('');
    });
  const references = ctx.previous
    ? [
        el(
          'references',
          `${ctx.sender},${capIdentifier(item.id, ctx.previous.version)},${capTime(ctx.previous.publishedAt)}`,
        ),
      ]
    : [];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<alert xmlns="${CAP_NAMESPACE}">`,
    el('identifier', capIdentifier(item.id, item.version)),
    el('sender', ctx.sender),
    el('sent', sent),
    el('status', 'Actual'),
    el('msgType', ctx.previous ? 'Update' : 'Alert'),
    el('scope', 'Public'),
    ...references,
    ...infos,
    '</alert>\n',
  ].join('');
}
