/**
 * The template registry of a deployment whose SMS provider sends only registered templates
 * (mainland Chinese providers: a signature and a template code with parameters, never free
 * text). One file per deployment, `templates/<deployment>.json`, bundled through
 * `templates/index.ts`; `npm run templates` prints what to register and checks that every
 * sendable key has a template (docs/sms-templates.md).
 *
 * How a composed reply maps to one template: a reply is often several lines (a price reply is
 * a head and one row per market, FIND a head, offers, a how-to and a safety line). A template
 * per reply *shape* would be unbounded (one per number of rows) and providers cap a template's
 * variables, so a message goes out as the template of its **first line's key** (the message's
 * kind, `OutboundSms.key`): that line's parameters are the template's, and the lines after it,
 * as composed (with the separator before them), fill one `${more}` parameter written
 * right after the first line's text that only templates declaring `more` have. Each
 * line in `${more}` must itself be a registered key (its text was reviewed with the
 * registry), and a broadcast's free text never rides in it.
 */

import type { Language } from '../reference/schemas.ts';
import * as z from '../zod.ts';
import { wylieText } from './compose-sms.ts';
import type { OutboundSms } from './messages.ts';
import { smsTranslator } from './sms-text.ts';

/** How the deployment sends to Tibetan readers when its provider may not take Tibetan script. */
export const tibetanScripts = ['tibetan', 'wylie', 'chinese', 'alternative-gateway'] as const;
export type TibetanScript = (typeof tibetanScripts)[number];

/** The forms a template is registered in: Tibetan script, Tibetan in Wylie, Chinese, English. */
export const templateForms = ['bo', 'wylie', 'zh', 'en'] as const;
export type TemplateForm = (typeof templateForms)[number];

/** The parameter that carries a reply's lines after its first. */
export const MORE_PARAM = 'more';
/** The key of a broadcast's free text (core/broadcasts/preview.ts). */
export const FREE_TEXT_KEY = 'broadcast.text';

// zod/mini (#core/zod.ts), as everywhere in functions/: classic zod would bring its JSON Schema
// generator and every locale into each Lambda that sends SMS.
const nonEmpty = () => z.string().check(z.minLength(1));
const positiveInt = () => z.int().check(z.positive());

const templateText = nonEmpty().check(
  z.refine((s) => !/\{\{/.test(s), { message: `write parameters as $\{name}, not {{name}}` }),
);

const templateSchema = z
  .strictObject({
    /** The provider's template code per form; a form without one is not sent in that form. */
    codes: z.object({
      bo: z.optional(nonEmpty()),
      wylie: z.optional(nonEmpty()),
      zh: nonEmpty(),
      en: nonEmpty(),
    }),
    /** Each parameter and its longest value in characters (the segment count is made at these). */
    params: z.record(
      z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9]*$/, { message: 'a parameter name is letters and digits' })),
      positiveInt(),
    ),
    /** When set, the first line's text is followed by `${more}`: the reply's lines after the first, at most this long. */
    more: z.optional(positiveInt()),
    /** The opt-out footer is part of the template (alerts, digests, broadcasts). */
    footer: z._default(z.boolean(), false),
    /** The text registered, per language, with `${param}` placeholders (Wylie is made from `bo`). */
    text: z.object({ bo: templateText, zh: templateText, en: templateText }),
  })
  .check(
    z.superRefine((t, ctx) => {
      const declared = new Set([...Object.keys(t.params), ...(t.more ? [MORE_PARAM] : [])]);
      for (const [lang, text] of Object.entries(t.text)) {
        const used = new Set([...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] ?? ''));
        for (const name of used)
          if (!declared.has(name))
            ctx.addIssue({ code: 'custom', path: ['text', lang], message: `\${${name}} is not a declared parameter` });
        for (const name of declared)
          if (!used.has(name))
            ctx.addIssue({
              code: 'custom',
              path: ['text', lang],
              message: `the parameter ${name} is missing from the text`,
            });
      }
    }),
  );

export const templateRegistrySchema = z
  .strictObject({
    deployment: z
      .string()
      .check(z.regex(/^[a-z0-9-]+$/, { message: 'a deployment name is lower-case letters, digits and -' })),
    /** The registered signature, without brackets: the provider shows it as 【signName】. */
    signName: z.string().check(z.minLength(2), z.maxLength(12)),
    tibetanScript: z.enum(tibetanScripts),
    /** The key of the template a broadcast's free text goes out as, or null: free text refused. */
    generalNotice: z.nullable(z.string()),
    templates: z.record(nonEmpty(), templateSchema),
  })
  .check(
    z.superRefine((r, ctx) => {
      if (r.generalNotice !== null) {
        const t = r.templates[r.generalNotice];
        if (!t) ctx.addIssue({ code: 'custom', path: ['generalNotice'], message: `no template ${r.generalNotice}` });
        else if (!('text' in t.params))
          ctx.addIssue({
            code: 'custom',
            path: ['generalNotice'],
            message: `the general notice needs a $\{text} parameter`,
          });
      }
      for (const [key, t] of Object.entries(r.templates)) {
        if (r.tibetanScript === 'tibetan' && !t.codes.bo)
          ctx.addIssue({
            code: 'custom',
            path: ['templates', key, 'codes', 'bo'],
            message: 'tibetanScript is tibetan: a bo code is needed',
          });
        if (r.tibetanScript === 'wylie' && !t.codes.wylie)
          ctx.addIssue({
            code: 'custom',
            path: ['templates', key, 'codes', 'wylie'],
            message: 'tibetanScript is wylie: a wylie code is needed',
          });
      }
    }),
  );

