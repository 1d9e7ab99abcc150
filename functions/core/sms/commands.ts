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
  | { intent: 'stop' }
  | { intent: 'start' }
  | { intent: 'delete' };

export type Intent = Command['intent'];

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
  | { intent: Intent; problem: 'ambiguous'; text: string; suggestions: string[] };

export type ParseResult = { ok: true; command: Command; language?: Language; wylie?: boolean } | ({ ok: false; language?: Language; wylie?: boolean } & ParseFailure);
