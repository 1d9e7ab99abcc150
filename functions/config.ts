/**
 * The only reader of process.env. Parsed once with zod; a missing or invalid setting
 * fails fast with the variable's name, so a bad deploy or a typo at the shell is caught
 * before anything listens.
 */
import { z } from 'zod';

const phoneList = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'each phone must be E.164, e.g. +8613800000000')));

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());


/** Settings of the SMS channel, the same in both modes. */
const smsSettings = {
  SMS_SIGNATURE: z.string().min(1).max(20).default('【农牧通】'),
  SMS_SIGNATURE_GSM: z.string().min(1).max(20).default('[Zhingdrok]'),
  /** Calling codes we may send SMS to (SMS-pumping guard), comma-separated. */
  SMS_ALLOWED_COUNTRIES: z
    .string()
    .default('86')
    .transform((s) => s.split(',').map((c) => c.trim().replace(/^\+/, '')).filter(Boolean))
    .pipe(z.array(z.string().regex(/^\d{1,3}$/, 'calling codes like 86'))),
  /** Segments per Asia/Shanghai day before non-essential sending stops. */
  SMS_DAILY_SEGMENT_LIMIT: z.coerce.number().int().positive().default(20000),
  /** Inbound messages per number per hour before we stop answering. */
  SMS_INBOUND_PER_HOUR: z.coerce.number().int().positive().default(30),
};

/** Keys sign-in code hashes and CSRF tokens. Changing it signs nobody out (sessions are plain hashes) but voids codes in flight. */
const authSecret = z.string().min(32, 'at least 32 characters, e.g. from `openssl rand -base64 32`');

const localSchema = z.object({
  ...smsSettings,
  APP_MODE: z.literal('local'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('.data'),
  TABLE_NAME: z.string().min(3).max(255).default('zhingdrok'),
  BUCKET_NAME: z.string().min(3).max(63).default('zhingdrok-local'),
  AWS_REGION: z.string().min(1).default('local'),
  /** Run the storage against a real DynamoDB-protocol endpoint instead of the embedded one. */
  DYNAMODB_ENDPOINT: optionalUrl,
  ADMIN_PHONES: phoneList,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Optional locally: unset, each process makes a random one (codes in flight die with a restart). */
  AUTH_SECRET: z.preprocess((v) => (v === '' ? undefined : v), authSecret.optional()),
});

const awsSchema = z.object({
  ...smsSettings,
  APP_MODE: z.literal('aws'),
  /** SQS queue the sms-send Lambda reads; set by the stack on functions that queue SMS. */
  SMS_QUEUE_URL: z.url().optional(),
  /** End User Messaging origination identity (phone number id/ARN, pool); set on the sender. */
  EUM_ORIGINATION_IDENTITY: z.string().min(1).optional(),
  EUM_CONFIGURATION_SET: z.string().min(1).optional(),
  TABLE_NAME: z.string().min(3).max(255),
  BUCKET_NAME: z.string().min(3).max(63),
  AWS_REGION: z.string().min(1),
  DYNAMODB_ENDPOINT: optionalUrl,
  ADMIN_PHONES: phoneList,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Required in AWS: every Lambda instance must share it. */
  AUTH_SECRET: authSecret,
});

const configSchema = z.discriminatedUnion('APP_MODE', [localSchema, awsSchema]);

export type LocalConfig = z.infer<typeof localSchema>;
export type AwsConfig = z.infer<typeof awsSchema>;
export type Config = LocalConfig | AwsConfig;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads settings from an environment (process.env by default). APP_MODE defaults to
 * `aws` inside Lambda and `local` elsewhere.
 *
 * @example loadConfig({ APP_MODE: 'local', PORT: '3100' }).PORT === 3100
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input = { ...env, APP_MODE: env.APP_MODE ?? (env.AWS_LAMBDA_FUNCTION_NAME ? 'aws' : 'local') };
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || 'APP_MODE';
      return `${name}: ${issue.message}${name in env ? ` (got ${JSON.stringify(env[name])})` : ' (not set)'}`;
    }),
  );
}
