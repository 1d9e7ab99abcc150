/**
 * The one place that chooses adapters. (Files in S3 are wired only where they are used —
 * the local stack today, export jobs later — so the http Lambda does not carry the S3 SDK.) Handlers and the local server call this with
 * validated config (plus the endpoints of the embedded stand-ins, when local); domain and
 * route code never know which runtime they are in.
 */

import { randomBytes } from 'node:crypto';
import { type Config, smsGatewayOf } from '#config';
import { createBroadcasts } from '#core/broadcasts/broadcasts.ts';
import type { BroadcastService } from '#core/broadcasts/service.ts';
import { type BroadcastSettings, defaultBroadcastSettings } from '#core/broadcasts/settings.ts';
import { createExchange } from '#core/exchange/exchange.ts';
import { defaultExchangeSettings, type ExchangeSettings } from '#core/exchange/settings.ts';
import { createKnowledge } from '#core/knowledge/knowledge.ts';
import type { QuestionAudio } from '#core/knowledge/ports.ts';
import { createQuestions } from '#core/knowledge/questions.ts';
import type { QuestionService } from '#core/knowledge/service.ts';
import { defaultKnowledgeSettings, type KnowledgeSettings } from '#core/knowledge/settings.ts';
import { jsonLogger, type LogLevel } from '#core/log.ts';
import { createCatalog } from '#core/reference/catalog.ts';
import type { AdmissionDeps } from '#core/sms/admission.ts';
import type { Transliterate } from '#core/sms/compose-sms.ts';
import { composeSms } from '#core/sms/compose-sms.ts';
import { type MessageJob, messageRequest } from '#core/sms/message-jobs.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import type { createMessenger, MessengerDeps, SendLines } from '#core/sms/messenger.ts';
import type { Messenger, OutboundQueue, SmsGateway } from '#core/sms/ports.ts';
import { type SenderDeps, sendQueuedSms } from '#core/sms/sender.ts';
import { createAuthorizer } from '#core/staff/authz.ts';
import { createAnswerAudio } from '#core/voice/answer-audio.ts';
import { defaultVoiceSettings, type VoiceSettings } from '#core/voice/settings.ts';
import { type BroadcastRuntimeSettings, broadcastRuntime, broadcastRuntimeSettingsFrom } from './broadcast-wiring.ts';
import { CachedReferenceRepository } from './cached-reference.ts';
import { DynamoAlertStore } from './dynamodb/alert-store.ts';
import { DynamoAudienceReader } from './dynamodb/audience.ts';
import { DynamoAuditLog } from './dynamodb/audit-log.ts';
import { DynamoBroadcastStore } from './dynamodb/broadcast-store.ts';
import { createDocumentClient } from './dynamodb/client.ts';
import { DynamoRateLimiter, DynamoSmsBudget } from './dynamodb/counters.ts';
import { DynamoExchangeStore } from './dynamodb/exchange-store.ts';
import { DynamoHealthProbe } from './dynamodb/health.ts';
import { DynamoInboundClaims } from './dynamodb/inbound-claims.ts';
import { DynamoKnowledgeStore } from './dynamodb/knowledge-store.ts';
import { LatestPriceCache } from './dynamodb/latest-cache.ts';
import { DynamoOpenDataSnapshots } from './dynamodb/open-data-snapshots.ts';
import { DynamoOpenPrices } from './dynamodb/open-prices.ts';
import { DynamoOutboundStore } from './dynamodb/outbound-store.ts';
import { DynamoCommodityIndexBackfill } from './dynamodb/price-index-backfill.ts';
import { DynamoPriceRepository } from './dynamodb/price-repository.ts';
import { DynamoQuestionStore } from './dynamodb/question-store.ts';
import { DynamoQuotaCounter } from './dynamodb/quota-counters.ts';
import { DynamoReferenceRepository } from './dynamodb/reference-repository.ts';
import { DynamoSessionStore } from './dynamodb/sessions.ts';
import { DynamoSignInCodeStore } from './dynamodb/sign-in-codes.ts';
import { DynamoStaffRepository } from './dynamodb/staff-repository.ts';
import { DynamoSubscriberRepository } from './dynamodb/subscriber-repository.ts';
import { LocalQueue } from './queue/local-queue.ts';
import { missingQueue, SqsOutboundQueue } from './queue/sqs-queue.ts';
import { S3AttachmentFiles } from './s3/attachments.ts';
import { loadS3Sdk, type S3Loader } from './s3/lazy-client.ts';
import { S3PublicFiles } from './s3/public-files.ts';
import { S3VoiceAudio } from './s3/voice-audio.ts';
import { signInWiring } from './sign-in-wiring.ts';
import { type AliyunSettings, aliyunParts, registryNamed } from './sms/aliyun-wiring.ts';
import { createEumClient, EndUserMessagingGateway } from './sms/end-user-messaging.ts';
import { LocalOutboxGateway } from './sms/local-outbox.ts';
import { type VoiceStores, voiceStores } from './voice-stores.ts';

