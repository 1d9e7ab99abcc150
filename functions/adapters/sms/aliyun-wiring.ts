/**
 * The Alibaba Cloud SMS parts, built from settings: the client (its key pair from the settings
 * locally, from Secrets Manager in AWS), the gateway with the deployment's template registry,
 * the push token and the sms-reconcile job.
 */
import type { OutboundSms } from '#core/sms/messages.ts';
import { chooseTemplate, type TemplateRegistry, type TibetanScript } from '#core/sms/templates.ts';
import { toWylie } from '#core/text/wylie.ts';
import { registries } from '#templates/index.ts';
import type { DynamoOutboundStore } from '../dynamodb/outbound-store.ts';
import { builtOnce, secretsManagerReader } from '../secrets.ts';
import { type AliyunCredentials, AliyunSmsClient } from './aliyun-client.ts';
import { reconcileAliyunReceipts } from './aliyun-reconcile.ts';
import { AliyunSmsGateway, signNameOf } from './aliyun-sms.ts';

export interface AliyunSettings {
  endpoint: string;
  region: string;
  /** The template registry's name (SMS_TEMPLATES). */
  templates: string;
  /** Locally: the pair and the push token as settings. */
  accessKeyId?: string;
  accessKeySecret?: string;
  pushToken?: string;
  /** In AWS: the secret holding `{"accessKeyId","accessKeySecret","pushToken"}`, read once per container. */
  secretArn?: string;
  /** Where that secret is read: the function's region, and a stand-in's endpoint in tests. */
  secretsRegion?: string;
  secretsEndpoint?: string;
}

/** The registry a deployment sends through (SMS_TEMPLATES), bundled from templates/index.ts; an unknown name is refused. */
export function registryNamed(name: string): TemplateRegistry {
  const registry = registries[name];
  if (!registry)
    throw new Error(`SMS_TEMPLATES: no template registry named ${name} (known: ${Object.keys(registries).join(', ')})`);
  return registry;
}

type AliyunSecret = AliyunCredentials & { pushToken?: string };

function secretsOf(settings: AliyunSettings): () => Promise<AliyunSecret> {
  const { accessKeyId, accessKeySecret, pushToken, secretArn } = settings;
  if (accessKeyId && accessKeySecret)
    return async () => ({ accessKeyId, accessKeySecret, ...(pushToken ? { pushToken } : {}) });
  if (!secretArn) return () => Promise.reject(new Error('Alibaba Cloud SMS: no key pair (ALIYUN_SECRET_ARN)'));
  const read = secretsManagerReader({ region: settings.secretsRegion ?? 'local', endpoint: settings.secretsEndpoint });
  return builtOnce(async () => {
    const value = JSON.parse(await read(secretArn)) as Partial<AliyunSecret>;
    if (!value.accessKeyId || !value.accessKeySecret)
      throw new Error('ALIYUN_SECRET_ARN: the secret lacks accessKeyId or accessKeySecret');
    return {
      accessKeyId: value.accessKeyId,
      accessKeySecret: value.accessKeySecret,
      ...(value.pushToken ? { pushToken: value.pushToken } : {}),
    };
  });
}

/**
 * What the messenger does for Tibetan readers under a registry's `tibetanScript`: write Wylie or
 * Chinese instead of Tibetan script; `tibetan` and `alternative-gateway` keep Tibetan script.
 */
export function tibetanAsOf(script: TibetanScript): 'wylie' | 'chinese' | undefined {
  return script === 'wylie' || script === 'chinese' ? script : undefined;
}

export function aliyunParts(
  settings: AliyunSettings,
  input: { outbound: DynamoOutboundStore; signature: string; log: (entry: Record<string, unknown>) => void },
) {
  const secrets = secretsOf(settings);
  const client = new AliyunSmsClient({ endpoint: settings.endpoint, region: settings.region, credentials: secrets });
  const registry = registryNamed(settings.templates);
  // Wylie readers' messages: their parameters are transliterated as the composer does.
  const resolve = (msg: OutboundSms) => chooseTemplate(registry, msg, toWylie);
  return {
    client,
    gateway: new AliyunSmsGateway(client, resolve, { signName: signNameOf(input.signature) }),
    /** No general-notice template: a broadcast's free text cannot go (refused when sent). */
    freeTextRefused: registry.generalNotice === null,
    /** How the messenger writes to Tibetan readers, from the registry's `tibetanScript`. */
    tibetanAs: tibetanAsOf(registry.tibetanScript),
    /** The push routes' token; undefined (every push a 404) when none is configured. */
    pushToken: async () => (await secrets().catch(() => undefined))?.pushToken,
    smsReconcile: (now: Date) =>
      reconcileAliyunReceipts({ outbound: input.outbound, awaiting: input.outbound, client, log: input.log }, now),
  };
}
