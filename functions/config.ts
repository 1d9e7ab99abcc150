/**
 * The only reader of process.env. Parsed once with zod; a missing or invalid setting
 * fails fast with the variable's name, so a bad deploy or a typo at the shell is caught
 * before anything listens.
 */
import * as z from '#core/zod.ts';

const str = (min: number, max?: number) => z.string().check(z.minLength(min), ...(max ? [z.maxLength(max)] : []));
const emptyIsUnset = <S extends z.ZodMiniType>(schema: S) =>
  z.pipe(
    z.transform((v: unknown) => (v === '' ? undefined : v)),
    schema,
  );
const list = (item: z.ZodMiniString<string>, fallback: string) =>
  z.pipe(
    z.pipe(
      z._default(z.string(), fallback),
      z.transform((s: string) =>
        s
          .split(',')
          .map((p) => p.trim().replace(/^\+(?=\d{1,3}$)/, ''))
          .filter(Boolean),
      ),
    ),
    z.array(item),
  );
const int = (min: number, max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max)), fallback);

const phoneList = list(
  z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, 'each phone must be E.164, e.g. +8613800000000')),
  '',
);
const optionalUrl = emptyIsUnset(z.optional(z.url()));
const logLevel = z._default(z.enum(['debug', 'info', 'warn', 'error', 'silent']), 'info');

/** Settings of the SMS channel, the same in both modes. */
const smsSettings = {
  SMS_SIGNATURE: z._default(str(1, 20), '【农牧通】'),
  SMS_SIGNATURE_GSM: z._default(str(1, 20), '[Zhingdrok]'),
  /** Calling codes we may send SMS to (SMS-pumping guard), comma-separated. */
  SMS_ALLOWED_COUNTRIES: list(z.string().check(z.regex(/^\d{1,3}$/, 'calling codes like 86')), '86'),
  /** Segments per Asia/Shanghai day before non-essential sending stops. */
  SMS_DAILY_SEGMENT_LIMIT: int(1, 10_000_000, 20000),
  /**
   * Segments per Asia/Shanghai day before ALL sending stops but STOP confirmations (replies and
   * sign-in codes too): the ceiling against a runaway or an attack. Unset: HARD_LIMIT_FACTOR ×
   * SMS_DAILY_SEGMENT_LIMIT. Never below SMS_DAILY_SEGMENT_LIMIT (checked in loadConfig).
   */
  SMS_DAILY_HARD_LIMIT: emptyIsUnset(
    z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100_000_000))),
  ),
  /** Inbound messages per number per hour before we stop answering. */
  SMS_INBOUND_PER_HOUR: int(1, 100_000, 30),
  /** The number the public sends SMS to, as pages show it (e.g. 106900001234); unset: pages name it in words. */
  SMS_SERVICE_NUMBER: emptyIsUnset(
    z.optional(z.string().check(z.regex(/^\+?[0-9]{3,20}$/, 'digits, optionally after +, e.g. 106900001234'))),
  ),
  /**
   * Where SMS go out: `outbox` (the local table only, GET /dev/outbox), `eum` (AWS End User
   * Messaging) or `aliyun` (Alibaba Cloud SMS, template-only: adapters/sms/aliyun-sms.ts).
   * Unset: `outbox` locally, `eum` in AWS (smsGatewayOf).
   */
  SMS_GATEWAY: emptyIsUnset(z.optional(z.enum(['eum', 'aliyun', 'outbox']))),
  /** Alibaba Cloud SMS (Dysmsapi): its endpoint (a loopback stand-in locally) and RegionId. */
  ALIYUN_SMS_ENDPOINT: z._default(z.url(), 'https://dysmsapi.aliyuncs.com'),
  ALIYUN_SMS_REGION: z._default(str(1, 64), 'cn-hangzhou'),
  /** The template registry (templates/<name>.json) a template-only gateway sends through. */
  SMS_TEMPLATES: z._default(
    z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a registry name, e.g. default')),
    'default',
  ),
  /** Asia/Shanghai time of the daily price digest, HH:MM (the local timer; the CDK schedule takes it as context). */
  PRICE_DIGEST_TIME: z._default(
    z.string().check(z.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM, e.g. 18:00')),
    '18:00',
  ),
};