/** How long a process may answer a commodity's latest prices from memory (its own publications drop them at once). */
export const LATEST_PRICES_TTL_MS = 5_000;
export interface SmsSettings {
  signature: string;
  gsmSignature: string;
  allowedCallingCodes: string[];
  dailySegmentLimit: number;
  /** The absolute daily cap: nothing but STOP confirmations past it (SMS_DAILY_HARD_LIMIT). */
  dailyHardLimit: number;
  inboundPerHour: number;
  /** The number the public sends SMS to (SMS_SERVICE_NUMBER), for pages to show. */
  serviceNumber?: string;
  /** AWS: the queue replies go to; unset on functions that do not send. */
  queueUrl?: string;
  /** AWS: the sender's origination identity; unset except on the sender. */
  originationIdentity?: string;
  configurationSet?: string;
  /** Endpoint override for End User Messaging (tests point it at a loopback stand-in). */
  eumEndpoint?: string;
  /** Where SMS go out (SMS_GATEWAY); unset: the local outbox locally, End User Messaging in AWS. */
  gateway?: 'eum' | 'aliyun' | 'outbox';
  /** Alibaba Cloud SMS, with gateway `aliyun` (adapters/sms/aliyun-wiring.ts). */
  aliyun?: AliyunSettings;
}

export interface StorageSettings {
  mode: 'local' | 'aws';
  region: string;
  tableName: string;
  /** DynamoDB-protocol endpoint (dynalite, DynamoDB Local); unset in AWS. */
  dynamoEndpoint?: string;
  /** The files bucket; unset on a Lambda without the `files` capability (config.ts). */
  bucketName?: string;
  /** The public bucket open-data snapshots are written to (PUBLIC_BUCKET_NAME); unset on a Lambda without `openData`. */
  publicBucketName?: string;
  /** S3-protocol endpoint (s3rver); unset in AWS. */
  s3Endpoint?: string;
  sms: SmsSettings;
  adminPhones: string[];
  /** AUTH_SECRET; config requires it in AWS. */
  authSecret?: string;
  /** ORIGIN_SECRET: the header CloudFront adds, without which the app answers nothing in AWS. */
  originSecret?: string;
  /** Where the local gateway prints sent SMS (the terminal under npm start). */
  print?: (line: string) => void;
  /** Least severe level written to the log (LOG_LEVEL). */
  logLevel?: LogLevel;
  /** Where log entries go instead of JSON lines on stdout (the SMS CLI keeps stdout for replies). */
  log?: (entry: Record<string, unknown>) => void;
  /** The exchange's limits; unset: the defaults (core/exchange/settings.ts). */
  exchange?: Partial<ExchangeSettings>;
  /** Broadcasts' limits, quiet hours and send rate; unset: the defaults (core/broadcasts/settings.ts). */
  broadcasts?: Partial<BroadcastSettings>;
  /** Broadcasts' send rate, bulk queue and one-time schedules (broadcast-wiring.ts). */
  broadcastRuntime?: BroadcastRuntimeSettings;
  /** The knowledge library's limits and the experts' escalation ladder; unset: the defaults (core/knowledge/settings.ts). */
  knowledge?: Partial<KnowledgeSettings>;
  /** Where the public fetches attachments: the CloudFront `/files` origin in AWS; unset: the app's own `/files`. */
  filesBaseUrl?: string;
}

