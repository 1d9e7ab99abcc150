/**
 * What the voice line reads and writes beyond the use-cases it shares with SMS (prices, the
 * library's tips and alerts, ASK). Adapters: functions/adapters/dynamodb/voice-store.ts,
 * clip-registry.ts; functions/adapters/s3/voice-audio.ts; the recording fetcher in
 * functions/adapters/voice/.
 */
import type { Page, PageRequest } from '../paging.ts';
import type { Call, CallRecord, ClipId, VoiceLanguage } from './call.ts';

export interface CallStore {
  get(callId: string): Promise<Call | undefined>;
  /**
   * Creates the call unless it exists (a provider retry of the first request): returns the
   * stored call either way, with `created`.
   */
  create(call: Call): Promise<{ call: Call; created: boolean }>;
  /**
   * Saves if the stored `version` is `call.version` (AppError `conflict` otherwise), with the
   * version + 1. Keeps the dashboard's day index (`startedAt`'s Asia/Shanghai day) and the
   * caller's index (by phone, for DELETE ME) in step.
   */
  save(call: Call): Promise<Call>;
  /** The dashboard: calls started on an Asia/Shanghai day (`YYYY-MM-DD`), newest first, 1 Query per page. */
  byDay(day: string, page: PageRequest): Promise<Page<CallRecord>>;
  /** DELETE ME: the number's calls keep their path and outcome, lose the phone. Returns how many. */
  eraseNumber(phone: string): Promise<number>;
}

/** What the line remembers of a number: the language chosen, calls today. */
export interface Caller {
  phone: string;
  lang?: VoiceLanguage;
  /** Asia/Shanghai day and calls started that day (settings.callsPerDay). */
  day?: string;
  callsToday?: number;
  updatedAt: string;
}

export interface CallerStore {
  get(phone: string): Promise<Caller | undefined>;
  /** Remembers the language (last write wins: one person's choice). */
  setLanguage(phone: string, lang: VoiceLanguage, at: Date): Promise<void>;
  /** Counts a call on the day (atomic); returns the count including this one. */
  countCall(phone: string, day: string, at: Date): Promise<number>;
  /** DELETE ME. */
  erase(phone: string): Promise<void>;
}

/** The commodity menu's "most asked": price asks by voice, per commodity (atomic counters). */
export interface AskCounters {
  /** Adds one ask of the commodity's price. */
  count(commodityId: string): Promise<void>;
  /** Every commodity's count (1 request; callers cache it). */
  all(): Promise<Record<string, number>>;
}

export type ClipStatus = 'missing' | 'recorded' | 'approved';

/** One recording of one clip in one language (a new recording is a new version). */
export interface ClipRecording {
  lang: VoiceLanguage;
  id: ClipId;
  version: number;
  /** `voice/clips/<lang>/<id>/<version>.wav` in the files bucket (immutable). */
  key: string;
  durationMs: number;
  bytes: number;
  recordedBy: string;
  recordedAt: string;
  status: 'recorded' | 'approved' | 'replaced';
  approvedBy?: string;
  approvedAt?: string;
}

export interface ClipRegistry {
  /** Every clip of a language with a recording (its newest version, and the approved one if older). 1 Query per page. */
  list(lang: VoiceLanguage): Promise<ClipRecording[]>;
  /** One clip's newest recording. */
  get(lang: VoiceLanguage, id: ClipId): Promise<ClipRecording | undefined>;
  /** A new version (status `recorded`); the previous unapproved one becomes `replaced`. */
  add(recording: Omit<ClipRecording, 'version' | 'status'>): Promise<ClipRecording>;
  /** Approves exactly `version` (a stale version is a conflict). */
  approve(lang: VoiceLanguage, id: ClipId, version: number, by: string, at: Date): Promise<ClipRecording>;
  /**
   * What plays: lang → clip id → the approved recording's key and length. Read on every turn,
   * so adapters cache it briefly per process (a new approval plays within a minute).
   */
  playable(): Promise<Map<VoiceLanguage, Map<ClipId, { key: string; durationMs: number }>>>;
}

/** Audio in the files bucket: clips, spoken questions, recorded answers. */
export interface VoiceAudio {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  delete(key: string): Promise<void>;
  /** Where a browser or a provider fetches it (CloudFront in AWS, /files locally). */
  url(key: string): string;
}

/**
 * The provider's recording (TwiML's RecordingUrl) brought into the files bucket, so experts hear
 * it from our storage and the provider's copy can go. Only hosts on the allow-list are fetched
 * (VOICE_RECORDING_HOSTS; the request must not be an open fetcher). Returns the key, or
 * undefined when it cannot be fetched now (kept as `pending` for the job to retry).
 */
export interface VoiceRecordings {
  keep(input: { url: string; callId: string }): Promise<string | undefined>;
}

/** The experts' questions as the line needs them beyond ASK (createQuestions implements it). */
export interface VoiceQuestions {
  /** The number's questions with an expert's recorded answer the caller has not heard yet, oldest first (by the phone index). */
  unheardAnswers(phone: string): Promise<Array<{ code: string; audioKey: string; at: string }>>;
  /** The caller heard it (played to the end or pressed on): not offered again. */
  markAnswerHeard(code: string, at: Date): Promise<void>;
}
