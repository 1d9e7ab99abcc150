/**
 * What an SMS command is. Each command is one object in its own file beside this one, and the
 * registry (index.ts) lists them; the parser, the pipeline (handle-inbound.ts) and the replies
 * (failure-reply.ts) ask the registry, never an intent name, so that a new command is one new file,
 * its strings in locales/{bo,zh,en}/sms.json and one registry line (docs/sms.md).
 */
import type { ExchangeService } from '../../exchange/service.ts';
import type { KnowledgeService, QuestionService } from '../../knowledge/service.ts';
import type { PriceRepository } from '../../prices/ports.ts';
import type { Catalog } from '../../reference/catalog.ts';
import type { Language } from '../../reference/schemas.ts';
import type { Subscriber } from '../../subscribers/subscriber.ts';
import type { Matcher } from '../../text/matcher.ts';
import type { CollectDeps } from '../collect-reply.ts';
import type { ReplyLine } from '../messages.ts';

/** A parsed command: its intent (the command's name) and what its reader found. */
export interface CommandShape {
  intent: string;
}

/** A keyword the sender probably meant ("HLEP" → HELP), written as they would type it. */
export interface KeywordSuggestion {
  intent: string;
  keyword: string;
}

/**
 * Why a message could not be read, with what the reply needs: the help hint, or the closest
 * names ("did you mean"). `intent` is the command whose keyword led the message, or `unknown`.
 */
export type ParseFailure<I extends string = string> =
  | { intent: I | 'unknown'; problem: 'unknown_command' | 'empty' | 'unreadable'; suggestion?: KeywordSuggestion }
  | { intent: I; problem: 'missing_argument' }
  | { intent: I; problem: 'unknown_argument'; text: string; suggestions: string[] }
  | { intent: I; problem: 'ambiguous'; text: string; suggestions: string[] }
  /** One named part of the arguments (P's commodity, market, price, date) could not be read. */
  | { intent: I; problem: 'bad_argument'; argument: string; text: string; suggestions: string[] };

/** What an argument reader makes of the words after the keyword. */
export type ReadOutcome<C extends CommandShape = CommandShape> =
  | { ok: true; command: C }
  | ({ ok: false } & ParseFailure);

export interface ReadInput {
  /** The tokens after the keyword (normalised). */
  rest: string[];
  matcher: Matcher;
  /**
   * The text after the keyword as typed (normalised), symbols and punctuation included, with
   * U+FFFD for a character the normaliser could not read: for readers that care (UNSUB).
   */
  after: string;
  /** `after` in the case it was typed (Latin not lower-cased): the words of a relayed message or a report. */
  afterAsTyped?: string;
}

/** The command's keywords in the four forms, as the glossary writes them (kw_* terms). */
export interface CommandKeywords {
  en: readonly string[];
  zh: readonly string[];
  /** Tibetan script; none where the glossary has no Tibetan word (we invent no spellings). */
  bo: readonly string[];
  wylie: readonly string[];
  /**
   * Keywords that count only as the whole message (short words common at the start of other
   * text, or a command that cannot be undone). Their form follows their script.
   */
  wholeOnly?: readonly string[];
  /**
   * Offer a whole-only keyword as "did you mean" when the message starts with it and goes on
   * (DELETE ME: "delete me please"). Off by default: suggesting T or END (STOP) for "t 123" or
   * "end of season" would invite an unwanted opt-out.
   */
  suggestWholeOnly?: boolean;
  /**
   * The words after an English keyword are codes (LANG BO, SCRIPT WYLIE), not Wylie: they do
   * not make a new number's language Tibetan in Wylie.
   */
  codesFollow?: boolean;
}

/** How the pipeline treats the command besides running it. */
export interface CommandFlags {
  /** A number that sent STOP still gets an answer to it (STOP, START, HELP). */
  answeredAfterStop: boolean;
  /**
   * Carried out even when it may not be answered — over the hourly limit, and after STOP —
   * just unanswered: commands that only take away (SMS, personal data).
   */
  carriedOutUnanswered: boolean;
  /** A number we do not know is registered by it (all but DELETE ME, which would erase it at once). */
  registersNewNumber: boolean;
  /** Its answer confirms an opt-out, and so goes even past the absolute daily cap (admission.ts): STOP. */
  confirmsOptOut?: boolean;
}