function smsDeps(
  settings: StorageSettings,
  db: ReturnType<typeof createDocumentClient>,
  now: () => Date,
  log: (entry: Record<string, unknown>) => void,
  /** The broadcasts' gate and the opt-out check the sender applies to broadcast SMS. */
  broadcastChecks: Pick<SenderDeps, 'broadcasts' | 'subscribers'>,
) {
  const outbound = new DynamoOutboundStore(db, settings.tableName);
  const budget = new DynamoSmsBudget(db, settings.tableName);
  // A log line that a metric filter turns into the alarm (infra/constructs/sms-alarms.ts), in
  // every function that records SMS: the messenger applies the guards where it runs.
  const alarm: AdmissionDeps['alarm'] = (event) => log({ level: 'warn', msg: 'sms alarm', ...event });
  const admission: AdmissionDeps = {
    outbound,
    budget,
    allowedCallingCodes: settings.sms.allowedCallingCodes,
    dailySegmentLimit: settings.sms.dailySegmentLimit,
    dailyHardLimit: settings.sms.dailyHardLimit,
    alarm,
    now,
  };
  const gatewayName = settings.sms.gateway ?? (settings.mode === 'local' ? 'outbox' : 'eum');
  const aliyun =
    gatewayName === 'aliyun'
      ? aliyunParts(
          settings.sms.aliyun ?? {
            endpoint: 'https://dysmsapi.aliyuncs.com',
            region: 'cn-hangzhou',
            templates: 'default',
          },
          { outbound, signature: settings.sms.signature, log },
        )
      : undefined;
  const gateway: SmsGateway = aliyun
    ? aliyun.gateway
    : gatewayName === 'outbox'
      ? new LocalOutboxGateway(settings.print)
      : new EndUserMessagingGateway(
          () => createEumClient({ region: settings.region, endpoint: settings.sms.eumEndpoint }),
          {
            originationIdentity: settings.sms.originationIdentity ?? '',
            configurationSet: settings.sms.configurationSet,
          },
        );
  // The segments each sent SMS cost, and what finally failed: metric filters sum these lines
  // (infra/constructs/monitoring.ts), so they are written at info like any other line.
  const report: SenderDeps['report'] = (event) =>
    log({
      level: event.kind === 'sms_failed' ? 'warn' : 'info',
      msg: event.kind === 'sms_failed' ? 'sms failed' : 'sms sent',
      ...event,
    });
  const sender: SenderDeps = { ...admission, outbound, gateway, ...broadcastChecks, report };
  // In AWS only the sender Lambda may reach the gateway: a function without a queue fails
  // the send loudly rather than trying to send by itself.
  const queue: OutboundQueue =
    settings.mode === 'local'
      ? new LocalQueue(sender)
      : settings.sms.queueUrl
        ? new SqsOutboundQueue(settings.region, settings.sms.queueUrl)
        : missingQueue('queue SMS');
  return { outbound, sender, queue, admission, budget, aliyun };
}

/** The messenger that composes SMS where they are made (adapters/sms-composition.ts). */
export type ComposingMessenger = ReturnType<typeof createMessenger>;
/** What a messenger is built from, but the queue it hands its messages to. */
export type MessengerParts = Omit<MessengerDeps, 'queue' | 'toWylie'>;

/**
 * How this function's SMS are composed: where they are made (`composeHere`, every function but
 * one) or handed over whole to the sms-send Lambda (`handOverMessages`, the http Lambda, which
 * so carries no composer: see core/sms/message-jobs.ts). Passed in, not imported here, so that
 * a function's bundle holds only the one it uses.
 */
export interface SmsComposition<M extends Messenger> {
  messenger(parts: MessengerParts, queue: OutboundQueue): M;
  /**
   * Tibetan → Wylie, for the broadcast preview's renderings (staff pages and the API, in the
   * http Lambda too). A promise, so that a function can load the transliterator only when a
   * preview asks for it. Unset: this function previews no broadcast.
   */
  toWylie?: () => Promise<Transliterate>;
}

