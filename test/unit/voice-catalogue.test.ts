/**
 * The clip catalogue is complete: whatever the speech functions can ask for is a needed clip
 * (so the studio lists it for recording), every needed clip has a script in Tibetan and Chinese,
 * and no Tibetan script carries a Chinese character.
 */
import { describe, expect, test } from 'vitest';
import { clipIdPattern } from '#core/voice/call.ts';
import { clipText, neededClips } from '#core/voice/speech/catalogue.ts';
import { dayClips } from '#core/voice/speech/dates.ts';
import { estimateMs } from '#core/voice/speech/duration.ts';
import { type SpeechLanguage, speechLanguages } from '#core/voice/speech/language.ts';
import { decimalClips, digitClips, numberClips } from '#core/voice/speech/numbers.ts';
import {
  alertClips,
  answerWithinClips,
  askReceivedClips,
  menuOptionClips,
  priceRowClips,
} from '#core/voice/speech/phrases.ts';
import { priceClips } from '#core/voice/speech/prices.ts';
import { commodityOfSheetNumber, sheetNumbers } from '#core/voice/speech/sheet-numbers.ts';
import { seedCatalog } from '../support/sms-catalog.ts';

const catalog = seedCatalog();
const HAN = /\p{Script=Han}/u;

/** Every clip the speech functions produce in a language, over the whole range each takes. */
function producedClips(lang: SpeechLanguage): Set<string> {
  const out = new Set<string>();
  const add = (ids: string[]) => {
    for (const id of ids) out.add(id);
  };
  for (let n = 0; n <= 100_000; n++) add(numberClips(lang, n));
  add(numberClips(lang, 1_234_567_890));
  add(digitClips(lang, 'Q0123456789'));
  add(decimalClips(lang, '3.1415'));
  for (let fen = 0; fen <= 200_000; fen++) add(priceClips(lang, fen));
  for (let fen = 200_000; fen <= 10_000_000; fen += 97) add(priceClips(lang, fen));
  for (let day = 1; day <= 400; day++) {
    const date = new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10);
    add(dayClips(lang, date, '2026-12-31'));
  }
  for (const commodity of catalog.commodities.keys()) {
    for (let key = 0; key <= 9; key++) add(menuOptionClips(lang, [`commodity.${commodity}`], key));
  }
  for (const marketId of catalog.markets.keys()) {
    for (const unitId of catalog.units?.keys() ?? []) {
      for (const old of [true, false]) {
        add(priceRowClips(lang, { marketId, unitId, priceFen: 1235, date: '2026-05-01', old }, '2026-05-20'));
      }
    }
  }
  const regionIds = [...catalog.regions.keys()];
  for (const kind of ['weather', 'pest', 'disease', 'market']) {
    for (const severity of ['minor', 'moderate', 'severe', 'extreme'])
      add(alertClips(lang, { kind, severity, regionIds }));
  }
  add(askReceivedClips(lang, 'Q9876'));
  for (let hours = 0; hours <= 72; hours++) add(answerWithinClips(lang, hours));
  return out;
}