/** What a command that changes the subscriber does: the subscriber after it, and the reply. */
export interface Outcome {
  /** The subscriber after the command; undefined when erased. */
  subscriber: Subscriber | undefined;
  lines: ReplyLine[];
}

/** The reply of a command that answers from other data, with its segment budget. */
export interface Answer {
  lines: Array<ReplyLine & { optional?: boolean; shortKey?: string }>;
  maxSegments?: number;
}

/** The ports commands may use beyond the subscriber (a new command needing another adds it here). */
export interface CommandServices {
  /** Approved prices, for PRICE; without it PRICE answers that there is no price yet. */
  prices?: Pick<PriceRepository, 'latestForCommodity'>;
  /** Staff price reports (P); without it P answers "not allowed". */
  collect?: CollectDeps;
  /** The market exchange (SELL, BUY, FIND, MSG …; DELETE ME erases a number's offers through it). */
  exchange?: ExchangeService;
  /** The guidance library: TIP, ALERTS. */
  knowledge?: Pick<KnowledgeService, 'tip' | 'currentAlertLines' | 'guideCommodities'>;
  /** The experts' questions: ASK (DELETE ME erases a number's questions through it). */
  questions?: Pick<QuestionService, 'ask'> & { eraseNumber?(phone: string): Promise<number> };
  /** The voice line: DELETE ME erases the number from its call records and what it remembered of the caller. */
  voice?: { eraseNumber(phone: string): Promise<number> };
}

export interface ChangeContext {
  catalog: Catalog;
  now: Date;
}

export interface AnswerContext extends ChangeContext {
  subscriber: Subscriber;
  /** The sender's number (E.164). */
  from: string;
  /** `<gateway>:<message id>`: what the command's effects are keyed by (audit, idempotency). */
  messageId: string;
  services: CommandServices;
}

/**
 * What the command does, returning message keys and parameters (never text):
 * - `change`: a pure change of the subscriber, which the pipeline saves (re-running it on a
 *   version conflict); a new number is registered with it applied, in one write;
 * - `answer`: a reply from other data (prices, staff use-cases); the subscriber stays as it is.
 */
export type CommandHandler<C> =
  | { kind: 'change'; apply(command: C, subscriber: Subscriber, context: ChangeContext): Outcome }
  | { kind: 'answer'; answer(command: C, context: AnswerContext): Promise<Answer> };

export interface FailureContext {
  lang: Language;
  catalog: Catalog;
  subscriber: Subscriber;
}

/**
 * One SMS command. `C` is the command it handles; `R` what its reader may make of a message,
 * usually the same (UNSUB alone reads as STOP, which the STOP command handles).
 */
export interface SmsCommand<C extends CommandShape = CommandShape, R extends CommandShape = C> {
  intent: C['intent'];
  keywords: CommandKeywords;
  /** The words after the keyword → the command, or what was wrong with them. Total: never throws. */
  read(input: ReadInput): ReadOutcome<R>;
  /**
   * A message with no keyword at all that is still this command (PRICE's commodity-first form,
   * `青稞价格`): undefined when the message is not of that form.
   */
  readWithoutKeyword?(tokens: readonly string[], matcher: Matcher): ReadOutcome<R> | undefined;
  handler: CommandHandler<C>;
  /** The reply to a message this command's keyword led but its reader refused; absent: the short help. */
  failureReply?(failure: ParseFailure, context: FailureContext): ReplyLine[];
  flags: CommandFlags;
  /** Every `sms` message key the command may answer with (a test checks them in bo, zh and en). */
  messageKeys: readonly string[];
}

/** The command type a module reads and handles. */
export type CommandOf<M> = M extends SmsCommand<infer C, CommandShape> ? C : never;

/** Types a command module: `defineCommand<JoinCommand>({ … })`. */
export const defineCommand = <C extends CommandShape, R extends CommandShape = C>(
  command: SmsCommand<C, R>,
): SmsCommand<C, R> => command;