export type TemplateRegistry = z.output<typeof templateRegistrySchema>;
export type Template = TemplateRegistry['templates'][string];

/** Parses a registry file's content; a bad one throws naming every problem and where it is. */
export function parseRegistry(name: string, data: unknown): TemplateRegistry {
  const parsed = templateRegistrySchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
  throw new Error(`template registry ${name} is not valid:\n${problems.join('\n')}`);
}

export interface TemplateChoice {
  templateCode: string;
  params: Record<string, string>;
}
export type TemplateRefusal = { refused: 'no_template' | 'free_text' | 'script'; key: string };

export const isRefusal = (c: TemplateChoice | TemplateRefusal): c is TemplateRefusal => 'refused' in c;

/** Tibetan → Wylie (core/text/wylie.ts), for the Wylie form's parameters. */
export type ToWylie = (tibetan: string) => string;

const TIBETAN = /[\u0F00-\u0FFF]/u;
const HAN = /[\u3400-\u9FFF]/u;
/** The signature the composer prefixes (【农牧通】 or [Zhingdrok]): the provider adds its own. */
const SIGNATURE = /^\s*(?:【[^】]*】|\[[^\]]*\])\s*/u;

/**
 * Which form a composed message is in, from its text (the OutboundSms carries no language):
 * Tibetan script is `bo`; Chinese characters outside the signature `zh`; Latin text is English
 * when the first line's English text is in it, else Tibetan in Wylie.
 */
export function formOf(msg: Pick<OutboundSms, 'text' | 'key' | 'params'>): TemplateForm {
  const body = msg.text.replace(SIGNATURE, '');
  if (TIBETAN.test(body)) return 'bo';
  if (HAN.test(body)) return 'zh';
  return body.includes(smsTranslator('en')(msg.key, msg.params)) ? 'en' : 'wylie';
}

const languageOfForm = (form: TemplateForm): Language => (form === 'wylie' ? 'bo' : form);

/** The template's key: a variant (`price.row` with context `old`) has its own registered text. */
const templateKeyOf = (key: string, params: Record<string, string | number>) =>
  typeof params.context === 'string' ? `${key}_${params.context}` : key;

/**
 * The registered template a message goes out as, or why it cannot. Pure.
 *
 * - no template for its key (or for a line after the first): `no_template`;
 * - a broadcast's free text without a general-notice template: `free_text`;
 * - a form the deployment does not send (Tibetan script where the provider takes none, Wylie
 *   without a Wylie code or without `toWylie`): `script`.
 *
 * @example chooseTemplate(registry, msg) // { templateCode: 'SMS_001', params: { region: 'Gyantse' } }
 */
export function chooseTemplate(
  registry: TemplateRegistry,
  msg: OutboundSms,
  toWylie?: ToWylie,
): TemplateChoice | TemplateRefusal {
  const lines = msg.lines ?? [{ key: msg.key, params: msg.params }];
  const [first, ...rest] = lines;
  if (!first) return { refused: 'no_template', key: msg.key };
  const freeText = first.key === FREE_TEXT_KEY;
  const key = freeText ? registry.generalNotice : templateKeyOf(first.key, first.params);
  if (key === null) return { refused: 'free_text', key: first.key };
  const template = registry.templates[key];
  if (!template) return { refused: 'no_template', key };
  for (const line of rest) {
    if (line.key === FREE_TEXT_KEY) return { refused: 'free_text', key: line.key };
    if (!template.more) return { refused: 'no_template', key: `${key}+${line.key}` };
    const lineKey = templateKeyOf(line.key, line.params);
    if (!registry.templates[lineKey]) return { refused: 'no_template', key: lineKey };
  }
  const form = formOf({ text: msg.text, key: first.key, params: first.params });
  const tibetanForm = form === 'bo' || form === 'wylie';
  // Tibetan script only where the provider takes it; Wylie wherever Tibetan goes by this gateway.
  if (form === 'bo' && registry.tibetanScript !== 'tibetan') return { refused: 'script', key };
  if (tibetanForm && (registry.tibetanScript === 'chinese' || registry.tibetanScript === 'alternative-gateway'))
    return { refused: 'script', key };
  const templateCode = template.codes[form];
  if (!templateCode || (form === 'wylie' && !toWylie)) return { refused: 'script', key };
  const render = (s: string) => (form === 'wylie' && toWylie ? wylieText(s, toWylie) : s);
  const params: Record<string, string> = {};
  for (const name of Object.keys(template.params)) {
    const value = freeText && name === 'text' ? first.params.text : first.params[name];
    params[name] = render(String(value ?? ''));
  }
  if (template.more) params[MORE_PARAM] = rest.length === 0 ? '' : moreOf(msg.text, first, form, template, render);
  return { templateCode, params };
}

/**
 * The composed text after the first line (and before the footer): what the reply's other lines
 * became once fitted to the budget (some shortened or dropped), exactly as the composer made them.
 */
function moreOf(
  text: string,
  first: { key: string; params: Record<string, string | number> },
  form: TemplateForm,
  template: Template,
  render: (s: string) => string,
): string {
  const t = smsTranslator(languageOfForm(form));
  let body = text.replace(SIGNATURE, '');
  const footer = render(t('footer.optOut')).trim();
  if (footer && body.trimEnd().endsWith(footer)) body = body.trimEnd().slice(0, -footer.length);
  const head = render(t(first.key, first.params));
  const at = body.indexOf(head);
  const after = at >= 0 ? body.slice(at + head.length) : body;
  // Kept with its leading separator: Chinese lines are joined without a space, the others with one.
  return after.trimEnd().slice(0, template.more);
}