describe('the clip catalogue', () => {
  for (const lang of speechLanguages) {
    test(`${lang}: every clip the speech functions can produce is needed, and every needed number word is produced`, () => {
      const needed = neededClips(lang, catalog);
      const ids = new Set(needed.map((c) => c.id));
      expect(ids.size, 'no clip listed twice').toBe(needed.length);
      const produced = producedClips(lang);
      expect([...produced].filter((id) => !ids.has(id))).toEqual([]);
      const deadNumbers = needed.filter((c) => c.family === 'num' && !produced.has(c.id)).map((c) => c.id);
      expect(deadNumbers, 'a number word no rule says is never recorded').toEqual([]);
      for (const { id, family } of needed) {
        expect(id, id).toMatch(clipIdPattern);
        expect(id.startsWith(`${family}.`), id).toBe(true);
      }
    });
  }

  test('the families: every phrase, the catalog names, about fifty Tibetan number words', () => {
    const bo = neededClips('bo', catalog);
    const count = (family: string) => bo.filter((c) => c.family === family).length;
    expect(count('commodity')).toBe(catalog.commodities.size);
    expect(count('market')).toBe(catalog.markets.size);
    expect(count('region')).toBe(catalog.regions.size);
    expect(count('unit')).toBe(catalog.units?.size);
    expect(count('num')).toBeGreaterThan(45);
    expect(count('num')).toBeLessThan(60);
    expect(bo.map((c) => c.id)).toEqual(expect.arrayContaining(['say.welcome', 'say.alertKind.weather', 'say.yuan']));
  });

  test('every needed clip has a script in bo and zh (and en, for the placeholders); no Tibetan script has a Chinese character', () => {
    for (const lang of speechLanguages) {
      const missing = neededClips(lang, catalog).filter(({ id }) => !clipText(lang, id, catalog)?.trim());
      expect(
        missing.map((c) => c.id),
        lang,
      ).toEqual([]);
    }
    const withHan = neededClips('bo', catalog)
      .map(({ id }) => [id, clipText('bo', id, catalog) ?? ''])
      .filter(([, text]) => HAN.test(text as string));
    expect(withHan).toEqual([]);
  });

  test('scripts: a name in its language, a unit as "per unit", item clips from the items, unknown ids none', () => {
    expect(clipText('bo', 'commodity.barley_qingke', catalog)).toBe('ནས');
    expect(clipText('zh', 'commodity.barley_qingke', catalog)).toBe('青稞');
    expect(clipText('bo', 'unit.jin', catalog)).toBe('རྒྱ་མ་རེར');
    expect(clipText('zh', 'unit.jin', catalog)).toBe('每斤');
    expect(clipText('zh', 'unit.khal', catalog), 'khal is 藏克, not grams').toBe('每藏克');
    expect(clipText('en', 'unit.piece', catalog)).toBe('per piece');
    expect(clipText('bo', 'unit.head', catalog), 'no Tibetan word for head: "each"').toBe('རེ་རེར');
    expect(clipText('zh', 'say.mainMenu', catalog)).toContain('请按一');
    const items = (id: string, version: number, lang: SpeechLanguage) =>
      id === 'g1' && version === 3 ? `${lang} summary` : undefined;
    expect(clipText('bo', 'item.g1.3', catalog, items)).toBe('bo summary');
    expect(clipText('bo', 'item.g1.4', catalog, items)).toBeUndefined();
    expect(clipText('bo', 'item.g1.3', catalog)).toBeUndefined();
    for (const id of ['commodity.nope', 'say.nope', 'num.11', 'nope.x', 'say', 'market.']) {
      expect(clipText('bo', id, catalog), id).toBeUndefined();
    }
  });
});

describe('estimated lengths', () => {
  test('Tibetan by syllables at 4 a second, Chinese by characters at 4.5, English by words at 2.5, +150 ms a clip', () => {
    expect(estimateMs('bo', 'ཉི་ཤུ་རྩ་གཅིག')).toBe(150 + 1000);
    expect(estimateMs('bo', 'རིན་གོང་ད་དུང་མེད།'), 'five syllables').toBe(150 + 1250);
    expect(estimateMs('zh', '暂无价格。')).toBe(150 + Math.round(4000 / 4.5));
    expect(estimateMs('en', 'No price yet.')).toBe(150 + 1200);
    expect(estimateMs('zh', '')).toBe(150);
  });

  test('a price for 3 markets (12.35 yuan, yesterday) is under 25 seconds of speech in Tibetan and Chinese', () => {
    const today = '2026-05-20';
    for (const lang of ['bo', 'zh'] as const) {
      const rows = ['mkt_lhasa_barkhor', 'mkt_sichuan_kangding', 'mkt_lhasa_tromsikhang'].map((marketId) =>
        priceRowClips(lang, { marketId, unitId: 'jin', priceFen: 1235, date: '2026-05-19', old: false }, today),
      );
      const ids = ['say.priceOf', 'commodity.barley_qingke', ...rows.flat()];
      const ms = ids.reduce((sum, id) => sum + estimateMs(lang, clipText(lang, id, catalog) ?? ''), 0);
      expect(ms, lang).toBeGreaterThan(10_000);
      expect(ms, lang).toBeLessThan(25_000);
    }
  });
});

describe('price sheet numbers', () => {
  test('every catalog commodity has one, two digits, unique; each number leads back to its commodity', () => {
    const missing = [...catalog.commodities.keys()].filter((id) => sheetNumbers[id] === undefined);
    expect(missing).toEqual([]);
    const numbers = Object.values(sheetNumbers);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const [id, n] of Object.entries(sheetNumbers)) {
      expect(Number.isInteger(n) && n >= 10 && n <= 99, id).toBe(true);
      expect(commodityOfSheetNumber(n)).toBe(id);
      expect(catalog.commodities.has(id), `${id} is a catalog commodity`).toBe(true);
    }
    expect(commodityOfSheetNumber(99)).toBeUndefined();
    expect(sheetNumbers.barley_qingke).toBe(10);
  });
});
