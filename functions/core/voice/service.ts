/**
 * The voice line as the adapters call it (createVoiceLine in ./voice-line.ts builds it), and the
 * prompt studio as the staff pages call it (createStudio in ./studio.ts). Refusals throw
 * AppError like the other services (`validation_failed` with `errors:voice.*` keys,
 * `forbidden`, `not_found`, `conflict`).
 */
import type { Page } from '../paging.ts';
import type { Acting } from '../staff/guard.ts';
import type { CallEvent, CallRecord, ClipId, Turn, VoiceLanguage } from './call.ts';
import type { ClipRecording, ClipStatus } from './ports.ts';

export interface VoiceLine {
  /**
   * One provider request → the steps to answer it. Never throws for caller input (unknown
   * keys, silence, a hang-up mid-recording, a number outside the allow-list): each has its
   * answer. A request for a turn already answered gets the same steps again.
   */
  turn(event: CallEvent): Promise<Turn>;
}

/** One clip as the studio lists it. */
export interface StudioClip {
  id: ClipId;
  lang: VoiceLanguage;
  /** What to say (the script the speaker reads). */
  text: string;
  /** `say`, `num`, `commodity`, `market`, `region`, `unit`, `item` (speech/catalogue.ts). */
  family: string;
  status: ClipStatus;
  /** The newest recording, and the approved one when that is older. */
  latest?: ClipRecording;
  approved?: ClipRecording;
  /** May the viewer approve the newest recording (speaks the language, is not its recorder)? */
  mayApprove: boolean;
}

export interface StudioCoverage {
  lang: VoiceLanguage;
  /** The fixed clips the flows need (speech/catalogue.ts). */
  needed: number;
  recorded: number;
  approved: number;
  /** approved / needed, 0–1. */
  share: number;
}

export interface VoiceStudio {
  /** Every clip the flows need in a language, filterable by family and status; `voice.record` or `content.review`. */
  list(
    acting: Acting,
    query: { lang: VoiceLanguage; family?: string; status?: ClipStatus; cursor?: string; limit?: number },
  ): Promise<Page<StudioClip>>;
  coverage(acting: Acting): Promise<StudioCoverage[]>;
  /** One needed clip as `list` shows it (its page); `not_found` for an id the line does not need. */
  clip(acting: Acting, lang: VoiceLanguage, id: ClipId): Promise<StudioClip>;
  /**
   * A recording (`voice.record`): checked to be a WAV, 8 kHz, mono, 16-bit PCM or 8-bit μ-law,
   * 0.2 s – settings.clipMaxSeconds; refused with the reason (`errors:voice.studio.*`).
   */
  upload(acting: Acting, lang: VoiceLanguage, id: ClipId, bytes: Uint8Array): Promise<ClipRecording>;
  /** By a second person who speaks it: `content.review` with the language, not the recorder. */
  approve(acting: Acting, lang: VoiceLanguage, id: ClipId, version: number): Promise<ClipRecording>;
}

/** The staff dashboard's calls (`voice.calls`): phones masked by the page. */
export interface VoiceCalls {
  byDay(acting: Acting, query: { day: string; cursor?: string; limit?: number }): Promise<Page<CallRecord>>;
}
