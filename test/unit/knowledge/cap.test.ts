/**
 * CAP 1.2 output of published alerts, validated against the CAP 1.2 schema with xmllint
 * (WebAssembly): a bo + zh alert over a county and a prefecture, an urgent one published in its
 * main language only, a correction (an Update referencing the earlier publication), and the
 * negative cases that prove the validation can fail.
 */

import { describe, expect, test } from 'vitest';
import { type CapContext, capTime, capXml, escapeXml } from '#core/knowledge/cap.ts';
import type { PublicItem } from '#core/knowledge/item.ts';
import type { Region } from '#core/reference/schemas.ts';
import seed from '#core/reference/seed-data.json' with { type: 'json' };
import { validateCap, wellFormed } from '#test/support/cap.ts';

const regions = new Map((seed.regions as Region[]).map((r) => [r.id, r]));
const ctx: CapContext = {
  sender: 'zhingdrok.example.org',
  pageUrl: 'https://zhingdrok.example.org/alerts/a00000000001',
  regions,
};

const alert = (over: Partial<PublicItem> = {}, fields: Record<string, unknown> = {}): PublicItem => ({
  id: 'a00000000001',
  kind: 'alert',
  version: 3,
  publishedAt: '2026-06-01T02:30:00.000Z',
  attachments: [],
  content: {
    regions: ['cty_shigatse_gyantse', 'pref_lhasa'],
    fields: {
      kind: 'alert',
      alertKind: 'weather',
      severity: 'severe',
      onset: '2026-06-01T12:00:00.000Z',
      expires: '2026-06-02T12:00:00.000Z',
      urgent: false,
      mainLanguage: 'bo',
      ...fields,
    } as PublicItem['content']['fields'],
    versions: {
      bo: { title: 'སད།', body: 'སང་ཉིན་སད་འབབ།', summary: 'སད།', instruction: 'ནས་ལ་རས་གཡོགས།' },
      zh: { title: '霜冻预警', body: '明天夜间有霜冻 <零下5℃> & 大风。', summary: '霜冻', instruction: '请覆盖青稞。' },
    },
  },
  ...over,
});

/** Every `<tag>…</tag>` text in document order. */
const all = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);

