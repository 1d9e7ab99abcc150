import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { translatorFor } from '#core/i18n.ts';
import { allResources as resources } from '#locales/all.ts';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const variables = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  const langs = Object.keys(resources) as Array<keyof typeof resources>;
  const namespaces = Object.keys(resources.en) as Array<keyof typeof resources.en>;

  for (const ns of namespaces) {
    test(`${ns}: every key exists in bo, zh and en with the same interpolation variables`, () => {
      const flat = Object.fromEntries(langs.map((l) => [l, flatten(resources[l][ns] as Tree)]));
      const allKeys = new Set(langs.flatMap((l) => [...flat[l]!.keys()]));
      const problems: string[] = [];
      for (const key of allKeys) {
        const vars = langs.map((l) => {
          const text = flat[l]!.get(key);
          if (text === undefined) problems.push(`${l}:${ns}:${key} missing`);
          else if (text.trim() === '') problems.push(`${l}:${ns}:${key} empty`);
          return JSON.stringify(variables(text ?? ''));
        });
        if (new Set(vars).size > 1)
          problems.push(`${ns}:${key} variables differ: ${langs.map((l, i) => `${l}=${vars[i]}`).join(' ')}`);
      }
      assert.deepEqual(problems, []);
    });
  }

  test('Tibetan strings are in Tibetan script', () => {
    const web = flatten(resources.bo.web as Tree);
    const notTibetan = [...web].filter(([k, v]) => k !== 'footer.api' && !/[\u0F00-\u0FFF]/.test(v));
    assert.deepEqual(notTibetan, []);
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
    for (const [key, text] of flatten(tree as Tree)) {
      // A placeholder stands for a name or number: a Latin word here (the composed SMS are
      // checked with real worst-case values in test/unit/sms/tibetan-replies.test.ts).
      const sample = text.replace(/\{\{\s*[\w.]+\s*\}\}/gu, 'X');
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
