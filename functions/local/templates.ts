/**
 * `npm run templates [-- --deployment default]`: the templates a template-only SMS provider
 * must have registered for a deployment — per template and form (bo, wylie, zh, en) its code,
 * its text with `${param}` placeholders and its length in segments at the parameters' maximum,
 * under the signature — and exits 1 naming every sendable key without a template and every
 * registered text the locales have changed since (docs/sms-templates.md).
 *
 *   --deployment <name>  a registry of templates/index.ts (default: SMS_TEMPLATES, else default)
 *   --file <path>        a registry file not (yet) in the import map, e.g. a draft
 *   --draft              prints a registry drafted from the locales (every sendable key) instead
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SENDABLE_SMS_KEYS } from '#core/sms/sendable-keys.ts';
import { localeTemplate, templateReport } from '#core/sms/template-report.ts';
import { MORE_PARAM, parseRegistry, type TemplateRegistry } from '#core/sms/templates.ts';
import { toWylie } from '#core/text/wylie.ts';
import { registries } from '../../templates/index.ts';

/** Longest value expected per parameter name, for drafts (a deployment states its own). */
const DRAFT_MAX: Record<string, number> = {
  code: 8,
  codes: 60,
  minutes: 3,
  hours: 3,
  limit: 3,
  count: 3,
  n: 2,
  max: 4,
  price: 8,
  date: 10,
  unit: 6,
  commodity: 12,
  market: 16,
  region: 16,
  place: 16,
  text: 70,
  suggestions: 40,
  topic: 20,
  reason: 40,
  expires: 10,
  phone: 16,
  name: 16,
  from: 8,
  to: 16,
  keyword: 10,
  summary: 120,
  list: 40,
  quantity: 8,
  mark: 1,
  change: 8,
};
/** Single-line messages in drafts: a sign-in code (a verification template) and broadcasts. */
const DRAFT_ALONE = new Set(['auth.code', 'broadcast.text', 'notice.weather', 'notice.disease', 'voice.help']);
// Alerts and digests carry the opt-out footer: a digest starts with `digest.item` (core/alerts/digest.ts).
const DRAFT_FOOTER = new Set(['broadcast.text', 'notice.weather', 'notice.disease', 'digest.item', 'digest.itemShort']);

export function draftRegistry(): TemplateRegistry {
  const templates: TemplateRegistry['templates'] = {};
  SENDABLE_SMS_KEYS.forEach((key, i) => {
    const more = DRAFT_ALONE.has(key) ? undefined : 140;
    const footer = DRAFT_FOOTER.has(key);
    const text = { bo: '', zh: '', en: '' };
    for (const lang of ['bo', 'zh', 'en'] as const) {
      const base = localeTemplate(lang, key) ?? '';
      text[lang] =
        `${base}${more ? `\${${MORE_PARAM}}` : ''}${footer ? (localeTemplate(lang, 'footer.optOut') ?? '') : ''}`;
    }
    const names = [...new Set([...text.en.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] ?? ''))].filter(
      (n) => n !== MORE_PARAM,
    );
    const n = String(i + 1).padStart(3, '0');
    templates[key] = {
      codes: { bo: `SMS_BO_${n}`, wylie: `SMS_WY_${n}`, zh: `SMS_ZH_${n}`, en: `SMS_EN_${n}` },
      params: Object.fromEntries(names.map((name) => [name, DRAFT_MAX[name] ?? 20])),
      ...(more ? { more } : {}),
      footer,
      text,
    };
  });
  return {
    deployment: 'draft',
    signName: '农牧通',
    tibetanScript: 'tibetan',
    generalNotice: 'broadcast.text',
    templates,
  };
}

function main(): number {
  const { values } = parseArgs({
    options: { deployment: { type: 'string' }, file: { type: 'string' }, draft: { type: 'boolean' } },
  });
  if (values.draft) {
    process.stdout.write(`${JSON.stringify(draftRegistry(), null, 2)}\n`);
    return 0;
  }
  let registry: TemplateRegistry;
  try {
    if (values.file) registry = parseRegistry(values.file, JSON.parse(readFileSync(values.file, 'utf8')));
    else {
      const name = values.deployment ?? process.env.SMS_TEMPLATES ?? 'default';
      const found = registries[name];
      if (!found)
        throw new Error(
          `no template registry "${name}" (templates/index.ts has: ${Object.keys(registries).join(', ')})`,
        );
      registry = found;
    }
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  const report = templateReport(registry, toWylie);
  const out: string[] = [
    `deployment ${registry.deployment}: signature 【${registry.signName}】, Tibetan sent as ${registry.tibetanScript}, ` +
      `broadcast free text ${registry.generalNotice ? `through ${registry.generalNotice}` : 'refused (no general notice template)'}`,
    '',
  ];
  for (const row of report.rows)
    out.push(
      `${row.key}\t${row.form}\t${row.code}\t${row.segments} segment${row.segments === 1 ? '' : 's'}\t${row.text}`,
    );
  process.stdout.write(`${out.join('\n')}\n`);
  for (const d of report.drifted)
    process.stderr.write(
      `changed in the locales: ${d.key} (${d.lang})\n  registered: ${d.registered}\n  now:        ${d.expected}\n`,
    );
  if (report.missing.length > 0)
    process.stderr.write(`no template for ${report.missing.length} sendable key(s): ${report.missing.join(', ')}\n`);
  return report.missing.length > 0 || report.drifted.length > 0 ? 1 : 0;
}

process.exitCode = main();
