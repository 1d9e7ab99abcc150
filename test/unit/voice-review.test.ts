/**
 * The Tibetan number table in locales/REVIEW.md is what the line speaks: it is generated from the
 * speech functions, and goes stale the moment a rule changes unless regenerated.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { END, renderVoiceNumberSection, START, withSection } from '#local/voice-number-table.ts';

const review = readFileSync(new URL('../../locales/REVIEW.md', import.meta.url), 'utf8');

describe('locales/REVIEW.md: Voice: Tibetan spoken numbers', () => {
  test('is current (npx tsx functions/local/voice-number-table.ts rewrites it)', () => {
    const section = renderVoiceNumberSection();
    expect(review).toContain(section);
    expect(withSection(review)).toBe(review);
  });

  test('shows the rules a reviewer must check, in Tibetan script and with no unspoken clip', () => {
    const section = review.slice(review.indexOf(START), review.indexOf(END));
    for (const row of ['| 15 | བཅོ་ལྔ | 十五 |', '| 21 | ཉི་ཤུ་རྩ་གཅིག | 二十一 |', '| 245 | ཉིས་བརྒྱ་དང་བཞི་བཅུ་ཞེ་ལྔ |']) {
      expect(section).toContain(row);
    }
    expect(section).toContain('| 12.35 | སྒོར་མོ་བཅུ་གཉིས་ཞོ་གསུམ་སྐར་མ་ལྔ | 十二元三角五分 |');
    expect(section, 'every clip has a text').not.toMatch(/\[(num|say|unit)\./u);
    // It stands before section 2, whose rows review-strings.ts appends at the end of the file.
    expect(review.indexOf(END)).toBeLessThan(review.indexOf('## 2. UI strings'));
  });

  test('a file without the section gets it before section 2; a stale one is replaced', () => {
    const bare = '# Review\n\n## 2. UI strings\n\n| a | b |\n';
    const once = withSection(bare);
    expect(once.indexOf(START)).toBeLessThan(once.indexOf('## 2. UI strings'));
    expect(withSection(once)).toBe(once);
    const stale = once.replace('ཉི་ཤུ་རྩ་གཅིག', 'ཉི་ཤུ་གཅིག');
    expect(withSection(stale)).toBe(once);
  });
});
