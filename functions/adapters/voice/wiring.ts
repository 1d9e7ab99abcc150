/**
 * The voice Lambda's own composition root. Not createDeps: that builds every use-case and the
 * pages' dependencies, and a caller waits on every cold start. This builds only what a call
 * reads and writes — its stores, prices, the library's tips and alerts, ASK — and hands the
 * SMS a call sends (key 8, the help SMS, ASK's acknowledgement) to the sms-send Lambda whole
 * (queue/message-jobs.ts), so the SMS composer stays out of this bundle too.
 * bench `--only=voice` measures the bundle (budget 300 KB).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '#config';
import { createQuestions } from '#core/knowledge/questions.ts';
import { defaultKnowledgeSettings } from '#core/knowledge/settings.ts';
import { jsonLogger } from '#core/log.ts';
import { createCatalog } from '#core/reference/catalog.ts';
import type { MessageJob, Messenger } from '#core/sms/ports.ts';
import { createAuthorizer } from '#core/staff/authz.ts';
import type { PlayClip } from '#core/voice/call.ts';
import type { VoiceAudio, VoiceRecordings } from '#core/voice/ports.ts';
import type { VoiceLine } from '#core/voice/service.ts';
import { defaultVoiceSettings, type VoiceSettings } from '#core/voice/settings.ts';
import { createVoiceLine } from '#core/voice/voice-line.ts';
import { concatWav, readWav } from '#core/voice/wav.ts';
import { CachedReferenceRepository } from '../cached-reference.ts';
import { DynamoAuditLog } from '../dynamodb/audit-log.ts';
import { createDocumentClient } from '../dynamodb/client.ts';
import { DynamoKnowledgeStore } from '../dynamodb/knowledge-store.ts';
import { LatestPriceCache } from '../dynamodb/latest-cache.ts';
import { DynamoPriceRepository } from '../dynamodb/price-repository.ts';
import { DynamoQuestionStore } from '../dynamodb/question-store.ts';
import { DynamoQuotaCounter } from '../dynamodb/quota-counters.ts';
import { DynamoReferenceRepository } from '../dynamodb/reference-repository.ts';
import { DynamoSubscriberRepository } from '../dynamodb/subscriber-repository.ts';
import { handOverMessages } from '../queue/message-jobs.ts';
import { missingQueue, SqsJobQueue } from '../queue/sqs-queue.ts';
import { loadS3Sdk } from '../s3/lazy-client.ts';
import { S3VoiceAudio } from '../s3/voice-audio.ts';
import { voiceStores } from '../voice-stores.ts';
import type { ConnectReplyDeps } from './connect.ts';
import { createRecordingFetcher } from './recordings.ts';

/** What the voice handler is built from (functions/handlers/voice.ts: the TwiML app and Connect's replies). */
export interface VoiceWiring {
  mode: 'local' | 'aws';
  twiml: {
    line: VoiceLine;
    recordings?: VoiceRecordings;
    clipUrl: (clip: PlayClip) => string;
    authToken?: string;
    requireSignature: boolean;
    publicUrl?: string;
    log: (entry: Record<string, unknown>) => void;
  };
  connect: ConnectReplyDeps;
}

/** The VOICE_* limits as the flow takes them. */
export function voiceSettingsFrom(config: Config, placeholders = false): VoiceSettings {
  return {
    ...defaultVoiceSettings,
    maxTries: config.VOICE_MAX_TRIES,
    recordSeconds: config.VOICE_RECORD_SECONDS,
    smsPerCall: config.VOICE_SMS_PER_CALL,
    callsPerDay: config.VOICE_CALLS_PER_DAY,
    placeholders,
  };
}

/** Where a provider fetches a clip: the edge's `/files/<key>`; a placeholder (local only) from /dev/voice. */
export const clipUrlFrom =
  (audio: Pick<VoiceAudio, 'url'> | undefined) =>
  (clip: PlayClip): string =>
    clip.key && audio ? audio.url(clip.key) : `/dev/voice/clips/${clip.lang}/${clip.id}.wav`;

