/**
 * Phrases with a number or a name in them, in each language's word order. The flow asks for
 * these and never orders words itself.
 */
import type { ClipId } from '../call.ts';
import { dayClips } from './dates.ts';
import type { SpeechLanguage } from './language.ts';
import { digitClips, numberClips } from './numbers.ts';
import { priceClips } from './prices.ts';

/**
 * "For barley press 1": bo ནས་ཡིན་ན་ གཅིག་ མནན, zh 青稞 请按 一 键, en for barley press one.
 */
export function menuOptionClips(lang: SpeechLanguage, name: ClipId[], key: number): ClipId[] {
  const n = numberClips(lang, key);
  if (lang === 'en') return ['say.pressFor', ...name, 'say.press', ...n];
  return [...name, 'say.pressFor', ...n, 'say.press'];
}

export interface SpokenPriceRow {
  marketId: string;
  priceFen: number;
  unitId: string;
  date: string;
  old: boolean;
}

/**
 * One market's price: where, per what, how much, when, and "old" when stale.
 * zh 八廓街 每斤 三元五角 今天 旧价; bo བར་བསྐོར རྒྱ་མ་རེར སྒོར་མོ་གསུམ་ཞོ་ལྔ དེ་རིང རྙིང་པ;
 * en Barkhor, three yuan five jiao per jin, today, old.
 */
export function priceRowClips(lang: SpeechLanguage, row: SpokenPriceRow, today: string): ClipId[] {
  const where = `market.${row.marketId}`;
  const unit = `unit.${row.unitId}`;
  const price = priceClips(lang, row.priceFen);
  const when = dayClips(lang, row.date, today);
  const old = row.old ? ['say.old'] : [];
  if (lang === 'en') return [where, ...price, unit, ...when, ...old];
  return [where, unit, ...price, ...when, ...old];
}

export interface SpokenAlert {
  kind: string;
  severity: string;
  regionIds: string[];
  /** The alert's SMS summary read aloud (`item.<id>.<version>`), when it is recorded. */
  itemClip?: ClipId;
}

const alertKinds = new Set(['weather', 'pest', 'disease', 'market']);
const severities = new Set(['minor', 'moderate', 'severe', 'extreme']);

/**
 * An alert: its kind, severity and area, then its text. zh 天气预警 严重 江孜; the same order in
 * bo (གནམ་གཤིས་ཉེན་བརྡ ཚབས་ཆེ རྒྱལ་རྩེ). A kind or severity the line has no clip for is left out.
 */
export function alertClips(_lang: SpeechLanguage, alert: SpokenAlert): ClipId[] {
  const out: ClipId[] = [];
  if (alertKinds.has(alert.kind)) out.push(`say.alertKind.${alert.kind}`);
  if (severities.has(alert.severity)) out.push(`say.severity.${alert.severity}`);
  for (const id of alert.regionIds) out.push(`region.${id}`);
  if (alert.itemClip) out.push(alert.itemClip);
  return out;
}

/**
 * "Received; its number is Q 0 3 2 1": the code's digits one by one (the Q is said by the phrase).
 */
export function askReceivedClips(lang: SpeechLanguage, code: string): ClipId[] {
  return ['say.askReceived', ...digitClips(lang, code)];
}

/**
 * "An expert answers by SMS within 24 hours": zh 专家将在 二十四 小时内短信答复; bo puts the
 * number after ཆུ་ཚོད (which ends answerWithin) and then ནང (say.hours).
 */
export function answerWithinClips(lang: SpeechLanguage, hours: number): ClipId[] {
  return ['say.answerWithin', ...numberClips(lang, hours), 'say.hours'];
}
