// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${param} is the providers' placeholder syntax these tests read and write
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Language } from '#core/reference/schemas.ts';
import { composeSms } from '#core/sms/compose-sms.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { SENDABLE_SMS_KEYS, SMS_FRAGMENT_KEYS } from '#core/sms/sendable-keys.ts';
import { chooseTemplate, parseRegistry, type TemplateRegistry } from '#core/sms/templates.ts';
import { toWylie } from '#core/text/wylie.ts';
import { registries } from '../../../templates/index.ts';

const registry = registries.default as TemplateRegistry;
const signature = { signature: '【农牧通】', gsmSignature: '[Zhingdrok]' };
type Line = { key: string; params: Record<string, string | number> };

/** An SMS as the messenger makes it (composeSms, then key, params and lines). */
function sms(lang: Language, lines: Line[], opts: { wylie?: boolean; footer?: boolean } = {}): OutboundSms {
  const fitted = composeSms(
    { lang, script: opts.wylie ? 'wylie' : 'tibetan', lines, footer: opts.footer ?? false, maxSegments: 4 },
    signature,
    toWylie,
  );
  const first = lines[0] as Line;
  return {
    id: 'm1',
    to: '+8613800000000',
    text: fitted.text,
    encoding: fitted.encoding,
    segments: fitted.segments,
    key: first.key,
    params: first.params,
    lines,
    essential: true,
    createdAt: '2025-05-01T00:00:00.000Z',
  };
}

const withScript = (tibetanScript: TemplateRegistry['tibetanScript'], codes?: object): TemplateRegistry => ({
  ...registry,
  tibetanScript,
  templates: Object.fromEntries(
    Object.entries(registry.templates).map(([k, t]) => [k, { ...t, codes: { ...t.codes, ...codes } }]),
  ),
});

describe('the registry file', () => {
  const good = JSON.parse(readFileSync('templates/default.json', 'utf8'));
  const entry = good.templates['join.ok'];

  it('takes the default registry', () => {
    expect(parseRegistry('default', good).templates['join.ok']?.codes.zh).toBe(entry.codes.zh);
  });

  it.each([
    ['an unknown Tibetan choice', { ...good, tibetanScript: 'latin' }, 'tibetanScript'],
    ['a general notice that is not registered', { ...good, generalNotice: 'nope' }, 'generalNotice: no template nope'],
    ['a general notice without ${text}', { ...good, generalNotice: 'join.ok' }, 'needs a ${text} parameter'],
    [
      'a placeholder not declared',
      { ...good, templates: { 'join.ok': { ...entry, params: {} } } },
      'templates.join.ok.text.bo: ${region} is not a declared parameter',
    ],
    [
      'a declared parameter missing from a text',
      { ...good, templates: { 'join.ok': { ...entry, text: { ...entry.text, en: 'Registered. ${more}' } } } },
      'templates.join.ok.text.en: the parameter region is missing from the text',
    ],
    [
      'i18next placeholders',
      { ...good, templates: { 'join.ok': { ...entry, text: { ...entry.text, zh: '{{region}} ${region} ${more}' } } } },
      'not {{name}}',
    ],
    [
      'a Tibetan-script deployment without a bo code',
      { ...good, templates: { 'join.ok': { ...entry, codes: { zh: 'A', en: 'B' } } } },
      'templates.join.ok.codes.bo: tibetanScript is tibetan',
    ],
    [
      'a parameter without its maximum',
      { ...good, templates: { 'join.ok': { ...entry, params: { region: 0 } } } },
      'params.region',
    ],
    ['an unknown field', { ...good, signature: 'x' }, 'signature'],
  ])('refuses %s, saying where', (_, data, message) => {
    expect(() => parseRegistry('bad.json', data)).toThrow(message);
    expect(() => parseRegistry('bad.json', data)).toThrow('template registry bad.json is not valid');
  });
});

