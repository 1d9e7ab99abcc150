/**
 * A broadcast: one text (per language) sent by SMS to the subscribers of some regions and
 * topics. The machinery alerts, bulletins and tips use too. Plain data: what the store keeps
 * and the pages, the API and the jobs read.
 */
import type { Language } from '../reference/schemas.ts';
import type { Encoding } from '../sms/messages.ts';
import type { Script } from '../subscribers/subscriber.ts';

/** Topics a broadcast can be aimed at (and SUB can follow); `price:<commodityId>` too. */
export const broadcastTopics = ['weather', 'pest', 'disease', 'market'] as const;
export type AudienceTopic = (typeof broadcastTopics)[number] | `price:${string}`;

/**
 * The audience index's topic under which every reachable subscriber (home region known, not
 * stopped) is kept: "everyone in the regions".
 */
export const EVERYONE = 'all';

export interface Audience {
  /** Region ids; a prefecture covers its counties. Normalised on save: no region under another chosen one. */
  regions: string[];
  /** Empty: everyone in the regions. */
  topics: AudienceTopic[];
  /** Subscriber languages to reach; empty: all. */
  languages: Language[];
}

/** A text per language; a missing one falls back (fallbackOrder). */
export type Texts = Partial<Record<Language, string>>;

/** Instead of free text, a registered template: a key of the `sms` namespace under `notice.`, with its parameters. */
export interface TemplateRef {
  key: string;
  params: Record<string, string | number>;
}

/**
 * The version a reader of `language` gets when the author left theirs empty: bo → zh → en for
 * Tibetan readers, zh → bo → en for Chinese readers, en → zh → bo for English readers.
 */
export const fallbackOrder: Record<Language, readonly Language[]> = {
  bo: ['bo', 'zh', 'en'],
  zh: ['zh', 'bo', 'en'],
  en: ['en', 'zh', 'bo'],
};

/**
 * - draft: made, previewed, may be edited, approved (when it needs it) and sent;
 * - scheduled: sent for a later time (an EventBridge Scheduler one-time schedule in AWS);
 * - sending: fanning out and being sent (quiet hours hold it without a change of status);
 * - paused: by staff; resume continues where it stopped;
 * - finished: every recipient recorded and every message handed to the gateway (receipts
 *   still move the counts for up to 72 h);
 * - cancelled: by staff, before finishing; what was not yet sent is never sent.
 */
export const broadcastStatuses = ['draft', 'scheduled', 'sending', 'paused', 'finished', 'cancelled'] as const;
export type BroadcastStatus = (typeof broadcastStatuses)[number];

/** A group of recipients who receive the same rendering: their language and (for Tibetan) script. */
export type ScriptGroup = 'bo-tibetan' | 'bo-wylie' | 'zh' | 'en';
export const scriptGroups: readonly ScriptGroup[] = ['bo-tibetan', 'bo-wylie', 'zh', 'en'];
export const scriptGroupOf = (language: Language, script: Script): ScriptGroup =>
  language === 'bo' ? (script === 'wylie' ? 'bo-wylie' : 'bo-tibetan') : language;

/** A character a basic phone may not show (emoji, private use, unassigned), found in a rendering. */
export interface CharWarning {
  kind: 'emoji' | 'private_use' | 'unassigned' | 'not_gsm';
  /** The characters, each once, in order of appearance (at most 10). */
  chars: string[];
}

/** What one group of recipients receives, exactly as the phone shows it. */
export interface PreviewRow {
  group: ScriptGroup;
  recipients: number;
  /** The text version they get (after fallback); undefined when no version exists for them (then they get nothing). */
  version?: Language;
  /** The full SMS: text, opt-out footer and signature, transliterated for Wylie readers. */
  rendering: string;
  encoding: Encoding;
  segments: number;
  /** recipients × segments */
  totalSegments: number;
  costFen: number;
  warnings: CharWarning[];
}

export interface Preview {
  /**
   * Recipients counted from the audience counters. With more than one topic it is an upper
   * bound (a subscriber of two topics counts twice here, and gets one SMS).
   */
  recipients: number;
  upperBound: boolean;
  rows: PreviewRow[];
  /** Segments of each version that has recipients or text, per script group. */
  segments: Partial<Record<ScriptGroup, number>>;
  totalSegments: number;
  /** At BROADCAST_SEGMENT_PRICE_FEN per segment. */
  costFen: number;
  segmentPriceFen: number;
  /** What is left of the day's non-essential segment budget on the day it would go, against what it needs. */
  budget: { day: string; limit: number; remaining: number; needed: number; fits: boolean };
  /** Recipients above BROADCAST_APPROVAL_THRESHOLD: a second staff member must approve. */
  needsApproval: boolean;
  /** At the configured rate: how long sending takes (seconds), and whether quiet hours would hold it. */
  timing: { rate: number; seconds: number; startsAt: string; quietHoldsIt: boolean };
  /**
   * Free text where the SMS gateway sends only registered templates and the deployment has no
   * general-notice template (core/sms/templates.ts): it cannot go, and sending is refused.
   */
  freeTextRefused?: true;
  at: string;
}