const composes = (m: Messenger): m is ComposingMessenger => 'sendLines' in m;

/** What a capability added to createDeps builds its parts from: the root's own client and stores. */
export interface RootParts {
  db: ReturnType<typeof createDocumentClient>;
  prices: DynamoPriceRepository;
}

/** What createDeps builds for every function, before the parts a function adds (`addParts`). */
export type BaseDeps<M extends Messenger> = ReturnType<typeof buildBase<M>>['deps'];

/**
 * Builds every dependency once, into one object that is not extended afterwards. A function
 * that needs more than the common parts names them by `addParts` (priceImportParts in
 * import-wiring.ts, inboundSmsParts in inbound-wiring.ts), so that only its bundle carries their
 * code. `addParts` gets the common parts and `self`, the finished object, read at call time:
 * tests replace `log` or `now` on it, and every closure must see the replacement.
 */
export function createDeps<M extends Messenger, X extends object = object>(
  settings: StorageSettings,
  composition: SmsComposition<M>,
  addParts?: (parts: RootParts & { base: BaseDeps<M> }, self: () => BaseDeps<M>) => X,
) {
  const { parts, deps: base } = buildBase(settings, composition, () => deps);
  const deps: BaseDeps<M> & X = { ...base, ...(addParts?.({ ...parts, base }, () => deps) as X) };
  return deps;
}

