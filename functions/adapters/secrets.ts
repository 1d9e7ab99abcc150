/**
 * Secrets read at run time. In AWS the stack gives a function the ARN of AUTH_SECRET's secret
 * (AUTH_SECRET_ARN), not its value, so the value is in no function's configuration, template or
 * console page; the handler reads it once per container at its first invocation and builds its
 * dependencies with it, as if config had carried it (`withRunTimeSecrets`).
 *
 * The Secrets Manager SDK is loaded only when a secret is to be read (dynamic import, like
 * s3/lazy-client.ts): a function given the value outright (tests, tools) or needing no secret does
 * not pay for it at its cold start. Only dynamic imports and type imports of the SDK here.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '#config';

/** Reads a secret's current string value by its ARN. */
export type SecretReader = (secretId: string) => Promise<string>;

/** The Secrets Manager client's settings: fail fast inside a Lambda's timeout, like the DynamoDB client's. */
const handlerOptions = { connectionTimeout: 1000, requestTimeout: 3000 };

/**
 * A reader through the real SDK client. The client is made on the first read; every read asks
 * Secrets Manager (the caller keeps what it needs: `builtOnce`). `endpoint`: a stand-in's
 * (tests), which takes any credentials.
 */
export function secretsManagerReader(input: { region: string; endpoint?: string }): SecretReader {
  let client:
    | Promise<{ client: SecretsManagerClient; sdk: typeof import('@aws-sdk/client-secrets-manager') }>
    | undefined;
  const load = async () => {
    const [sdk, { NodeHttpHandler }] = await Promise.all([
      import('@aws-sdk/client-secrets-manager'),
      import('@smithy/node-http-handler'),
    ]);
    return {
      sdk,
      client: new sdk.SecretsManagerClient({
        region: input.region,
        endpoint: input.endpoint,
        maxAttempts: 3,
        requestHandler: new NodeHttpHandler(handlerOptions),
        ...(input.endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
      }),
    };
  };
  return async (secretId) => {
    client ??= load().catch((err) => {
      client = undefined;
      throw err;
    });
    const { sdk, client: sm } = await client;
    const out = await sm.send(new sdk.GetSecretValueCommand({ SecretId: secretId }));
    // The stack's secrets are generated strings; a binary or empty secret is a deploy mistake.
    if (!out.SecretString) throw new Error(`secret ${secretId} has no string value`);
    return out.SecretString;
  };
}

/**
 * The config with AUTH_SECRET filled in from AUTH_SECRET_ARN where the stack gave the ARN and no
 * value (config.ts requires one of the two where sign-in is). A read that fails throws: the
 * invocation fails and the next one reads again. Local mode and a value given outright: as it is.
 */
export async function withRunTimeSecrets(config: Config, read?: SecretReader): Promise<Config> {
  if (config.APP_MODE !== 'aws' || config.AUTH_SECRET || !config.AUTH_SECRET_ARN) return config;
  const reader = read ?? secretsManagerReader({ region: config.AWS_REGION, endpoint: config.SECRETS_MANAGER_ENDPOINT });
  const value = await reader(config.AUTH_SECRET_ARN);
  // The same rule config.ts applies to a value given outright: short keys are refused, named.
  if (value.length < 32) throw new Error('AUTH_SECRET_ARN: the secret holds fewer than 32 characters');
  return { ...config, AUTH_SECRET: value };
}

/**
 * Builds something once per container: the first call builds it, the next ones get the same.
 * A build that fails (a secret unreadable, a setting missing) is not kept: the next call builds
 * again, so one bad moment of Secrets Manager costs one invocation, not the container's life.
 */
export function builtOnce<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () => {
    built ??= build().catch((err) => {
      built = undefined;
      throw err;
    });
    return built;
  };
}