/** Where the fan-out is: a partition (region × topic of the audience index) and the cursor in it. */
export interface FanOutPosition {
  partition: number;
  cursor?: string;
}

export interface FanOutProgress {
  /** The next page to fan out. */
  next: FanOutPosition;
  /** True once every partition was read to its end. */
  done: boolean;
  /**
   * Where each window still possibly unsent began (oldest first; a window is what one tick
   * hands to the queue). Dropped once the counts show nothing queued. A pause, quiet hours or
   * a stuck queue replays from the first: recorded messages still `queued` are queued again
   * (the sender's lease and status check make that harmless), sent ones are skipped.
   */
  windows: Array<FanOutPosition & { at: string }>;
  /** Set when the sender held messages back (pause, quiet hours): the next tick replays the windows. */
  held: boolean;
  pages: number;
  /**
   * A replay of the windows under way: where it got to. Saved after each page, so a replay cut
   * off part-way (a throttled table, a crash) goes on from there at the next tick instead of
   * starting again from its first page. The forward fan-out waits until it is over.
   */
  replay?: ReplayPass;
}

/** One replay of the windows, saved page by page (FanOutProgress.replay). */
export interface ReplayPass {
  /** The next page it reads. */
  from: FanOutPosition;
  /** Messages it found still `queued` (or recorded anew) and queued again, so far. */
  queued: number;
  /** It began at the broadcast's first page: its tally covers every recipient. */
  whole: boolean;
  /** The broadcast's messages it read, by status, and the segments of those that left for the gateway. */
  tally: StatusTally;
}

export type StatusTally = Partial<
  Record<'sent' | 'delivered' | 'failed' | 'blocked' | 'unknown' | 'segmentsSent', number>
>;

export const emptyProgress = (): FanOutProgress => ({
  next: { partition: 0 },
  done: false,
  windows: [],
  held: false,
  pages: 0,
});

/** Per-broadcast counters: moved by the fan-out (recipients, queued) and by every status change of its messages. */
export interface BroadcastCounts {
  /** Recipients recorded by the fan-out (each once): the actual count beside the preview's. */
  recipients: number;
  /** Not stored: recipients − (sent + delivered + failed + blocked + unknown), at least 0. */
  queued: number;
  /** Messages the gateway never confirmed within 72 h. */
  unknown: number;
  sent: number;
  delivered: number;
  failed: number;
  blocked: number;
  /** Segments of messages that left for the gateway (sent, delivered or failed after sending): the final cost. */
  segmentsSent: number;
  /** Failed and blocked messages by reason (a short code: opted_out, country, budget, cancelled, gateway:<detail>). */
  reasons: Record<string, number>;
}

export const zeroCounts = (): BroadcastCounts => ({
  recipients: 0,
  queued: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  blocked: 0,
  unknown: 0,
  segmentsSent: 0,
  reasons: {},
});

export interface Broadcast {
  /** `b` and 10 base32 characters (time-ordered), e.g. b01jf3k9q2m. */
  id: string;
  status: BroadcastStatus;
  audience: Audience;
  /** Free text per language; absent when `template` is used. */
  texts: Texts;
  template?: TemplateRef;
  /** ISO time to send at; absent: when sent. */
  sendAt?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** The preview as of the last save (recomputed at send time). */
  preview: Preview;
  approvedBy?: string;
  approvedAt?: string;
  sentBy?: string;
  /** When the first page was fanned out. */
  startedAt?: string;
  finishedAt?: string;
  pausedBy?: string;
  cancelledBy?: string;
  cancelledAt?: string;
  progress: FanOutProgress;
  /** A broadcast drafted by the publication of a knowledge item (an alert's or a bulletin's SMS text). */
  source?: BroadcastSource;
  /** A severe or extreme alert's: quiet hours do not hold it (fan-out, sender's gate, preview timing). */
  throughQuietHours?: boolean;
  version: number;
}

/** What drafted a broadcast, when a publication did (the broadcast page links back to it). */
export interface BroadcastSource {
  kind: 'alert' | 'bulletin';
  id: string;
  /** The item's published version whose summary it carries. */
  version: number;
}

/** A line of the history. */
export type BroadcastSummary = Pick<
  Broadcast,
  'id' | 'status' | 'audience' | 'createdBy' | 'createdAt' | 'sendAt' | 'startedAt' | 'finishedAt'
> & { recipients: number; costFen: number; firstText: string };

/** A member of the audience index: a subscriber as the fan-out needs them (no other read). */
export interface AudienceMember {
  phone: string;
  language: Language;
  script: Script;
}

/** One row of the audience counters: subscribers of a region (any level of their home's path) × topic × language × script. */
export interface AudienceCount {
  topic: string;
  language: Language;
  script: Script;
  count: number;
}
