/**
 * What the page routes get from the HTTP layer that mounts them (its page-kit.ts builds the
 * kit): web/ imports nothing from the HTTP layer, so the request's variables, the deps and the
 * signed-in actor reach the pages through these types and the kit object.
 */

import type { Context } from 'hono';
import type { BroadcastService } from '#core/broadcasts/service.ts';
import type { ExchangeService } from '#core/exchange/service.ts';
import type { Language, Translator } from '#core/i18n.ts';
import type { AttachmentFiles } from '#core/knowledge/ports.ts';
import type { KnowledgeService, QuestionService } from '#core/knowledge/service.ts';
import type { PriceDeps } from '#core/prices/deps.ts';
import type { PriceImportDeps } from '#core/prices/import.ts';
import type { ReferenceRepository } from '#core/reference/ports.ts';
import type { Messenger } from '#core/sms/ports.ts';
import type { TibetanScript } from '#core/sms/templates.ts';
import type { Acting } from '#core/staff/guard.ts';
import type { StaffAdminDeps } from '#core/staff/manage.ts';
import type { Actor } from '#core/staff/roles.ts';
import type { Session } from '#core/staff/sessions.ts';
import type { AnswerAudio } from '#core/voice/answer-audio.ts';
import type { VoiceAudio } from '#core/voice/ports.ts';
import type { VoiceCalls, VoiceStudio } from '#core/voice/service.ts';
import type { VoiceSettings } from '#core/voice/settings.ts';

/** The Hono env of every request: set by the app's middleware (request id, language, auth, CSRF). */
export interface PageEnv {
  Variables: {
    requestId: string;
    language: Language;
    t: Translator;
    /** The signed-in staff member (session cookie or bearer token), if any. */
    actor: Actor | undefined;
    session: Session | undefined;
    /** The CSRF token for forms on this page (sets the CSRF cookie when first asked). */
    csrfToken: () => string;
  };
}

/** The stores and use-case deps the pages read and act through (the app's deps satisfy it). */
export type PageDeps = PriceDeps &
  StaffAdminDeps & {
    reference: ReferenceRepository;
    /** Tells a collector their price was rejected. */
    messenger: Pick<Messenger, 'send'>;
    /** Admins from config: shown, never editable. */
    adminPhones: readonly string[];
    /** The exchange's use-cases (public offers, moderation, operator posting). */
    exchange: ExchangeService;
    /** Broadcasts: compose, preview, approve, send, watch (core/broadcasts/service.ts); it authorizes and audit-logs itself. */
    broadcasts: BroadcastService;
    /** The SMS signatures (SMS_SIGNATURE, SMS_SIGNATURE_GSM), for the compose form's live segment counter; unset: it counts without. */
    smsSignature?: { signature: string; gsmSignature: string } | undefined;
    /** The deployment's SMS template registry (core/sms/templates.ts): shown on /staff, with how Tibetan is sent. */
    smsTemplates?: { deployment: string; tibetanScript: TibetanScript; generalNotice: boolean } | undefined;
    /** The service's SMS number, shown where a page tells how to send an SMS; unset: named in words. */
    smsNumber?: string | undefined;
    /** The guidance library (core/knowledge/service.ts): it authorizes and audit-logs itself. Unset: its pages are a 404. */
    knowledge?: KnowledgeService | undefined;
    /** The experts' questions (ASK). Unset: their pages are a 404. */
    questions?: QuestionService | undefined;
    /** The files bucket: attachment links and the local `/files/*` route. */
    attachments?: AttachmentFiles | undefined;
    /** The voice line's prompt studio (it authorizes and audit-logs itself). Unset: its pages are a 404. */
    voiceStudio?: VoiceStudio | undefined;
    /** The voice line's call records. Unset: the page is a 404. */
    voiceCalls?: VoiceCalls | undefined;
    /** Voice audio in the files bucket: clips, spoken questions, experts' recorded answers. */
    voiceAudio?: VoiceAudio | undefined;
    voiceSettings?: VoiceSettings | undefined;
    /** An expert's recorded answer (core/voice/answer-audio.ts). Unset: the question page offers none. */
    voiceAnswers?: AnswerAudio | undefined;
  };

/** The upload pages add the CSV import's stores (mounted only where the import runs) and the key of their confirm tokens. */
export type UploadPageDeps = PageDeps &
  Pick<PriceImportDeps, 'priceImport' | 'files'> & {
    /** AUTH_SECRET: signs the token a preview hands its Confirm. */
    authSecret: string;
  };

/** What the HTTP layer hands the staff pages beyond the deps. */
export interface PageKit {
  /** The signed-in staff member acting on this request, or a 401 AppError when nobody is signed in. */
  acting: (c: Context<PageEnv>) => Acting;
}

/** The form field that carries the CSRF token; the CSRF middleware reads the same name. */
export const CSRF_FIELD = '_csrf';

/**
 * The most bytes the CSV upload form may send (the app's form limits enforce it). 4 MB because
 * API Gateway hands a multipart body to Lambda base64-encoded (4/3 larger) and a Lambda request
 * stops at 6 MB.
 */
export const UPLOAD_FORM_BYTES = 4 * 1024 * 1024;
