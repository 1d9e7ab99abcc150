/**
 * A voice call as the provider-neutral flow sees it (issue: the keypad line, 声讯). Plain data.
 *
 * A call is a small state machine: each provider request (a TwiML webhook, an Amazon Connect
 * Lambda invocation, the local /dev/voice page) is one *turn*: an input (the call started, keys
 * pressed, silence, a recording) goes in, the state moves, and a list of steps comes out (play
 * these clips, gather digits, record, come back, hang up). The adapters only translate.
 */
import type { ReplyLine } from '../sms/messages.ts';

/** The languages the line speaks. English clips exist only as development placeholders. */
export const voiceLanguages = ['bo', 'zh'] as const;
export type VoiceLanguage = (typeof voiceLanguages)[number];
export const otherVoiceLanguage = (lang: VoiceLanguage): VoiceLanguage => (lang === 'bo' ? 'zh' : 'bo');

/**
 * A clip id: ASCII, `<family>.<name>`, the same in every language (the language is beside it):
 * - `num.<n>`, `num.<word>`: number words (speech/numbers.ts lists which exist per language);
 * - `say.<key>`: a fixed phrase; its text is `voice:<key>` in locales/<lang>/voice.json;
 * - `commodity.<id>`, `market.<id>`, `region.<id>`, `unit.<id>`: reference names (catalog);
 * - `item.<itemId>.<version>`: a published guide's or alert's SMS summary, read aloud (dynamic).
 */
export type ClipId = string;
export const clipIdPattern = /^[a-z][a-z0-9_]*(\.[A-Za-z0-9_-]+)+$/u;

/** One clip to play, resolved: which language's recording plays, and where it is. */
export interface PlayClip {
  id: ClipId;
  /** The language of the recording that plays (the other language's when this one's is missing). */
  lang: VoiceLanguage;
  /** What the clip says (the studio's script; shown beside it on /dev/voice and in the studio). */
  text: string;
  /** The approved recording's key in the files bucket (`voice/clips/<lang>/<id>/<version>.wav`). */
  key?: string;
  /** No approved recording: a generated development placeholder plays (local mode only). */
  placeholder?: boolean;
  /** Its length: the recording's, or the placeholder's estimate (speech/duration.ts). */
  durationMs: number;
}

/** What a turn asks the provider to do, in order. */
export type Step =
  | { kind: 'play'; clips: PlayClip[] }
  /**
   * Play the prompt while listening for keys (a key interrupts it); submit after `numDigits`
   * keys, or `timeoutSeconds` after the last key (or the prompt's end) with what was pressed;
   * nothing pressed → the next turn's input is `silence`.
   */
  | { kind: 'gather'; prompt: PlayClip[]; numDigits: number; timeoutSeconds: number }
  /** Play the prompt, a beep, then record up to `maxSeconds` (# or silence ends it). */
  | { kind: 'record'; prompt: PlayClip[]; maxSeconds: number }
  /** Come straight back for the next turn with input `silence` (after a play that needs no keys). */
  | { kind: 'redirect' }
  | { kind: 'hangup' };

export type CallInput =
  | { kind: 'start' }
  | { kind: 'digits'; digits: string }
  | { kind: 'silence' }
  /**
   * A recording finished (or the caller hung up during it). `recordingUrl`: where the provider
   * keeps it (TwiML: fetched into the files bucket by the adapter before the turn, see
   * ports.ts VoiceRecordings); `audioKey`: already in the files bucket (local line, Connect).
   */
  | { kind: 'recorded'; recordingUrl?: string; audioKey?: string; durationSeconds: number }
  /** The provider says the call ended (status callback, Connect disconnect). */
  | { kind: 'hangup' };

export type VoiceProvider = 'twiml' | 'connect' | 'dev';

/** One provider request. */
export interface CallEvent {
  provider: VoiceProvider;
  /** The provider's call id (TwiML CallSid, Connect ContactId, dev: generated). */
  callId: string;
  /** The caller's number, E.164 after normalisation (adapters normalise; unparseable → ''). */
  from: string;
  /** The number called. */
  to: string;
  /**
   * The turn this request answers (TwiML: `seq` in the action URL; Connect: a contact
   * attribute). A request for a turn already answered (a provider retry) gets the same steps
   * again and changes nothing. Absent on the first request.
   */
  seq?: number;
  input: CallInput;
}

/** What a turn answers: the steps, and the `seq` the next request must carry. */
export interface Turn {
  callId: string;
  seq: number;
  steps: Step[];
}

/** Where the caller is. */
export type CallNode =
  | 'language' // 1 Tibetan, 2 Chinese
  | 'answer.offer' // "you have an answer: press 1" (0: the menu)
  | 'main' // 1 prices, 2 alerts, 3 tips, 4 ask
  | 'prices.commodity' // a short menu, or a two-digit sheet number
  | 'prices.heard' // 8 SMS, 9 repeat, 0 back
  | 'alerts.heard'
  | 'tips.commodity'
  | 'tips.heard'
  | 'ask.record' // recording
  | 'ask.done' // the code was spoken; 8 SMS, 0 back
  | 'answer.heard'
  | 'ended';

/** What was just heard, kept for 8 (send it by SMS) and 9 (repeat): the reply's keys and parameters. */
export interface Heard {
  /** `prices:<commodity>`, `alerts`, `tips:<commodity>:<n>`, `ask:<code>`, `answer:<code>`, `help`. */
  what: string;
  /** Message keys (namespace `sms`) and parameters, as the SMS reply would be composed. */
  lines: ReplyLine[];
  maxSegments: number;
  /** The steps that spoke it (9 plays them again without reading anything). */
  steps: Step[];
}

export type CallOutcome =
  | 'in_progress'
  | 'completed' // the caller hung up after hearing something
  | 'hung_up' // hung up before hearing anything
  | 'tries_exhausted' // three unknown keys or silences: goodbye and the SMS of how to use the line
  | 'blocked'; // a number outside the country allow-list: a short goodbye

/** The call: its state (for the next turn) and its record (for the staff dashboard). One item. */
export interface Call {
  callId: string;
  provider: VoiceProvider;
  /** The caller (personal data: masked on staff pages, erased by DELETE ME). */
  phone: string;
  to: string;
  lang?: VoiceLanguage;
  node: CallNode;
  /** Unknown keys or silences in a row at this node (3 → goodbye). */
  tries: number;
  /** Every key pressed, in order, as `<node>:<digits>` (`main:1`, `prices.commodity:12`), silences as `<node>:-`. */
  path: string[];
  /** What was heard, in order (prices:barley_qingke, alerts, ask:Q0321 …): the dashboard's columns. */
  heardLog: string[];
  heard?: Heard;
  /** The commodity ids the last commodity menu offered (key 1 → [0] …). */
  menu?: string[];
  /** The question made from this call's recording. */
  questionCode?: string;
  /** SMS this call has sent (key 8, the help SMS): limited per call (settings). */
  smsSent: number;
  /** The turn last answered and its steps (a provider retry gets them again). */
  seq: number;
  lastSteps: Step[];
  outcome: CallOutcome;
  startedAt: string;
  updatedAt: string;
  endedAt?: string;
  /** Whole seconds from start to end (set when it ends). */
  durationSeconds?: number;
  /** Optimistic lock. */
  version: number;
}

/** A row of the staff dashboard (the phone masked by the page, never whole). */
export type CallRecord = Omit<Call, 'heard' | 'menu' | 'lastSteps'>;