function buildBase<M extends Messenger>(
  settings: StorageSettings,
  composition: SmsComposition<M>,
  self: () => { log: (entry: Record<string, unknown>) => void; now: () => Date },
) {
  const db = createDocumentClient({ region: settings.region, endpoint: settings.dynamoEndpoint });
  const now = () => new Date();
  // Read at call time: the authorizer (below) holds the one cache of region parents.
  const regionPath = (id: string) => authz.regionPath(id);
  // The audience index of broadcasts is kept as subscribers change (home region path × topics).
  const subscribers = new DynamoSubscriberRepository(db, settings.tableName, regionPath);
  // The gate closes over the service made below: the sender asks it only when sending, on the
  // app's clock (quiet hours are the service's; tests move that clock).
  const broadcastChecks: Pick<SenderDeps, 'broadcasts' | 'subscribers'> = {
    broadcasts: { gate: (id) => broadcasts.gate(id, self().now()) },
    subscribers,
  };
  const sms = smsDeps(settings, db, now, (entry) => self().log(entry), broadcastChecks);
  const parts: MessengerParts = {
    subscribers,
    outbound: sms.outbound,
    signature: { signature: settings.sms.signature, gsmSignature: settings.sms.gsmSignature },
    now,
    admission: sms.admission,
    // A template gateway whose provider takes no Tibetan script: Tibetan readers get Wylie or Chinese.
    ...(sms.aliyun?.tibetanAs ? { tibetanAs: sms.aliyun.tibetanAs } : {}),
  };
  const messenger = composition.messenger(parts, sms.queue);
  /**
   * A messenger that sends at once instead of queueing: for the sms-send Lambda, which is the
   * sender (a retryable gateway failure throws, and SQS brings the job back; the idempotency
   * key keeps the SMS one). `finalAttempt` records a failure as failed instead of throwing.
   */
  const sendingNow = (finalAttempt: boolean) => {
    const direct = composition.messenger(parts, {
      enqueue: async (messages) => {
        for (const m of messages) await sendQueuedSms(sms.sender, m.id, finalAttempt);
      },
    });
    if (!composes(direct)) throw new Error('this function composes no SMS');
    return direct;
  };
  const linesNow = (finalAttempt: boolean): ((input: SendLines) => Promise<OutboundSms>) =>
    sendingNow(finalAttempt).sendLines;
  const reference = new CachedReferenceRepository(new DynamoReferenceRepository(db, settings.tableName));
  // On the deps' clock (read at each claim), as the pipeline is: a claim's age and the time a
  // rerun or a replay comes are measured on one clock, which tests and the chaos harness move.
  const claims = new DynamoInboundClaims(db, settings.tableName, () => self().now());
  const rateLimiter = new DynamoRateLimiter(db, settings.tableName);
  const catalog = createCatalog(reference);
  reference.onChange(catalog.invalidate);
  const identity = staffIdentity(db, settings);
  // Latest prices answer from memory for up to 5 s (see latest-cache.ts).
  const prices = new DynamoPriceRepository(db, settings.tableName, new LatestPriceCache(LATEST_PRICES_TTL_MS));
  const audit = identity.audit;
  const authz = createAuthorizer(reference);
  const runtime = broadcastRuntime(settings, {
    db,
    sender: sms.sender,
    run: (id, at) => broadcasts.run(id, at),
    log: (entry) => self().log(entry),
  });
  const broadcasts: BroadcastService = createBroadcasts({
    authz,
    audit,
    now: () => self().now(),
    store: new DynamoBroadcastStore(db, settings.tableName, regionPath),
    audience: new DynamoAudienceReader(db, settings.tableName),
    scheduler: runtime.scheduler,
    outbound: sms.outbound,
    bulkQueue: runtime.bulkQueue,
    budget: sms.budget,
    dailySegmentLimit: settings.sms.dailySegmentLimit,
    catalog,
    signature: parts.signature,
    toWylie:
      composition.toWylie ??
      (() => Promise.reject(new Error('this function previews no broadcast (its composition has no toWylie)'))),
    settings: { ...defaultBroadcastSettings, ...settings.broadcasts },
    log: (entry) => self().log(entry),
    ...(sms.aliyun?.freeTextRefused ? { freeTextRefused: true } : {}),
  });
  // One client for the files bucket (attachments, voice audio), where this function has it.
  // Loaded when a request first touches a file (lazy-client.ts): most pages only link them.
  const s3 =
    settings.bucketName || settings.publicBucketName
      ? loadS3Sdk({ region: settings.region, endpoint: settings.s3Endpoint })
      : undefined;
  const voice = voiceStores(
    db,
    settings.tableName,
    s3 && settings.bucketName
      ? new S3VoiceAudio(s3, settings.bucketName, settings.filesBaseUrl ?? '/files')
      : undefined,
  );
  const knowledgeParts = knowledgeWiring(settings, {
    db,
    s3,
    voiceAudio: voice.audio,
    regionPath,
    catalog,
    authz,
    audit,
    broadcasts,
    messenger,
    signature: parts.signature,
    toWylie: composition.toWylie,
    self,
  });
  const smsRegistry = registryNamed(settings.sms.aliyun?.templates ?? 'default');
  const deps = {
    mode: settings.mode,
    now,
    adminPhones: settings.adminPhones,
    // The deployment's registry (SMS_TEMPLATES): the staff page shows its Tibetan choice.
    smsTemplates: {
      deployment: smsRegistry.deployment,
      tibetanScript: smsRegistry.tibetanScript,
      generalNotice: smsRegistry.generalNotice !== null,
    },
    smsSettings: settings.sms,
    smsSignature: parts.signature,
    /** The gateway's status pull (job sms-reconcile) and push token: Alibaba Cloud SMS only. */
    ...(sms.aliyun ? { smsReconcile: sms.aliyun.smsReconcile, aliyunPushToken: sms.aliyun.pushToken } : {}),
    /** How Tibetan readers are written to where the template gateway takes no Tibetan script (the inbound pipeline's replies). */
    ...(sms.aliyun?.tibetanAs ? { smsTibetanAs: sms.aliyun.tibetanAs } : {}),
    ...(settings.sms.serviceNumber ? { smsNumber: settings.sms.serviceNumber } : {}),
    reference,
    catalog,
    /** Region checks for every staff route and page (core/staff/guard.ts), with one cache of region parents. */
    authz,
    health: new DynamoHealthProbe(db, settings.tableName),
    prices,
    /** Approved prices across markets and commodities (open data). */
    openPrices: new DynamoOpenPrices(db, settings.tableName),
    /** The newest open-data snapshot's file list (the /open-data page; the job writes it). */
    openDataSnapshots: new DynamoOpenDataSnapshots(db, settings.tableName),
    /** The public bucket's open-data/ folder, where this function has it (the `open-data` job; locally GET /open-data/*). */
    ...(s3 && settings.publicBucketName ? { openDataFiles: new S3PublicFiles(s3, settings.publicBucketName) } : {}),
    /** One-off: the commodity index on approved prices stored before it existed (run by the sweep and on local start). */
    priceIndexBackfill: new DynamoCommodityIndexBackfill(db, settings.tableName, async () => [
      ...(await catalog()).markets.keys(),
    ]),
    /** Who follows which topic, and the daily price digest's state (core/alerts). */
    alerts: new DynamoAlertStore(db, settings.tableName),
    subscribers,
    claims,
    rateLimiter,
    messenger,
    /** sms-send: composes and sends a message another function handed over (core/sms/message-jobs.ts). */
    deliverMessage: (job: MessageJob, finalAttempt = false) => sendingNow(finalAttempt).send(messageRequest(job)),
    ...sms,
    ...identity,
    // Sign-in limits and the delivery of codes, off the request path (core/staff/code-delivery.ts).
    ...signInWiring({
      mode: settings.mode,
      region: settings.region,
      tableName: settings.tableName,
      queueUrl: settings.sms.queueUrl,
      db,
      staff: identity.staff,
      subscribers,
      ...(composes(messenger) ? { sendLines: messenger.sendLines } : {}),
      linesNow,
      adminPhones: settings.adminPhones,
      authSecret: identity.authSecret,
      now,
      log: (entry) => self().log(entry),
    }),
    originSecret: settings.originSecret,
    /** Targeted SMS broadcasts (core/broadcasts): staff use-cases, the fan-out jobs, the sender's gate. */
    broadcasts,
    /** Where broadcast SMS wait for the paced sender, and their one-time schedules (adapters/broadcast-wiring.ts). */
    broadcastRuntime: runtime,
    /** The market exchange (core/exchange): offers by SMS and web, matching, relays, moderation. */
    exchange: createExchange({
      store: new DynamoExchangeStore(db, settings.tableName),
      prices,
      subscribers,
      catalog,
      messenger,
      rateLimiter,
      audit,
      authz,
      settings: { ...defaultExchangeSettings, ...settings.exchange },
      // Read at call time: tests replace the clock and the log on the finished deps.
      now: () => self().now(),
      log: (entry) => self().log(entry),
    }),
    /** The guidance library, the experts' questions and the files bucket's attachments (core/knowledge). */
    ...knowledgeParts,
    /** The voice line's calls, callers, ask counters, clips and audio (adapters/voice-stores.ts). */
    voiceStores: voice,
    /** The voice line's staff side: the prompt studio, the call records, experts' recorded answers. */
    ...voiceStaffWiring(voice, {
      authz,
      audit,
      catalog,
      questions: knowledgeParts.questions,
      settings: defaultVoiceSettings,
      self,
    }),
    log: settings.log ?? jsonLogger(settings.logLevel),
  };
  return { parts: { db, prices } satisfies RootParts, deps };
}