describe('capXml', () => {
  test('a bo + zh alert is valid CAP 1.2: one <info> per language, areas with their GB/T 2260 codes', async () => {
    const xml = capXml(alert(), ctx);
    const result = await validateCap(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(all(xml, 'identifier')).toEqual(['a00000000001-v3']);
    expect(all(xml, 'sent')).toEqual(['2026-06-01T10:30:00+08:00']);
    expect(all(xml, 'msgType')).toEqual(['Alert']);
    expect(xml).not.toContain('<references>');
    expect(all(xml, 'language')).toEqual(['bo', 'zh-CN']);
    expect(all(xml, 'category')).toEqual(['Met', 'Met']);
    expect(all(xml, 'event')).toEqual(['གནམ་གཤིས།', '天气']);
    expect(all(xml, 'urgency')).toEqual(['Expected', 'Expected']);
    expect(all(xml, 'severity')).toEqual(['Severe', 'Severe']);
    expect(all(xml, 'onset')).toEqual(['2026-06-01T20:00:00+08:00', '2026-06-01T20:00:00+08:00']);
    expect(all(xml, 'headline')).toEqual(['སད།', '霜冻预警']);
    // Areas in each info's language: Gyantse (540222) and Lhasa (540100).
    expect(all(xml, 'areaDesc')).toEqual([
      regions.get('cty_shigatse_gyantse')!.names.bo,
      regions.get('pref_lhasa')!.names.bo,
      regions.get('cty_shigatse_gyantse')!.names.zh,
      regions.get('pref_lhasa')!.names.zh,
    ]);
    expect(all(xml, 'valueName')).toEqual(Array(4).fill('GB/T 2260'));
    expect(all(xml, 'value')).toEqual([
      regions.get('cty_shigatse_gyantse')!.gbcode,
      '540100',
      regions.get('cty_shigatse_gyantse')!.gbcode,
      '540100',
    ]);
    // Escaped, and the schema still reads it back as the text.
    expect(xml).toContain('明天夜间有霜冻 &lt;零下5℃&gt; &amp; 大风。');
    expect(all(xml, 'web')).toEqual([`${ctx.pageUrl}?lang=bo`, `${ctx.pageUrl}?lang=zh`]);
  });

  test('an urgent alert published in its main language only: one <info>, Immediate; everywhere is the TAR (540000)', async () => {
    const item = alert(
      {
        version: 1,
        follows: ['zh'],
        content: {
          ...alert().content,
          regions: ['*', 'town_ngari_shiquanhe'],
          fields: { ...alert().content.fields, urgent: true, alertKind: 'disease', severity: 'extreme' } as never,
          versions: { bo: alert().content.versions.bo! },
        },
      },
      {},
    );
    const xml = capXml(item, ctx);
    expect((await validateCap(xml)).valid).toBe(true);
    expect(all(xml, 'language')).toEqual(['bo']);
    expect(all(xml, 'urgency')).toEqual(['Immediate']);
    expect(all(xml, 'severity')).toEqual(['Extreme']);
    expect(all(xml, 'category')).toEqual(['Health']);
    // The town has no GB/T 2260 code: an areaDesc alone.
    expect(xml).toMatch(
      /<area><areaDesc>བོད་ལྗོངས།<\/areaDesc><geocode><valueName>GB\/T 2260<\/valueName><value>540000<\/value><\/geocode><\/area><area><areaDesc>[^<]+<\/areaDesc><\/area>/,
    );
  });

  test('a correction is an Update referencing the publication it replaces; en gets its own info', async () => {
    const base = alert();
    const item = alert({
      version: 5,
      publishedAt: '2026-06-01T04:00:00.000Z',
      attachments: [{ id: 'f0000000001', name: 'map.png', type: 'image/png', bytes: 2048, key: 'attachments/a/f.png' }],
      content: {
        ...base.content,
        fields: { ...base.content.fields, alertKind: 'pest' } as never,
        versions: {
          ...base.content.versions,
          en: { title: 'Frost', body: 'Frost tonight.', summary: 'Frost' },
        },
      },
    });
    const xml = capXml(item, {
      ...ctx,
      previous: { version: 3, publishedAt: base.publishedAt },
      fileUrl: (key) => `https://files.example.org/${key}`,
    });
    const result = await validateCap(xml);
    expect(result.errors).toEqual([]);
    expect(all(xml, 'identifier')).toEqual(['a00000000001-v5']);
    expect(all(xml, 'msgType')).toEqual(['Update']);
    expect(all(xml, 'references')).toEqual(['zhingdrok.example.org,a00000000001-v3,2026-06-01T10:30:00+08:00']);
    expect(all(xml, 'language')).toEqual(['bo', 'zh-CN', 'en-US']);
    expect(all(xml, 'category')).toEqual(['Env', 'Env', 'Env']);
    expect(all(xml, 'uri')).toEqual(Array(3).fill('https://files.example.org/attachments/a/f.png'));
    // en has no instruction: the element is left out, not empty.
    expect(all(xml, 'instruction')).toHaveLength(2);
  });

  test('the schema refuses a broken document: the validation can fail', async () => {
    const good = capXml(alert(), ctx);
    const broken = [
      good.replace('<status>Actual</status>', '<status>Real</status>'),
      good.replace('+08:00</sent>', 'Z</sent>'),
      good.replace(/<scope>Public<\/scope>/, ''),
      good.replace('<severity>Severe</severity>', '<severity>severe</severity>'),
      // Out of order: event before category.
      good.replace(/(<category>Met<\/category>)(<event>[^<]*<\/event>)/, '$2$1'),
      good.replace('<identifier>a00000000001-v3</identifier>', '<identifier>a 1</identifier>'),
      good.replace('xmlns="urn:oasis:names:tc:emergency:cap:1.2"', 'xmlns="urn:oasis:names:tc:emergency:cap:1.1"'),
    ];
    for (const xml of broken) {
      expect(xml).not.toBe(good);
      const result = await validateCap(xml);
      expect(result.valid, xml.slice(0, 200)).toBe(false);
      expect(result.errors.length).toBeGreaterThan(0);
    }
    expect((await wellFormed(good.replace('</alert>', ''))).valid).toBe(false);
  });

  test('escapeXml escapes markup and drops what XML 1.0 cannot carry', async () => {
    expect(escapeXml(`a<b>&"c'\u0000\u0007d\uFFFE`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;d');
    expect(escapeXml('ཞིང་འབྲོག 农牧通 🐂')).toBe('ཞིང་འབྲོག 农牧通 🐂');
    const item = alert();
    item.content.versions.zh!.body = 'bad \u0001 byte ]]> <script>';
    const xml = capXml(item, ctx);
    expect((await validateCap(xml)).valid).toBe(true);
    expect(xml).not.toContain('<script>');
  });

  test('capTime: Asia/Shanghai with its offset, seconds only', () => {
    expect(capTime('2026-12-31T16:00:00.123Z')).toBe('2027-01-01T00:00:00+08:00');
  });

  test('only alerts have a CAP form', () => {
    const guide = { ...alert(), content: { ...alert().content, fields: { kind: 'bulletin', date: '2026-06-01' } } };
    expect(() => capXml(guide as PublicItem, ctx)).toThrow(/not an alert/);
  });
});
