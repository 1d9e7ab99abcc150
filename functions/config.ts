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

const localSchema = z.object({
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
});

const awsSchema = z.object({
  APP_MODE: z.literal('aws'),
  TABLE_NAME: z.string().min(3).max(255),
  BUCKET_NAME: z.string().min(3).max(63),
  AWS_REGION: z.string().min(1),
  DYNAMODB_ENDPOINT: optionalUrl,
  ADMIN_PHONES: phoneList,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
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