/**
 * The knowledge library (guides, bulletins, alerts) and the experts' questions, on the same
 * table, authorizer, audit log and broadcasts as the rest; attachments when this function has
 * the files bucket (BUCKET_NAME).
 */
function knowledgeWiring(
  settings: StorageSettings,
  input: {
    db: ReturnType<typeof createDocumentClient>;
    s3: S3Loader | undefined;
    /** Spoken questions' and recorded answers' audio (DELETE ME deletes the number's). */
    voiceAudio: QuestionAudio | undefined;
    regionPath: (id: string) => Promise<string[] | undefined>;
    catalog: ReturnType<typeof createCatalog>;
    authz: ReturnType<typeof createAuthorizer>;
    audit: DynamoAuditLog;
    broadcasts: BroadcastService;
    messenger: Messenger;
    signature: { signature: string; gsmSignature: string };
    toWylie: (() => Promise<Transliterate>) | undefined;
    self: () => { log: (entry: Record<string, unknown>) => void; now: () => Date };
  },
) {
  const { db, catalog, authz, audit, self } = input;
  const knowledgeSettings: KnowledgeSettings = { ...defaultKnowledgeSettings, ...settings.knowledge };
  const questionStore = new DynamoQuestionStore(db, settings.tableName);
  const attachments =
    settings.bucketName && input.s3
      ? new S3AttachmentFiles(input.s3, settings.bucketName, settings.filesBaseUrl ?? '/files')
      : undefined;
  const toWylie =
    input.toWylie ?? (() => Promise.reject(new Error('this function counts no SMS (its composition has no toWylie)')));
  const now = () => self().now();
  const log = (entry: Record<string, unknown>) => self().log(entry);
  return {
    knowledge: createKnowledge({
      authz,
      audit,
      now,
      store: new DynamoKnowledgeStore(db, settings.tableName, input.regionPath, catalog),
      questions: questionStore,
      broadcasts: input.broadcasts,
      ...(attachments ? { files: attachments } : {}),
      catalog,
      signature: input.signature,
      toWylie,
      settings: knowledgeSettings,
      log,
    }),
    questions: createQuestions({
      authz,
      audit,
      now,
      store: questionStore,
      quota: new DynamoQuotaCounter(db, settings.tableName),
      messenger: input.messenger,
      catalog,
      countSegments: async ({ lang, script, lines }) =>
        composeSms({ lang, script, lines, footer: false, maxSegments: 50 }, input.signature, await toWylie()).segments,
      settings: knowledgeSettings,
      log,
      ...(input.voiceAudio ? { audio: input.voiceAudio } : {}),
    }),
    ...(attachments ? { attachments } : {}),
  };
}

