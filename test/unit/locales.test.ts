import assert from 'node:assert/strict';
import { describe, test, vi } from 'vitest';
import { addNamespace, findTranslation, translatorFor } from '#core/i18n.ts';
import { flatten, PLURAL_SUFFIX, type Tree } from '#local/locale-types.ts';
import { allResources as resources } from '#locales/all.ts';

/** Every dotted key of one namespace with its text. */
const textsOf = (tree: Tree): Map<string, string> => new Map(flatten(tree, ''));

const variables = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();
const nestedKeys = (s: string) => [...s.matchAll(/\$t\(([^(),]+)/g)].map((m) => m[1]!.trim());

/** The text of `ns:dotted.key` as written in one language. */
const textOf = (lang: keyof typeof resources, key: string): string | undefined => {
  const [ns, path] = key.split(':') as [keyof typeof resources.en, string];
  return resources[lang][ns] ? textsOf(resources[lang][ns] as Tree).get(path) : undefined;
};

/** The plural forms each language must write (Intl.PluralRules: en one/other; bo, zh other). */
const pluralForms = (lang: string) => new Intl.PluralRules(lang).resolvedOptions().pluralCategories.map((c) => `_${c}`);

/**
 * i18next reads the parameters of a call as its options too: a variable may not be named like
 * one of them (`count` and `context` are those options, on purpose).
 */
const I18NEXT_OPTIONS = new Set([
  'lng',
  'lngs',
  'fallbackLng',
  'ns',
  'defaultValue',
  'replace',
  'returnObjects',
  'returnDetails',
  'joinArrays',
  'postProcess',
  'interpolation',
  'skipInterpolation',
  'keySeparator',
  'nsSeparator',
  'ordinal',
  'nest',
]);

describe('locales', () => {
  const langs = Object.keys(resources) as Array<keyof typeof resources>;
  const namespaces = Object.keys(resources.en) as Array<keyof typeof resources.en>;

  for (const ns of namespaces) {
    test(`${ns}: every key exists in bo, zh and en with the same interpolation variables (plural forms folded)`, () => {
      const flat = Object.fromEntries(langs.map((l) => [l, textsOf(resources[l][ns] as Tree)]));
      // A key written in plural forms (`fileLine_one`, `fileLine_other`) is one key, `fileLine`.
      const base = (key: string) => key.replace(PLURAL_SUFFIX, '');
      const allKeys = new Set(langs.flatMap((l) => [...flat[l]!.keys()].map(base)));
      const problems: string[] = [];
      for (const key of allKeys) {
        const plural = langs.some((l) => [...flat[l]!.keys()].some((k) => k !== key && base(k) === key));
        const vars = langs.map((l) => {
          const forms = plural ? pluralForms(l).map((suffix) => `${key}${suffix}`) : [key];
          const present = [...flat[l]!.keys()].filter((k) => base(k) === key);
          for (const extra of present.filter((k) => !forms.includes(k)))
            problems.push(`${l}:${ns}:${extra} is not a form ${l} uses (${forms.join(', ')})`);
          const texts = forms.map((form) => {
            const text = flat[l]!.get(form);
            if (text === undefined) problems.push(`${l}:${ns}:${form} missing`);
            else if (text.trim() === '') problems.push(`${l}:${ns}:${form} empty`);
            return JSON.stringify(variables(text ?? ''));
          });
          if (new Set(texts).size > 1) problems.push(`${l}:${ns}:${key} plural forms differ in variables: ${texts}`);
          return texts[0];
        });
        if (new Set(vars).size > 1)
          problems.push(`${ns}:${key} variables differ: ${langs.map((l, i) => `${l}=${vars[i]}`).join(' ')}`);
        if (plural && !vars[0]!.includes('"count"')) problems.push(`${ns}:${key} has plural forms but no {{count}}`);
        for (const v of JSON.parse(vars[0]!) as string[])
          if (I18NEXT_OPTIONS.has(v)) problems.push(`${ns}:${key} variable {{${v}}} is an i18next option name`);
        for (const l of langs) {
          for (const [k, text] of flat[l]!) {
            if (base(k) !== key) continue;
            if ((text.match(/\$t\(/g) ?? []).length !== (text.match(/\$t\([a-z]+:[\w.]+\)/g) ?? []).length)
              problems.push(`${l}:${ns}:${k} nests other than $t(ns:key) (no options: core/i18n.ts reads none)`);
            for (const nested of nestedKeys(text))
              if (textOf(l, nested) === undefined) problems.push(`${l}:${ns}:${k} nests ${nested}, not in ${l}`);
          }
        }
      }
      assert.deepEqual(problems, []);
    });
  }

  test('Tibetan strings are in Tibetan script', () => {
    const web = textsOf(resources.bo.web as Tree);
    const notTibetan = [...web].filter(([k, v]) => k !== 'footer.api' && !/[\u0F00-\u0FFF]/.test(v));
    assert.deepEqual(notTibetan, []);
  });

  test('a count picks the plural form: English one/other ("1 row", "2 rows"); Chinese and Tibetan one form', () => {
    const line = { file: 'a.csv', encoding: 'utf-8' };
    const en = translatorFor('en');
    assert.equal(en('collect:upload.fileLine', { ...line, count: 1 }), 'a.csv · utf-8 · 1 row');
    assert.equal(en('collect:upload.fileLine', { ...line, count: 2 }), 'a.csv · utf-8 · 2 rows');
    assert.equal(en('collect:upload.fileLine', { ...line, count: 0 }), 'a.csv · utf-8 · 0 rows');
    assert.equal(en('web:home.countMarkets', { count: 1 }), '1 market');
    assert.equal(en('web:home.countMarkets', { count: 24 }), '24 markets');
    assert.match(en('collect:upload.errorsTitle', { count: 1 }), /: 1 problem in the file\. Correct it /);
    assert.match(en('collect:upload.errorsTitle', { count: 3 }), /: 3 problems in the file\. Correct them /);
    for (const count of [1, 2]) {
      assert.equal(translatorFor('zh')('collect:upload.fileLine', { ...line, count }), `a.csv · utf-8 · ${count} 行`);
      assert.equal(translatorFor('bo')('collect:upload.fileLine', { ...line, count }), `a.csv · utf-8 · ཕྲེང་ ${count}`);
    }
    // A key without plural forms takes a count as it is.
    assert.match(en('errors:price.hold_others_above_kg', { median: '1.00', factor: 10, count: 1 }), /compared: 1\)/);
  });

  test('locales/keys.ts is what npm run locales:types writes from locales/en', async () => {
    const { readFileSync } = await import('node:fs');
    const { localeKeys, renderLocaleKeys } = await import('#local/locale-types.ts');
    const written = readFileSync(new URL('../../locales/keys.ts', import.meta.url), 'utf8');
    assert.equal(written, renderLocaleKeys(), 'locales/keys.ts is out of date: run npm run locales:types');
    const keys = localeKeys();
    assert.ok(keys.includes('collect:upload.fileLine') && keys.includes('web:nav.home'));
    assert.ok(!keys.some((k) => PLURAL_SUFFIX.test(k)), 'plural forms are folded');
  });

  test('every key the code writes out (`web:nav.home`) is a LocaleKey, i.e. is in locales/en', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { localeKeys } = await import('#local/locale-types.ts');
    const known = new Set(localeKeys());
    const root = new URL('../../', import.meta.url);
    const files = ['functions', 'web'].flatMap((dir) =>
      readdirSync(new URL(dir, root), { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.tsx?$/u.test(f))
        .map((f) => `${dir}/${f}`),
    );
    const literal = new RegExp(`['"\`]((?:${namespaces.join('|')}):[\\w.]+)['"\`]`, 'gu');
    const used = new Set(
      files.flatMap((f) => [...readFileSync(new URL(f, root), 'utf8').matchAll(literal)].map((m) => m[1]!)),
    );
    assert.ok(used.size > 100, `the scan sees the keys (${used.size})`);
    assert.deepEqual(
      [...used].filter((k) => !known.has(k)),
      [],
    );
  });

  test('a string missing in bo falls back to zh, then en, logged once; missing everywhere it is undefined', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      addNamespace('fallbacktest', {
        bo: { both: 'ཡོད' },
        zh: { both: '有', zhOnly: '只有中文 {{n}}', zhEn: '中英' },
        en: { both: 'here', zhOnly: 'only Chinese {{n}}', zhEn: 'both', enOnly: 'English only' },
      });
      const bo = translatorFor('bo');
      assert.equal(bo('fallbacktest:both'), 'ཡོད');
      assert.equal(bo('fallbacktest:zhOnly', { n: 2 }), '只有中文 2');
      assert.equal(bo('fallbacktest:zhOnly', { n: 3 }), '只有中文 3');
      assert.equal(bo('fallbacktest:enOnly'), 'English only');
      assert.equal(translatorFor('zh')('fallbacktest:enOnly'), 'English only');
      assert.equal(warn.mock.calls.length, 3, 'each (language, key) logged once');
      assert.deepEqual(JSON.parse(warn.mock.calls[0]![0] as string), {
        level: 'warn',
        msg: 'translation fallback',
        lang: 'bo',
        key: 'fallbacktest:zhOnly',
        usedLng: 'zh',
      });
      assert.equal(JSON.parse(warn.mock.calls[1]![0] as string).usedLng, 'en');

      assert.equal(findTranslation('bo', 'fallbacktest:nowhere'), undefined);
      assert.equal(bo('fallbacktest:nowhere'), 'fallbacktest:nowhere', 'a page shows the key rather than nothing');
      assert.equal(bo('fallbacktest:nowhere', { defaultValue: 'raw text' }), 'raw text');
      assert.equal(bo('web:nav'), 'web:nav', 'a key naming a group of strings is no string');
      assert.deepEqual(JSON.parse(warn.mock.calls.at(-1)![0] as string), {
        level: 'warn',
        msg: 'translation missing',
        lang: 'bo',
        key: 'web:nav',
      });
    } finally {
      warn.mockRestore();
    }
  });

  test('the translator interpolates without HTML-escaping (escaping is the renderer’s job)', () => {
    assert.equal(translatorFor('en')('errors:not_found.detail', { id: '<b>' }), 'Nothing found with id “<b>”.');
    assert.equal(translatorFor('zh')('web:nav.home'), '首页');
  });
});