/** The market exchange's limits (core/exchange/settings.ts; the defaults are the issue's). */
const exchangeSettings = {
  /** Days an offer stays open; RENEW gives them again. */
  EXCHANGE_OFFER_DAYS: int(1, 365, 14),
  /** Live offers one number may hold. */
  EXCHANGE_MAX_OPEN: int(1, 1000, 10),
  /** Offers one number may post in an Asia/Shanghai day. */
  EXCHANGE_MAX_POSTS_PER_DAY: int(1, 1000, 10),
  /** Match notices one number receives a day. */
  EXCHANGE_MATCH_NOTICES_PER_DAY: int(0, 1000, 3),
  /** Relayed messages (MSG) one number may send a day, and to one offer a day. */
  EXCHANGE_RELAYS_PER_DAY: int(1, 10_000, 20),
  EXCHANGE_RELAYS_PER_OFFER_PER_DAY: int(1, 10_000, 5),
};

const hhmm = (fallback: string) =>
  z._default(z.string().check(z.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM, e.g. 21:00')), fallback);

/** Broadcasts (core/broadcasts/settings.ts; the defaults are the issue's). */
const broadcastSettings = {
  /** More recipients than this need a second staff member's approval. */
  BROADCAST_APPROVAL_THRESHOLD: int(0, 10_000_000, 1000),
  /** Price of one SMS segment in fen (0.01 yuan), for the cost preview. */
  BROADCAST_SEGMENT_PRICE_FEN: int(0, 100_000, 5),
  /** Asia/Shanghai quiet hours: broadcasts pause from QUIET_HOURS_START and resume at QUIET_HOURS_END. */
  QUIET_HOURS_START: hhmm('21:00'),
  QUIET_HOURS_END: hhmm('08:00'),
  /** Messages per second the gateway takes: the paced sender of broadcasts keeps to it. */
  SMS_SEND_RATE: int(1, 10_000, 20),
};

/** The experts' questions (ASK; core/knowledge/settings.ts; the defaults are the issue's). */
const knowledgeSettings = {
  /** Hours unanswered before a question goes to the prefecture's experts. */
  ASK_ESCALATE_PREFECTURE_HOURS: int(1, 24 * 365, 24),
  /** Hours unanswered before it goes to every expert (after the prefecture's step; checked in loadConfig). */
  ASK_ESCALATE_ALL_HOURS: int(1, 24 * 365, 48),
  /** The answer time the acknowledgement promises the farmer. */
  ASK_ANSWER_WITHIN_HOURS: int(1, 24 * 365, 72),
  /** Questions one number may send an Asia/Shanghai day (new and follow-ups). */
  ASK_DAILY_LIMIT: int(1, 1000, 5),
};

/** The voice line's limits (core/voice/settings.ts; the defaults are the issue's). */
const voiceSettings = {
  /** Unknown keys or silences in a row before the line says goodbye and sends the SMS of how to use it. */
  VOICE_MAX_TRIES: int(1, 10, 3),
  /** A spoken question's longest recording, in seconds. */
  VOICE_RECORD_SECONDS: int(5, 300, 60),
  /** SMS one call may send (key 8 and the help SMS). */
  VOICE_SMS_PER_CALL: int(0, 20, 3),
  /** Calls one number may make an Asia/Shanghai day before the line only says goodbye. */
  VOICE_CALLS_PER_DAY: int(1, 10_000, 30),
};

/** The telephony adapters' settings (functions/http/voice, functions/adapters/voice). */
const telephonySettings = {
  /**
   * The Twilio account's auth token: requests to /voice/twiml must carry its X-Twilio-Signature.
   * Unset locally: unsigned requests are answered; in AWS the TwiML webhook then answers 403.
   */
  VOICE_TWILIO_AUTH_TOKEN: emptyIsUnset(z.optional(str(8, 256))),
  /** With the auth token: Basic auth for fetching recordings from the provider. */
  VOICE_TWILIO_ACCOUNT_SID: emptyIsUnset(z.optional(str(2, 64))),
  /**
   * The public origin the provider calls (behind CloudFront the Host differs), e.g.
   * https://zhingdrok.example: the signed URL is this + path + query. Unset locally: the request's own.
   */
  VOICE_PUBLIC_URL: optionalUrl,
  /** Hosts recordings are fetched from (https only; locally the server's own origin too). */
  VOICE_RECORDING_HOSTS: list(
    z.string().check(z.regex(/^[a-z0-9.-]+(?::\d{1,5})?$/i, 'host names, e.g. api.twilio.com')),
    'api.twilio.com',
  ),
};

/** Keys sign-in code hashes and CSRF tokens. Changing it signs nobody out (sessions are plain hashes) but voids codes in flight. */
const authSecret = z.string().check(z.minLength(32, 'at least 32 characters, e.g. from `openssl rand -base64 32`'));

const localSchema = z.object({
  ...smsSettings,
  ...exchangeSettings,
  ...broadcastSettings,
  ...knowledgeSettings,
  ...voiceSettings,
  ...telephonySettings,
  APP_MODE: z.literal('local'),
  PORT: int(0, 65535, 3000),
  HOST: z._default(str(1), '127.0.0.1'),
  /**
   * The developer tools (/dev/*: the SMS injector, the outbox, the phone simulator, jobs on demand).
   * `auto`: on only while HOST is loopback; `off`: never; `on`: required, and refused at start
   * when HOST is not loopback (functions/local/dev-tools.ts).
   */
  DEV_TOOLS: z._default(z.enum(['auto', 'on', 'off']), 'auto'),
  DATA_DIR: z._default(str(1), '.data'),
  TABLE_NAME: z._default(str(3, 255), 'zhingdrok'),
  BUCKET_NAME: z._default(str(3, 63), 'zhingdrok-local'),
  /** The public bucket (open-data snapshots, served at /open-data/*): a second s3rver bucket locally. */
  PUBLIC_BUCKET_NAME: z._default(str(3, 63), 'zhingdrok-public'),
  AWS_REGION: z._default(str(1), 'local'),
  /** Run the storage against a real DynamoDB-protocol endpoint instead of the embedded one. */
  DYNAMODB_ENDPOINT: optionalUrl,
  ADMIN_PHONES: phoneList,
  LOG_LEVEL: logLevel,
  /** Optional locally: unset, each process makes a random one (codes in flight die with a restart). */
  AUTH_SECRET: emptyIsUnset(z.optional(authSecret)),
  /** Where attachments are fetched from; unset locally: the app's own /files/ (functions/http). */
  FILES_BASE_URL: optionalUrl,
  /** SMS_GATEWAY=aliyun locally: the key pair and the push token (in AWS they come from ALIYUN_SECRET_ARN). */
  ALIYUN_ACCESS_KEY_ID: emptyIsUnset(z.optional(str(1, 128))),
  ALIYUN_ACCESS_KEY_SECRET: emptyIsUnset(z.optional(str(1, 256))),
  ALIYUN_PUSH_TOKEN: emptyIsUnset(z.optional(str(16, 256))),
});

/**
 * What a Lambda does that needs a setting of its own (and, in the CDK stack, a grant): each
 * function is given, and validates, only the settings of the capabilities it has
 * (functions/handlers/capabilities.ts lists them per Lambda; test/infra checks the template).
 * - `files`: reads or writes the files bucket (BUCKET_NAME);
 * - `queueSms`: hands SMS to the outbound queue (SMS_QUEUE_URL);
 * - `sendSms`: the sender: End User Messaging (EUM_ORIGINATION_IDENTITY, EUM_CONFIGURATION_SET);
 * - `signIn`: sign-in codes, sessions' CSRF tokens, sealed codes (AUTH_SECRET);
 * - `behindApi`: answers HTTP behind CloudFront (ORIGIN_SECRET);
 * - `scheduleBroadcasts`: makes and deletes broadcasts' one-time EventBridge schedules
 *   (BROADCAST_SCHEDULE_GROUP, BROADCAST_SCHEDULER_ROLE_ARN, JOBS_FUNCTION_ARN);
 * - `queueBulkSms`: hands broadcast SMS to the paced bulk queue (SMS_BULK_QUEUE_URL);
 * - `attachments`: links to the knowledge library's attachments, which CloudFront serves from
 *   the files bucket (FILES_BASE_URL; the bucket itself is `files`).
 * - `voice`: the voice line's telephony (VOICE_*: the TwiML webhook's signature, the public URL,
 *   where recordings may be fetched from); with `files` for voice/* and `queueSms` for its SMS.
 * - `openData`: writes the daily open-data snapshot under open-data/ of the public bucket, which
 *   CloudFront serves at /open-data/* (PUBLIC_BUCKET_NAME: the static bucket in AWS).
 * - `publicFiles`: serves, read-only, what CloudFront serves from the buckets in `aws`: static/ and
 *   open-data/ of the public (static) bucket (PUBLIC_BUCKET_NAME), and with `files` attachments/
 *   of the files bucket (the public-files Lambda of aws-cn).
 */
export type Capability =
  | 'files'
  | 'queueSms'
  | 'sendSms'
  | 'signIn'
  | 'behindApi'
  | 'scheduleBroadcasts'
  | 'queueBulkSms'
  | 'attachments'
  | 'voice'
  | 'openData'
  | 'publicFiles';

const arn = (service: string) =>
  z
    .string()
    .check(z.regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `an ARN of ${service}, e.g. arn:aws:${service}:…`));

/** Each capability's settings, as a function that has it must have them. */
const capabilitySettings = {
  files: { BUCKET_NAME: str(3, 63) },
  queueSms: {
    /** SQS queue the sms-send Lambda reads. */
    SMS_QUEUE_URL: z.url(),
  },
  sendSms: {
    /** End User Messaging origination identity (phone number id/ARN, pool). */
    EUM_ORIGINATION_IDENTITY: str(1),
    EUM_CONFIGURATION_SET: str(1),
  },
  /**
   * Required where it is used: every Lambda instance must share it. The stack gives the secret's
   * ARN, read once per container at the first invocation (adapters/secrets.ts), so the value is in
   * no function's configuration; a value set outright (tests, tools) is used as it is. One of the
   * two is required (loadConfig).
   */
  signIn: { AUTH_SECRET_ARN: z.optional(arn('secretsmanager')), AUTH_SECRET: z.optional(authSecret) },
  behindApi: {
    /**
     * The value CloudFront sends in X-Origin-Verify to the API origin: the app answers only
     * requests that carry it, so nothing reaches it past CloudFront, and CloudFront's viewer
     * address can be believed. Optional here: the app itself refuses to start without it.
     */
    ORIGIN_SECRET: emptyIsUnset(z.optional(z.string().check(z.minLength(32, 'at least 32 characters')))),
  },
  scheduleBroadcasts: {
    /** The EventBridge Scheduler group of broadcasts' one-time schedules. */
    BROADCAST_SCHEDULE_GROUP: str(1, 64),
    /** The role EventBridge Scheduler assumes to invoke the jobs Lambda (it may do nothing else). */
    BROADCAST_SCHEDULER_ROLE_ARN: arn('iam'),
    /** The jobs Lambda: the target of a broadcast's one-time schedule (`broadcast-run`). */
    JOBS_FUNCTION_ARN: arn('lambda'),
  },
  queueBulkSms: {
    /** The SQS queue of broadcast SMS, which the sms-send Lambda reads at SMS_SEND_RATE. */
    SMS_BULK_QUEUE_URL: z.url(),
  },
  attachments: {
    /** `https://<the distribution>/files`: an attachment's key is appended (CloudFront's `/files/attachments/*`). */
    FILES_BASE_URL: z.url(),
  },
  voice: {
    ...telephonySettings,
    /** In AWS the stack sets it: the distribution's address, where clips are served (`/files/voice/*`). */
    VOICE_PUBLIC_URL: z.url(),
  },
  openData: {
    /** The public (static) bucket: the open-data job may put objects under open-data/ only. */
    PUBLIC_BUCKET_NAME: str(3, 63),
  },
  publicFiles: {
    /** The public (static) bucket: static/ and open-data/ read, nothing written. */
    PUBLIC_BUCKET_NAME: str(3, 63),
  },
} satisfies Record<Capability, Record<string, z.ZodMiniType>>;

/** Settings a capability accepts that the stack never gives: AUTH_SECRET, whose ARN it gives instead. */
const notGivenByTheStack = new Set(['AUTH_SECRET']);

/** The environment variables a function with these capabilities is given (besides the ones every function has). */
export function settingsOf(capabilities: readonly Capability[]): string[] {
  return capabilities
    .flatMap((c) => Object.keys(capabilitySettings[c]))
    .filter((name) => !notGivenByTheStack.has(name))
    .sort();
}

/** What every function reads in AWS. */
const awsBase = {
  ...smsSettings,
  ...exchangeSettings,
  ...broadcastSettings,
  ...knowledgeSettings,
  ...voiceSettings,
  APP_MODE: z.literal('aws'),
  TABLE_NAME: str(3, 255),
  AWS_REGION: str(1),
  DYNAMODB_ENDPOINT: optionalUrl,
  /**
   * SMS_GATEWAY=aliyun: the Secrets Manager secret holding the Alibaba Cloud key pair and the
   * push token, JSON `{"accessKeyId","accessKeySecret","pushToken"}` (adapters/sms/aliyun-wiring.ts).
   */
  ALIYUN_SECRET_ARN: z.optional(arn('secretsmanager')),
  /** Secrets Manager's endpoint, where AUTH_SECRET_ARN is read (tests point it at a loopback stand-in); unset in AWS. */
  SECRETS_MANAGER_ENDPOINT: optionalUrl,
  ADMIN_PHONES: phoneList,
  LOG_LEVEL: logLevel,
};

/** Without a capability list (tools, tests): every setting, those the stack sets on one function only optional. */
const awsSchema = z.object({
  ...awsBase,
  SMS_QUEUE_URL: z.optional(z.url()),
  EUM_ORIGINATION_IDENTITY: z.optional(str(1)),
  EUM_CONFIGURATION_SET: z.optional(str(1)),
  BROADCAST_SCHEDULE_GROUP: z.optional(capabilitySettings.scheduleBroadcasts.BROADCAST_SCHEDULE_GROUP),
  BROADCAST_SCHEDULER_ROLE_ARN: z.optional(capabilitySettings.scheduleBroadcasts.BROADCAST_SCHEDULER_ROLE_ARN),
  JOBS_FUNCTION_ARN: z.optional(capabilitySettings.scheduleBroadcasts.JOBS_FUNCTION_ARN),
  SMS_BULK_QUEUE_URL: z.optional(z.url()),
  FILES_BASE_URL: optionalUrl,
  PUBLIC_BUCKET_NAME: z.optional(capabilitySettings.openData.PUBLIC_BUCKET_NAME),
  ...telephonySettings,
  ...capabilitySettings.files,
  ...capabilitySettings.signIn,
  ...capabilitySettings.behindApi,
});

/** A function's own schema: the base and its capabilities' settings; any other setting is not read. */
const awsSchemaFor = (capabilities: readonly Capability[]) =>
  z.object(Object.assign({}, awsBase, ...capabilities.map((c) => capabilitySettings[c])) as typeof awsBase);

const configSchema = z.discriminatedUnion('APP_MODE', [localSchema, awsSchema]);

/** SMS_DAILY_HARD_LIMIT, once loadConfig has filled in its default. */
type WithHardLimit<T> = Omit<T, 'SMS_DAILY_HARD_LIMIT'> & { SMS_DAILY_HARD_LIMIT: number };
export type LocalConfig = WithHardLimit<z.infer<typeof localSchema>>;
type AwsSettings = z.infer<typeof awsSchema>;
/** Required without a capability list, but in AWS there only on a function with the capability. */
type CapabilityRequired = 'BUCKET_NAME' | 'AUTH_SECRET';
export type AwsConfig = WithHardLimit<
  Omit<AwsSettings, CapabilityRequired> & Partial<Pick<AwsSettings, CapabilityRequired>>
>;
export type Config = LocalConfig | AwsConfig;

/** SMS_DAILY_HARD_LIMIT when unset: far above what the soft limit lets through on a normal day. */
export const HARD_LIMIT_FACTOR = 5;

/** The SMS gateway a config sends through: SMS_GATEWAY, else `outbox` locally and `eum` in AWS. */
export const smsGatewayOf = (config: Config): 'eum' | 'aliyun' | 'outbox' =>
  config.SMS_GATEWAY ?? (config.APP_MODE === 'local' ? 'outbox' : 'eum');

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads settings from an environment (process.env by default). APP_MODE defaults to
 * `aws` inside Lambda and `local` elsewhere. A Lambda passes its capabilities: in AWS it then
 * requires exactly their settings and reads no other; locally one process does everything, so
 * every setting is read whatever is passed.
 *
 * @example loadConfig({ APP_MODE: 'local', PORT: '3100' }).PORT === 3100
 * @example loadConfig(process.env, ['queueSms', 'signIn', 'behindApi']) // the http Lambda
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  capabilities?: readonly Capability[],
): Config {
  const input = { ...env, APP_MODE: env.APP_MODE ?? (env.AWS_LAMBDA_FUNCTION_NAME ? 'aws' : 'local') };
  const schema =
    capabilities && input.APP_MODE === 'aws'
      ? z.discriminatedUnion('APP_MODE', [localSchema, awsSchemaFor(capabilities)])
      : configSchema;
  const parsed = z.safeParse(schema, input);
  // AUTH_SECRET or the secret it is read from: the one rule across two settings, named with the others.
  const signIn = input.APP_MODE === 'aws' && (!capabilities || capabilities.includes('signIn'));
  const secretIssues =
    signIn && !env.AUTH_SECRET && !env.AUTH_SECRET_ARN
      ? [
          'AUTH_SECRET_ARN: required where sign-in is: the Secrets Manager secret holding AUTH_SECRET (or AUTH_SECRET itself, at least 32 characters) (not set)',
        ]
      : [];
  if (parsed.success && secretIssues.length) throw new ConfigError(secretIssues);
  if (parsed.success) {
    const soft = parsed.data.SMS_DAILY_SEGMENT_LIMIT;
    const hard = parsed.data.SMS_DAILY_HARD_LIMIT ?? HARD_LIMIT_FACTOR * soft;
    if (hard < soft) {
      throw new ConfigError([
        `SMS_DAILY_HARD_LIMIT: must be at least SMS_DAILY_SEGMENT_LIMIT (${soft}): it stops every SMS but STOP confirmations, the daily limit only alerts and broadcasts (got ${JSON.stringify(env.SMS_DAILY_HARD_LIMIT)})`,
      ]);
    }
    const prefecture = parsed.data.ASK_ESCALATE_PREFECTURE_HOURS;
    if (parsed.data.ASK_ESCALATE_ALL_HOURS <= prefecture) {
      throw new ConfigError([
        `ASK_ESCALATE_ALL_HOURS: must be more than ASK_ESCALATE_PREFECTURE_HOURS (${prefecture}): a question reaches every expert after its prefecture's (got ${JSON.stringify(env.ASK_ESCALATE_ALL_HOURS ?? String(parsed.data.ASK_ESCALATE_ALL_HOURS))})`,
      ]);
    }
    if (parsed.data.SMS_GATEWAY === 'aliyun' && parsed.data.APP_MODE === 'local') {
      const d = parsed.data as z.infer<typeof localSchema>;
      if (!d.ALIYUN_ACCESS_KEY_ID || !d.ALIYUN_ACCESS_KEY_SECRET)
        throw new ConfigError([
          "ALIYUN_ACCESS_KEY_ID, ALIYUN_ACCESS_KEY_SECRET: required locally with SMS_GATEWAY=aliyun (the stand-in's pair: docs/sms.md)",
        ]);
    }
    return { ...parsed.data, SMS_DAILY_HARD_LIMIT: hard } as Config;
  }
  throw new ConfigError([
    ...parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || 'APP_MODE';
      return `${name}: ${issue.message}${name in env ? ` (got ${JSON.stringify(env[name])})` : ' (not set)'}`;
    }),
    ...secretIssues,
  ]);
}

/**
 * The public-files Lambda (aws-cn; functions/handlers/public-files.ts) touches no table and sends
 * no SMS: it reads the settings of its capabilities (`files`, `publicFiles`), the region and the
 * log level, and none of the rest (no TABLE_NAME to be given, no SMS limits to parse).
 */
const publicFilesSchema = z.object({
  AWS_REGION: str(1),
  LOG_LEVEL: logLevel,
  ...capabilitySettings.files,
  ...capabilitySettings.publicFiles,
});
export type PublicFilesConfig = z.infer<typeof publicFilesSchema>;

/** @example loadPublicFilesConfig({ AWS_REGION: 'cn-northwest-1', BUCKET_NAME: 'files', PUBLIC_BUCKET_NAME: 'static' }) */
export function loadPublicFilesConfig(env: Record<string, string | undefined> = process.env): PublicFilesConfig {
  const parsed = z.safeParse(publicFilesSchema, env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return `${name}: ${issue.message}${name in env ? ` (got ${JSON.stringify(env[name])})` : ' (not set)'}`;
    }),
  );
}
