/**
 * What `npm run templates` prints and checks (functions/local/templates.ts is its thin entry):
 * each template's text per form with `${param}` placeholders, the signature, and its length in
 * segments with every parameter at its stated maximum; every sendable key without a template;
 * every registered text that no longer matches the locales (the provider would send old text).
 */
import { smsResources } from '#locales/sms.ts';
import type { Language } from '../reference/schemas.ts';
import { wylieText } from './compose-sms.ts';
import { segmentsOf } from './segments.ts';
import { SENDABLE_SMS_KEYS } from './sendable-keys.ts';
import { FREE_TEXT_KEY, MORE_PARAM, type Template, type TemplateRegistry, type ToWylie } from './templates.ts';

const languages: readonly Language[] = ['bo', 'zh', 'en'];
type Tree = { [key: string]: string | Tree };

/** The locale's text of an `sms` key as a template: `{{name}}` → `${name}`, nested `$t(sms:…)` inlined. */
export function localeTemplate(lang: Language, key: string, depth = 0): string | undefined {
  const raw = key
    .split('.')
    .reduce<string | Tree | undefined>(
      (node, part) => (node && typeof node === 'object' ? node[part] : undefined),
      smsResources[lang] as Tree,
    );
  if (typeof raw !== 'string') return undefined;
  return raw
    .replace(/\$t\(sms:([^)]+)\)/g, (_, nested: string) =>
      depth < 3 ? (localeTemplate(lang, nested, depth + 1) ?? '') : '',
    )
    .replace(/\{\{\s*([A-Za-z0-9]+)[^}]*\}\}/g, (_, name: string) => `\${${name}}`);
}

/** The text a template is registered with: the key's text, then `${more}` and the opt-out footer where it has them. */
export function expectedText(
  lang: Language,
  key: string,
  template: Pick<Template, 'more' | 'footer'>,
): string | undefined {
  const text = localeTemplate(lang, key);
  if (text === undefined) return undefined;
  const more = template.more ? `\${${MORE_PARAM}}` : '';
  const footer = template.footer ? (localeTemplate(lang, 'footer.optOut') ?? '') : '';
  return `${text}${more}${footer}`;
}

const filler: Record<Language, string> = { bo: 'ཀ', zh: '字', en: 'x' };

/** The text with each parameter at its maximum length (the worst case the provider bills). */
export function atMaximum(text: string, template: Template, lang: Language): string {
  const max = (name: string) => (name === MORE_PARAM ? (template.more ?? 0) : (template.params[name] ?? 0));
  return text.replace(/\$\{([^}]*)\}/g, (_, name: string) => filler[lang].repeat(max(name)));
}

export interface ReportRow {
  key: string;
  form: 'bo' | 'wylie' | 'zh' | 'en';
  code: string;
  text: string;
  segments: number;
}

export interface TemplateReport {
  rows: ReportRow[];
  /** Sendable keys with no template (a broadcast's free text counts as covered by the general notice). */
  missing: string[];
  /** Templates whose registered text differs from the locales'. */
  drifted: Array<{ key: string; lang: Language; registered: string; expected: string }>;
}

export function templateReport(
  registry: TemplateRegistry,
  toWylie: ToWylie,
  sendable: readonly string[] = SENDABLE_SMS_KEYS,
): TemplateReport {
  const signature = `【${registry.signName}】`;
  const rows: ReportRow[] = [];
  const drifted: TemplateReport['drifted'] = [];
  for (const [key, template] of Object.entries(registry.templates)) {
    for (const lang of languages) {
      const registered = template.text[lang];
      const expected = key === registry.generalNotice ? undefined : expectedText(lang, key, template);
      if (expected !== undefined && expected !== registered) drifted.push({ key, lang, registered, expected });
      const forms = lang === 'bo' ? (['bo', 'wylie'] as const) : ([lang] as const);
      for (const form of forms) {
        const code = template.codes[form];
        if (!code) continue;
        const text = form === 'wylie' ? wylieText(registered, toWylie) : registered;
        rows.push({
          key,
          form,
          code,
          text,
          segments: segmentsOf(signature + atMaximum(text, template, lang)).segments,
        });
      }
    }
  }
  const missing = sendable.filter((key) =>
    key === FREE_TEXT_KEY ? registry.generalNotice === null : !registry.templates[key],
  );
  return { rows, missing, drifted };
}
