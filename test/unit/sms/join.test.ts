/**
 * JOIN <county> on the real reference data: every name and alias of every region, in every
 * script, reads as that region; a county named like the prefecture it lies in is the county;
 * a kind-of-place word the glossary does not list ("Metok County") is tried off.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { Region } from '#core/reference/schemas.ts';
import { referenceSeed } from '#core/reference/seed.ts';
import { readJoin } from '#core/sms/commands/join.ts';
import { parseSms } from '#core/sms/parser.ts';
import { createMatcher } from '#core/text/matcher.ts';
import { tokenise } from '#core/text/normalise.ts';

const { commodities, regions, markets, terms } = referenceSeed();
const matcher = createMatcher({ commodities, regions, markets, terms });
const keyword = { zh: '注册', en: 'JOIN', bo: 'ཐོ་འགོད', wylie: "tho 'god" } as const;

/** Every way the glossary names a region, with the script it is written in. */
function namesOf(r: Region): Array<[keyof typeof keyword, string]> {
  const forms = ['zh', 'en', 'bo', 'wylie'] as const;
  return [
    ['zh', r.names.zh],
    ['en', r.names.en],
    ['bo', r.names.bo],
    ['wylie', r.wylie],
    ...forms.flatMap((form) => r.aliases[form].map((a): [keyof typeof keyword, string] => [form, a])),
  ];
}

describe('JOIN on every region of the seed', () => {
  test('all 74 counties, by every name and alias in Chinese, English, Tibetan and Wylie', () => {
    const counties = regions.filter((r) => r.level === 'county');
    assert.equal(counties.length, 74);
    const wrong: string[] = [];
    let tried = 0;
    for (const r of regions) {
      for (const [form, name] of namesOf(r)) {
        // "Ali" is both Ngari and its town Shiquanhe, which is not in Ngari directly (it is in Gar): asked.
        if (name === 'Ali') continue;
        const text = `${keyword[form]} ${name}`;
        const parsed = parseSms(text, matcher);
        tried++;
        if (!parsed.ok || parsed.command.intent !== 'join' || parsed.command.regionId !== r.id)
          wrong.push(`${text} → ${JSON.stringify(parsed)}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(tried > 800, `${tried} names`);
  });

  test('the counties once missing from the catalog', () => {
    const cases: Array<[string, string]> = [
      ['注册 墨竹工卡', 'cty_lhasa_maizhokunggar'],
      ['注册 尼木', 'cty_lhasa_nyemo'],
      ['注册 当雄', 'cty_lhasa_damxung'],
      ['注册 日土', 'cty_ngari_rutog'],
      ['JOIN Nyemo', 'cty_lhasa_nyemo'],
      ['ཐོ་འགོད སྙེ་མོ', 'cty_lhasa_nyemo'],
      ["tho 'god mal gro gung dkar", 'cty_lhasa_maizhokunggar'],
    ];
    for (const [text, id] of cases)
      assert.deepEqual(
        parseSms(text, matcher),
        { ok: true, command: { intent: 'join', regionId: id }, ...languageOf(text) },
        text,
      );
  });

  test('a kind-of-place word the glossary does not list is tried off: Metok County, Shigatse City, 江孜市', () => {
    const join = (text: string) => readJoin(tokenise(text), matcher);
    assert.deepEqual(join('Metok County'), { ok: true, command: { intent: 'join', regionId: 'cty_nyingchi_medog' } });
    assert.deepEqual(join('Shigatse City'), { ok: true, command: { intent: 'join', regionId: 'pref_shigatse' } });
    assert.deepEqual(join('江孜市'), { ok: true, command: { intent: 'join', regionId: 'cty_shigatse_gyantse' } });
    const typo = join('Metk County');
    assert.ok(
      !typo.ok && typo.problem === 'unknown_argument' && typo.suggestions?.[0] === 'cty_nyingchi_medog',
      JSON.stringify(typo),
    );
    const alone = join('County');
    assert.ok(!alone.ok && alone.problem === 'unknown_argument', 'a place word alone names nothing');
  });

  test('a prefecture’s own name is the prefecture, not a county whose alias only starts with it', () => {
    // "Shigatse town" is an alias of Samzhubzê; "Shigatse" is the city (prefecture level).
    assert.deepEqual(readJoin(['Shigatse'], matcher), {
      ok: true,
      command: { intent: 'join', regionId: 'pref_shigatse' },
    });
    assert.deepEqual(readJoin(['日喀则市区'].flatMap(tokenise), matcher), {
      ok: true,
      command: { intent: 'join', regionId: 'cty_shigatse_samzhubze' },
    });
    assert.deepEqual(readJoin(tokenise('那曲县'), matcher), {
      ok: true,
      command: { intent: 'join', regionId: 'cty_nagqu_seni' },
    });
  });
});

describe('JOIN: one name, several regions', () => {
  const region = (id: string, parentId: string | null, zh: string, aliases: string[]): Region => ({
    id,
    names: { bo: '', zh, en: '' },
    wylie: '',
    aliases: { bo: [], zh: aliases, en: [], wylie: [] },
    confidence: 'high',
    source: 'test',
    level: parentId ? 'county' : 'prefecture',
    parentId,
  });
  const listed = [
    region('pref_a', null, '甲市', ['甲']),
    region('cty_a_a', 'pref_a', '甲县', ['甲']), // a county named like its city
    region('cty_a_b', 'pref_a', '乙县', ['丙']),
    region('pref_c', null, '丁市', []),
    region('cty_c_b', 'pref_c', '戊县', ['丙']), // another prefecture's county with the same alias
  ];
  const m = createMatcher({ regions: listed });

  test('a county and the prefecture it lies in: the county', () => {
    assert.deepEqual(readJoin(['甲'], m), { ok: true, command: { intent: 'join', regionId: 'cty_a_a' } });
  });

  test('unrelated regions: asked which, nothing chosen', () => {
    const r = readJoin(['丙'], m);
    assert.ok(!r.ok && r.problem === 'ambiguous');
    assert.deepEqual([...r.suggestions!].sort(), ['cty_a_b', 'cty_c_b']);
  });

  test('Ngari and its town Shiquanhe (not directly in it) share "Ali": asked', () => {
    const r = readJoin(['Ali'], matcher);
    assert.ok(!r.ok && r.problem === 'ambiguous');
    assert.deepEqual([...r.suggestions!].sort(), ['pref_ngari', 'town_ngari_shiquanhe']);
  });
});

function languageOf(text: string) {
  return /\p{sc=Han}/u.test(text)
    ? { language: 'zh', wylie: false }
    : /\p{sc=Tibetan}/u.test(text)
      ? { language: 'bo', wylie: false }
      : text.startsWith('tho')
        ? { language: 'bo', wylie: true }
        : { language: 'en', wylie: false };
}