describe('chooseTemplate', () => {
  const code = (key: string, form: 'bo' | 'wylie' | 'zh' | 'en') => registry.templates[key]?.codes[form];

  it('a one-line reply: its key, its parameters, an empty ${more}', () => {
    const msg = sms('en', [{ key: 'join.ok', params: { region: 'Gyantse' } }]);
    expect(chooseTemplate(registry, msg)).toEqual({
      templateCode: code('join.ok', 'en'),
      params: { region: 'Gyantse', more: '' },
    });
  });

  it('a reply of several lines: the first key’s template, the other lines as composed in ${more}', () => {
    const lines: Line[] = [
      { key: 'price.head', params: { commodity: '青稞' } },
      { key: 'price.row', params: { market: '拉萨', price: '4.50', unit: '斤', date: '5月1日' } },
      { key: 'price.row', params: { market: '日喀则', price: '4.20', unit: '斤', date: '4月30日', context: 'old' } },
    ];
    const msg = sms('zh', lines);
    const choice = chooseTemplate(registry, msg);
    expect(choice).toMatchObject({ templateCode: code('price.head', 'zh'), params: { commodity: '青稞' } });
    const more = (choice as { params: Record<string, string> }).params.more;
    // what the provider sends is what was composed: the template filled in, behind the signature
    const filled = (registry.templates['price.head']?.text.zh ?? '')
      .replace('${commodity}', '青稞')
      .replace('${more}', more ?? '');
    expect(msg.text).toBe(`【农牧通】${filled}`);
    expect(more).toContain('日喀则');
  });

  it('a line after the first needs a template of its own, and a template that takes more lines', () => {
    const lines: Line[] = [
      { key: 'price.head', params: { commodity: 'Barley' } },
      { key: 'price.row', params: { market: 'Lhasa', price: '4.50', unit: 'jin', date: 'May 1' } },
    ];
    const { 'price.row': _, ...withoutRow } = registry.templates;
    expect(chooseTemplate({ ...registry, templates: withoutRow }, sms('en', lines))).toEqual({
      refused: 'no_template',
      key: 'price.row',
    });
    const head = registry.templates['price.head'];
    const single = { ...registry, templates: { ...registry.templates, 'price.head': { ...head, more: undefined } } };
    expect(chooseTemplate(single as TemplateRegistry, sms('en', lines))).toMatchObject({ refused: 'no_template' });
  });

  it('an alert as a broadcast template, its footer part of the template', () => {
    const msg = sms('en', [{ key: 'notice.weather', params: { region: 'Gyantse', text: 'Hail tonight.' } }], {
      footer: true,
    });
    expect(chooseTemplate(registry, msg)).toEqual({
      templateCode: code('notice.weather', 'en'),
      params: { region: 'Gyantse', text: 'Hail tonight.' },
    });
  });

  it('a digest: its first item’s template, the other items in ${more}', () => {
    const item = (commodity: string) => ({
      key: 'digest.item',
      params: { commodity, market: 'Lhasa', price: '4.50', unit: 'jin', change: ' +0.10', date: 'May 1' },
    });
    const choice = chooseTemplate(registry, sms('en', [item('Barley'), item('Butter')], { footer: true }));
    expect(choice).toMatchObject({ templateCode: code('digest.item', 'en'), params: { commodity: 'Barley' } });
    expect((choice as { params: Record<string, string> }).params.more).toMatch(/^ Butter: Lhasa 4.50 yuan\/jin \+0.10/);
    // the template ends with the opt-out footer the composer appended
    expect(registry.templates['digest.item']?.text.en).toMatch(/\$\{more\} Reply TD to stop$/);
  });

  it('a sign-in code', () => {
    const msg = sms('zh', [{ key: 'auth.code', params: { code: '482913', minutes: 10 } }]);
    expect(chooseTemplate(registry, msg)).toEqual({
      templateCode: code('auth.code', 'zh'),
      params: { code: '482913', minutes: '10' },
    });
  });

  it('a broadcast’s free text goes through the general notice template, or is refused where there is none', () => {
    const msg = sms('zh', [{ key: 'broadcast.text', params: { text: '明天有冰雹。' } }], { footer: true });
    expect(chooseTemplate(registry, msg)).toEqual({
      templateCode: code('broadcast.text', 'zh'),
      params: { text: '明天有冰雹。' },
    });
    expect(chooseTemplate({ ...registry, generalNotice: null }, msg)).toEqual({
      refused: 'free_text',
      key: 'broadcast.text',
    });
  });

  describe('Tibetan', () => {
    const bo = sms('bo', [{ key: 'join.ok', params: { region: 'རྒྱལ་རྩེ' } }]);
    const wylie = sms('bo', [{ key: 'join.ok', params: { region: 'རྒྱལ་རྩེ' } }], { wylie: true });

    it('in Tibetan script where the deployment registers it', () => {
      expect(chooseTemplate(registry, bo)).toEqual({
        templateCode: code('join.ok', 'bo'),
        params: { region: 'རྒྱལ་རྩེ', more: '' },
      });
    });

    it('in Wylie for Wylie readers, the parameters transliterated', () => {
      expect(chooseTemplate(withScript('wylie'), wylie, toWylie)).toEqual({
        templateCode: code('join.ok', 'wylie'),
        params: { region: 'rgyal rtse', more: '' },
      });
      expect(chooseTemplate(withScript('wylie'), wylie)).toEqual({ refused: 'script', key: 'join.ok' });
    });

    it.each(['wylie', 'chinese', 'alternative-gateway'] as const)(
      'Tibetan script is refused (never sent) where Tibetan goes as %s',
      (choice) => {
        expect(chooseTemplate(withScript(choice), bo, toWylie)).toEqual({ refused: 'script', key: 'join.ok' });
      },
    );

    it.each(['chinese', 'alternative-gateway'] as const)('Wylie is refused where Tibetan goes as %s', (choice) => {
      expect(chooseTemplate(withScript(choice), wylie, toWylie)).toEqual({ refused: 'script', key: 'join.ok' });
    });

    it('Chinese still goes where Tibetan does not', () => {
      const zh = sms('zh', [{ key: 'join.ok', params: { region: '江孜' } }]);
      expect(chooseTemplate(withScript('chinese', { bo: undefined }), zh)).toMatchObject({
        templateCode: code('join.ok', 'zh'),
      });
    });
  });

  it('a key without a template', () => {
    const { 'join.ok': _, ...rest } = registry.templates;
    const msg = sms('en', [{ key: 'join.ok', params: { region: 'Gyantse' } }]);
    expect(chooseTemplate({ ...registry, templates: rest }, msg)).toEqual({ refused: 'no_template', key: 'join.ok' });
  });
});

describe('the sendable keys', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
    });
  const smsKeyShape = /^(?:[a-z]+)(?:\.[A-Za-z_]+)+$/;
  const sent = new Set(
    sources('functions/core').flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bkey: '([^':]+)'/g)].map((m) => m[1] ?? ''),
    ),
  );

  it('every key the code sends as a line is in the list, none of the fragments', () => {
    const smsKeys = [...sent].filter((k) => smsKeyShape.test(k) && !k.startsWith('input.'));
    expect(smsKeys.length).toBeGreaterThan(50);
    for (const key of smsKeys) {
      expect(SMS_FRAGMENT_KEYS, key).not.toContain(key);
      expect(SENDABLE_SMS_KEYS, key).toContain(key);
    }
  });

  it('the default registry has a template for each', () => {
    for (const key of SENDABLE_SMS_KEYS) expect(registry.templates[key], key).toBeDefined();
  });
});
