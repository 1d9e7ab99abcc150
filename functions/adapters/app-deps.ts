import type { BroadcastService } from '#core/broadcasts/service.ts';
import type { ExchangeService } from '#core/exchange/service.ts';
import type { AttachmentFiles } from '#core/knowledge/ports.ts';
import type { KnowledgeService, QuestionService } from '#core/knowledge/service.ts';
import type { HealthProbe } from '#core/platform-ports.ts';
import type { OpenDataSnapshots } from '#core/prices/open-data-publish.ts';
import type { OpenPriceReader, PriceRepository } from '#core/prices/ports.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import type { ReferenceRepository } from '#core/reference/ports.ts';
import type { InboundResult } from '#core/sms/handle-inbound.ts';
import type { InboundSms } from '#core/sms/messages.ts';
import type { Messenger, OutboundStore, RateLimiter } from '#core/sms/ports.ts';
import type { Authorizer } from '#core/staff/authz.ts';
import type {
  AuditLog,
  QuotaCounter,
  SessionStore,
  SignInCodeQueue,
  SignInCodeStore,
  StaffRepository,
} from '#core/staff/ports.ts';
import type { AnswerAudio } from '#core/voice/answer-audio.ts';
import type { ClipRegistry, VoiceAudio } from '#core/voice/ports.ts';
import type { VoiceCalls, VoiceLine, VoiceStudio } from '#core/voice/service.ts';
import type { VoiceSettings } from '#core/voice/settings.ts';
import type { PublicFile } from './s3/public-files.ts';

/**
 * Everything the HTTP app needs from outside, built once by createDeps (wiring.ts). It is
 * itself the deps of every use-case a route calls (GuardDeps, PriceDeps, StaffAdminDeps, the
 * sign-in use-cases): routes pass it as it is and assemble nothing.
 */
export interface AppDeps {
  reference: ReferenceRepository;
  health: HealthProbe;
  /** Sends an SMS composed from a message key (sign-in codes, replies, alerts). */
  messenger: Messenger;
  rateLimiter: RateLimiter;
  /** Admin phones from config (local mode); always admins in every region. */
  adminPhones: string[];
  now: () => Date;
  outbound: OutboundStore;
  /** The inbound SMS pipeline (used by /dev/sms locally; the SNS handler in AWS). */
  handleInbound?: (msg: InboundSms) => Promise<InboundResult>;
  mode: 'local' | 'aws';
  /** Structured log sink; stdout JSON lines by default. */
  log?: (entry: Record<string, unknown>) => void;
  // Staff identity
  staff: StaffRepository;
  sessions: SessionStore;
  signInCodes: SignInCodeStore;
  /** Sign-in limits that count only what they let through (core/staff/codes.ts). */
  signInQuota: QuotaCounter;
  /** Hands code SMS to their delivery, off the request path (core/staff/code-delivery.ts). */
  signInCodeQueue: SignInCodeQueue;
  audit: AuditLog;
  /** Who may do what where: one per process, so its cache of region parents is shared by every route. */
  authz: Authorizer;
  /** Keys sign-in code hashes and CSRF tokens (AUTH_SECRET). */
  authSecret: string;
  /** AWS: the secret CloudFront adds as X-Origin-Verify; required there on every request (middleware/origin.ts). */
  originSecret?: string;
  // Prices
  prices: PriceRepository;
  /** Approved prices across markets and commodities (GET /prices and /prices.csv without a market). */
  openPrices: OpenPriceReader;
  /** The newest open-data snapshot's file list (the /open-data page). */
  openDataSnapshots: OpenDataSnapshots;
  /** The public bucket's open-data files, where this run has it (locally: GET /open-data/*; AWS: CloudFront serves them). */
  openDataFiles?: { get(key: string): Promise<PublicFile | undefined> };
  /** The reference catalog (names → ids), cached. */
  catalog: () => Promise<Catalog>;
  // Exchange
  /** The market exchange: offers, search, moderation (core/exchange/service.ts); it authorizes and audit-logs itself. */
  exchange: ExchangeService;
  // Broadcasts
  /** Targeted SMS broadcasts (core/broadcasts/service.ts); it authorizes and audit-logs itself. */
  broadcasts: BroadcastService;
  /** The guidance library: guides, bulletins, alerts (core/knowledge/service.ts); it authorizes and audit-logs itself. */
  knowledge?: KnowledgeService;
  /** The experts' questions (ASK): the queue, answers, the dashboard's figures. */
  questions?: QuestionService;
  /** The files bucket: attachments (presigned POST uploads) and the local `/files/*` route. */
  attachments?: AttachmentFiles;
  /** The SMS signatures (SMS_SIGNATURE, SMS_SIGNATURE_GSM): the broadcast form's live segment counter counts them. */
  smsSignature?: { signature: string; gsmSignature: string };
  /** The service's SMS number as the public dials it (SMS_SERVICE_NUMBER); offer pages say "send MSG … to" it. */
  smsNumber?: string;
  // Voice line (staff side)
  /** The prompt studio: clips per language, upload, approval (core/voice/studio.ts); it authorizes and audit-logs itself. */
  voiceStudio?: VoiceStudio;
  /** The call records for the staff dashboard (core/voice/calls.ts). */
  voiceCalls?: VoiceCalls;
  /** Voice audio in the files bucket (clips, spoken questions, recorded answers) and the local `/files/voice/*` route. */
  voiceAudio?: VoiceAudio;
  voiceSettings?: VoiceSettings;
  /** An expert's recorded answer to a question (core/voice/answer-audio.ts). */
  voiceAnswers?: AnswerAudio;
  /** What plays on the line (the local line's clips route asks it for approved recordings). */
  voiceClips?: Pick<ClipRegistry, 'playable'>;
  /** The voice line itself, where this run has it (locally: /dev/voice calls it). */
  voiceLine?: VoiceLine;
}
