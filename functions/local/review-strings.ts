/**
 * Lists in locales/REVIEW.md (section 2) every Tibetan string that is not listed yet, with its
 * English source, so no new string escapes the native speaker's review. A developer runs it
 * after adding strings; a unit test fails while any Tibetan key is missing from the list.
 *
 * @example npx tsx functions/local/review-strings.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { allResources as resources } from '#locales/all.ts';
import { flatten, PLURAL_SUFFIX, type Tree } from './locale-types.ts';

/** Tibetan keys (`ns:key`) not named in the review file. */
export function unlisted(review: string): Array<{ key: string; bo: string; en: string }> {
  const en = new Map(Object.entries(resources.en).flatMap(([ns, tree]) => flatten(tree as Tree, `${ns}:`)));
  return (
    Object.entries(resources.bo)
      .flatMap(([ns, tree]) => flatten(tree as Tree, `${ns}:`))
      // A string with plural forms is listed under its key (`upload.fileLine`): Tibetan has one form.
      .map(([key, bo]) => [key.replace(PLURAL_SUFFIX, ''), bo] as const)
      .filter(([key]) => !review.includes(`\`${key}\``))
      .map(([key, bo]) => ({ key, bo, en: en.get(key) ?? en.get(`${key}_other`) ?? '' }))
  );
}

const cell = (text: string) => text.replace(/\|/gu, '\\|').replace(/\n/gu, ' ');

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = new URL('../../locales/REVIEW.md', import.meta.url);
  const review = readFileSync(path, 'utf8');
  const missing = unlisted(review);
  const rows = missing.map((m) => `| \`${m.key}\` | ${cell(m.bo)} | ${cell(m.en)} |`).join('\n');
  if (rows) writeFileSync(path, `${review.replace(/\n*$/u, '\n')}${rows}\n`);
  console.log(`${missing.length} string(s) added to locales/REVIEW.md`);
}