test('every Tibetan string passes the orthography checks of tibetan-orthography.md §7; what they cannot decide is in REVIEW.md', async () => {
  const { readFileSync } = await import('node:fs');
  const { checkTibetan, describeFindings } = await import('#core/text/tibetan-orthography.ts');
  const { QUOTED_KEYWORDS, STAFF_EXTRAS, TIBETAN_TEXT_EXTRAS } = await import('#test/support/tibetan.ts');
  const review = readFileSync(new URL('../../locales/REVIEW.md', import.meta.url), 'utf8');
  const errors: string[] = [];
  const undecided: string[] = [];
  let checked = 0;
  for (const [ns, tree] of Object.entries(resources.bo)) {
    for (const [key, text] of textsOf(tree as Tree)) {
      // A placeholder stands for a name or number: a Latin word here (the composed SMS are
      // checked with real worst-case values in test/unit/sms/tibetan-replies.test.ts).
      // A nested phrase stands for its own text, as the SMS composer puts it in.
      const sample = text
        .replace(/\$t\(([^(),]+)\)/gu, (_, nested: string) => textOf('bo', nested.trim()) ?? '')
        .replace(/\{\{\s*[\w.]+\s*\}\}/gu, 'X');
      const findings = checkTibetan(sample, {
        keywords: QUOTED_KEYWORDS,
        allowChars: ns === 'collect' ? STAFF_EXTRAS : TIBETAN_TEXT_EXTRAS,
      });
      checked++;
      const id = `${ns}:${key}`;
      for (const f of findings) {
        if (f.level === 'error') errors.push(`${id} ${JSON.stringify(text)}\n  ${describeFindings([f])}`);
        else if (!review.includes(`\`${id}\``)) undecided.push(`${id}: ${f.message}`);
      }
    }
  }
  assert.ok(checked > 100);
  assert.deepEqual(errors, []);
  assert.deepEqual(undecided, [], 'warnings (R3…) are listed in locales/REVIEW.md with the reason');
});

test('locales/REVIEW.md lists every medium- and low-confidence reference item', async () => {
  const { readFileSync } = await import('node:fs');
  const { referenceSeed } = await import('#core/reference/seed.ts');
  const review = readFileSync(new URL('../../locales/REVIEW.md', import.meta.url), 'utf8');
  const seed = referenceSeed();
  const unsure = [...seed.commodities, ...seed.regions, ...seed.markets, ...seed.units, ...seed.terms].filter(
    (i) => i.confidence !== 'high',
  );
  assert.ok(unsure.length > 20);
  assert.deepEqual(
    unsure.filter((i) => !review.includes(`\`${i.id}\``)).map((i) => i.id),
    [],
  );
});

test('locales/REVIEW.md lists every Tibetan string for native review (npx tsx functions/local/review-strings.ts adds new ones)', async () => {
  const { readFileSync } = await import('node:fs');
  const { unlisted } = await import('#local/review-strings.ts');
  const review = readFileSync(new URL('../../locales/REVIEW.md', import.meta.url), 'utf8');
  assert.deepEqual(
    unlisted(review).map((m) => m.key),
    [],
  );
  assert.equal(unlisted('').length > 100, true, 'the check sees the Tibetan strings');
});