/** The Lambda's dependencies from its validated config (capability `voice`: functions/handlers/capabilities.ts). */
export function voiceHandlerDeps(config: Config, db?: DynamoDBDocumentClient): VoiceWiring {
  const log = jsonLogger(config.LOG_LEVEL);
  const now = () => new Date();
  const tableName = config.TABLE_NAME;
  const client = db ?? createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  if (!config.BUCKET_NAME)
    throw new Error('BUCKET_NAME is not set: the voice line keeps its audio in the files bucket');
  const bucket = config.BUCKET_NAME;
  const publicUrl = config.VOICE_PUBLIC_URL?.replace(/\/+$/, '');
  // The S3 SDK loads when a turn first touches audio (a recording, Connect's joined prompt), not at start.
  const stores = voiceStores(
    client,
    tableName,
    new S3VoiceAudio(loadS3Sdk({ region: config.AWS_REGION }), bucket, publicUrl ? `${publicUrl}/files` : '/files'),
  );
  const audio = stores.audio!;

  const reference = new CachedReferenceRepository(new DynamoReferenceRepository(client, tableName));
  const catalog = createCatalog(reference);
  reference.onChange(catalog.invalidate);
  const authz = createAuthorizer(reference);
  const regionPath = (id: string) => authz.regionPath(id);
  const queueUrl = config.APP_MODE === 'aws' ? config.SMS_QUEUE_URL : undefined;
  const queue = queueUrl ? new SqsJobQueue<MessageJob>(config.AWS_REGION, queueUrl) : missingQueue('hand over SMS');
  // handOverMessages builds its messenger from nothing of the composition's parts.
  const messenger: Messenger = handOverMessages(queue).messenger(undefined as never, undefined as never);
  const questions = createQuestions({
    authz,
    audit: new DynamoAuditLog(client, tableName),
    now,
    store: new DynamoQuestionStore(client, tableName),
    quota: new DynamoQuotaCounter(client, tableName),
    messenger,
    catalog,
    // ASK's acknowledgement is composed by sms-send; only experts' answers are counted, never here.
    countSegments: () => Promise.reject(new Error('the voice Lambda counts no SMS')),
    settings: {
      ...defaultKnowledgeSettings,
      escalateToPrefectureHours: config.ASK_ESCALATE_PREFECTURE_HOURS,
      escalateToAllHours: config.ASK_ESCALATE_ALL_HOURS,
      answerWithinHours: config.ASK_ANSWER_WITHIN_HOURS,
      askDailyLimit: config.ASK_DAILY_LIMIT,
    },
    log,
  });
  const hosts = config.VOICE_RECORDING_HOSTS;
  const sid = config.VOICE_TWILIO_ACCOUNT_SID;
  const token = config.VOICE_TWILIO_AUTH_TOKEN;
  const recordings = createRecordingFetcher({
    audio,
    hosts,
    readWav,
    log,
    ...(sid && token ? { basicAuth: { user: sid, password: token } } : {}),
  });

  const line = createVoiceLine({
    calls: stores.calls,
    callers: stores.callers,
    counters: stores.counters,
    clips: stores.clips,
    subscribers: new DynamoSubscriberRepository(client, tableName, regionPath),
    prices: new DynamoPriceRepository(client, tableName, new LatestPriceCache(5_000)),
    library: new DynamoKnowledgeStore(client, tableName, regionPath, catalog),
    questions,
    recordings,
    messenger,
    catalog,
    allowedCallingCodes: config.SMS_ALLOWED_COUNTRIES,
    settings: voiceSettingsFrom(config),
    now,
    log,
  });

  return {
    mode: config.APP_MODE,
    twiml: {
      line,
      recordings,
      clipUrl: clipUrlFrom(audio),
      ...(token ? { authToken: token } : {}),
      requireSignature: config.APP_MODE === 'aws',
      ...(publicUrl ? { publicUrl } : {}),
      log,
    },
    connect: {
      audio,
      concat: concatWav,
      // Connect's "Play prompt" reads the object from S3 itself (the bucket policy lets the instance).
      promptUrl: (key) => `https://${bucket}.s3.${config.AWS_REGION}.amazonaws.com/${key}`,
    },
  };
}