/**
 * The voice line's staff side every page function has, on the same authorizer, audit log and
 * catalog as the rest: the expert's recorded answer and the audio itself where this function has
 * the files bucket. The prompt studio and the call records are the voice-studio function's
 * (voiceStudioParts in ./voice-studio-wiring.ts): the studio's scripts and number tables stay out
 * of the http bundle.
 */
function voiceStaffWiring(
  voice: VoiceStores,
  input: {
    authz: ReturnType<typeof createAuthorizer>;
    audit: DynamoAuditLog;
    catalog: ReturnType<typeof createCatalog>;
    questions: QuestionService;
    settings: VoiceSettings;
    self: () => { log: (entry: Record<string, unknown>) => void; now: () => Date };
  },
) {
  const { authz, audit, settings, self } = input;
  const now = () => self().now();
  const audio = voice.audio;
  return {
    voiceSettings: settings,
    voiceClips: voice.clips,
    ...(audio
      ? {
          voiceAudio: audio,
          voiceAnswers: createAnswerAudio({ authz, audit, now, questions: input.questions, audio, settings }),
        }
      : {}),
  };
}

/** Settings from validated config (AWS: the Lambda's own region and the stack's resources). */
export function storageSettingsFrom(config: Config): StorageSettings {
  return {
    mode: config.APP_MODE,
    region: config.AWS_REGION,
    tableName: config.TABLE_NAME,
    dynamoEndpoint: config.DYNAMODB_ENDPOINT,
    bucketName: config.BUCKET_NAME,
    ...(config.PUBLIC_BUCKET_NAME ? { publicBucketName: config.PUBLIC_BUCKET_NAME } : {}),
    adminPhones: config.ADMIN_PHONES,
    logLevel: config.LOG_LEVEL,
    authSecret: config.AUTH_SECRET,
    exchange: {
      offerDays: config.EXCHANGE_OFFER_DAYS,
      maxOpenPerNumber: config.EXCHANGE_MAX_OPEN,
      maxPostsPerDay: config.EXCHANGE_MAX_POSTS_PER_DAY,
      matchNoticesPerDay: config.EXCHANGE_MATCH_NOTICES_PER_DAY,
      relaysPerDay: config.EXCHANGE_RELAYS_PER_DAY,
      relaysPerOfferPerDay: config.EXCHANGE_RELAYS_PER_OFFER_PER_DAY,
    },
    broadcasts: {
      approvalThreshold: config.BROADCAST_APPROVAL_THRESHOLD,
      segmentPriceFen: config.BROADCAST_SEGMENT_PRICE_FEN,
      quietStart: config.QUIET_HOURS_START,
      quietEnd: config.QUIET_HOURS_END,
      sendRate: config.SMS_SEND_RATE,
    },
    ...(config.APP_MODE === 'aws' && config.ORIGIN_SECRET ? { originSecret: config.ORIGIN_SECRET } : {}),
    broadcastRuntime: broadcastRuntimeSettingsFrom(config),
    knowledge: {
      escalateToPrefectureHours: config.ASK_ESCALATE_PREFECTURE_HOURS,
      escalateToAllHours: config.ASK_ESCALATE_ALL_HOURS,
      answerWithinHours: config.ASK_ANSWER_WITHIN_HOURS,
      askDailyLimit: config.ASK_DAILY_LIMIT,
    },
    ...(config.FILES_BASE_URL ? { filesBaseUrl: config.FILES_BASE_URL } : {}),
    sms: {
      signature: config.SMS_SIGNATURE,
      gsmSignature: config.SMS_SIGNATURE_GSM,
      allowedCallingCodes: config.SMS_ALLOWED_COUNTRIES,
      dailySegmentLimit: config.SMS_DAILY_SEGMENT_LIMIT,
      dailyHardLimit: config.SMS_DAILY_HARD_LIMIT,
      inboundPerHour: config.SMS_INBOUND_PER_HOUR,
      ...(config.SMS_SERVICE_NUMBER ? { serviceNumber: config.SMS_SERVICE_NUMBER } : {}),
      gateway: smsGatewayOf(config),
      aliyun: {
        endpoint: config.ALIYUN_SMS_ENDPOINT,
        region: config.ALIYUN_SMS_REGION,
        templates: config.SMS_TEMPLATES,
        ...(config.APP_MODE === 'local'
          ? {
              ...(config.ALIYUN_ACCESS_KEY_ID ? { accessKeyId: config.ALIYUN_ACCESS_KEY_ID } : {}),
              ...(config.ALIYUN_ACCESS_KEY_SECRET ? { accessKeySecret: config.ALIYUN_ACCESS_KEY_SECRET } : {}),
              ...(config.ALIYUN_PUSH_TOKEN ? { pushToken: config.ALIYUN_PUSH_TOKEN } : {}),
            }
          : {
              ...(config.ALIYUN_SECRET_ARN ? { secretArn: config.ALIYUN_SECRET_ARN } : {}),
              secretsRegion: config.AWS_REGION,
              ...(config.SECRETS_MANAGER_ENDPOINT ? { secretsEndpoint: config.SECRETS_MANAGER_ENDPOINT } : {}),
            }),
      },
      ...(config.APP_MODE === 'aws'
        ? {
            queueUrl: config.SMS_QUEUE_URL,
            originationIdentity: config.EUM_ORIGINATION_IDENTITY,
            configurationSet: config.EUM_CONFIGURATION_SET,
          }
        : {}),
    },
  };
}

/** Staff sign-in, sessions, staff accounts and the audit log. */
function staffIdentity(db: ReturnType<typeof createDocumentClient>, settings: StorageSettings) {
  return {
    staff: new DynamoStaffRepository(db, settings.tableName),
    sessions: new DynamoSessionStore(db, settings.tableName),
    signInCodes: new DynamoSignInCodeStore(db, settings.tableName),
    audit: new DynamoAuditLog(db, settings.tableName),
    // Local mode may leave AUTH_SECRET unset: then each process makes its own, and codes (and
    // CSRF tokens) issued before a restart stop working — sessions survive (plain hashes).
    // Config requires it in AWS, where every Lambda instance must agree.
    authSecret: settings.authSecret ?? randomBytes(32).toString('base64url'),
  };
}
