import type { Language } from '../reference/schemas.ts';
import type { Script } from '../subscribers/subscriber.ts';

/** Topics a subscriber can follow: weather and pest alerts, and price alerts per commodity. */
export type Topic = 'weather' | 'pest' | `price:${string}`;

export type Command =
  | { intent: 'help' }
  | { intent: 'join'; regionId: string }
  | { intent: 'lang'; language: Language }
  | { intent: 'script'; script: Script }
  | { intent: 'sub'; topic: Topic }
  | { intent: 'unsub'; topic: Topic }
  | { intent: 'price'; commodityId: string; marketId?: string; regionId?: string }
  | CollectCommand
  | { intent: 'stop' }
  | { intent: 'start' }
  | { intent: 'delete' };

export type Intent = Command['intent'];

/**
 * P <commodity> <market> <price> [unit] [kind] [date]: a staff member's price report by SMS.
 * Unit and date are as typed (resolved against the catalog and today by the pipeline).
 */
export interface CollectCommand {
  intent: 'collect';
  commodityId: string;
  /** The market, or a region whose market the pipeline picks (P 青稞 拉萨 …: one market there, else "which one"). */
  marketId?: string;
  regionId?: string;
  /** ASCII digits, e.g. "4.50". */
  price: string;
  /** A unit word as typed (斤, jin, kg, རྒྱ་མ…); absent: the commodity's default unit. */
  unit?: string;
  kind?: 'wholesale' | 'retail' | 'farm_gate';
  /** MM-DD or YYYY-MM-DD (zero-padded); absent: today in Asia/Shanghai. */
  date?: string;
}

/** A P report's part that could not be read. */
export type CollectArgument = 'commodity' | 'market' | 'price' | 'date';

/** A keyword the sender probably meant ("HLEP" → HELP), written as they would type it. */
export interface KeywordSuggestion {
  intent: Intent;
  keyword: string;
}

/**
 * Why a message could not be read, with what the reply needs: the help hint, or the closest
 * names ("did you mean").
 */
export type ParseFailure =
  | { intent: Intent | 'unknown'; problem: 'unknown_command' | 'empty' | 'unreadable'; suggestion?: KeywordSuggestion }
  | { intent: Intent; problem: 'missing_argument' }
  | { intent: Intent; problem: 'unknown_argument'; text: string; suggestions: string[] }
  | { intent: Intent; problem: 'ambiguous'; text: string; suggestions: string[] }
  | { intent: 'collect'; problem: 'bad_argument'; argument: CollectArgument; text: string; suggestions: string[] };

export type ParseResult =
  | { ok: true; command: Command; language?: Language; wylie?: boolean }
  | ({ ok: false; language?: Language; wylie?: boolean } & ParseFailure);
