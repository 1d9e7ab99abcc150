import type { PinpointSMSVoiceV2Client, PinpointSMSVoiceV2ClientConfig } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { OutboundSms } from '#core/sms/messages.ts';
import { GatewayError, type GatewayResult, type SmsGateway } from '#core/sms/ports.ts';
import { EUM_GATEWAY } from './eum-inbound.ts';

/** Requests per send, the first included, before the failure goes back to the queue. */
export const EUM_MAX_ATTEMPTS = 4;

export interface EumClientOptions {
  region: string;
  /** A stand-in of the service (tests); unset in AWS. */
  endpoint?: string;
  /** Replaces the adaptive retry mode, e.g. with short backoffs in tests. */
  retryStrategy?: PinpointSMSVoiceV2ClientConfig['retryStrategy'];
}

/**
 * The client the sender uses. Adaptive retry: throttling (the per-number parts-per-second
 * limit) is retried with backoff and also slows the client's own request rate, so one busy
 * sender Lambda paces itself instead of burning its attempts. Timeouts stay well inside the
 * sender's Lambda timeout.
 */
export async function createEumClient({
  region,
  endpoint,
  retryStrategy,
}: EumClientOptions): Promise<PinpointSMSVoiceV2Client> {
  // Loaded when first needed: only the sender Lambda sends, and the others should not pay
  // for importing this client at cold start.
  const [{ PinpointSMSVoiceV2Client }, { NodeHttpHandler }] = await Promise.all([
    import('@aws-sdk/client-pinpoint-sms-voice-v2'),
    import('@smithy/node-http-handler'),
  ]);
  return new PinpointSMSVoiceV2Client({
    region,
    endpoint,
    maxAttempts: EUM_MAX_ATTEMPTS,
    ...(retryStrategy ? { retryStrategy } : { retryMode: 'adaptive' }),
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 5000 }),
    // A stand-in accepts any signature; in AWS the default provider chain (the Lambda role).
    ...(endpoint ? { credentials: { accessKeyId: 'stand-in', secretAccessKey: 'stand-in' } } : {}),
  });
}

/** Errors worth another try later; everything else (validation, opted out, access) is final. */
const RETRYABLE = new Set([
  'ThrottlingException',
  'InternalServerException',
  'ServiceQuotaExceededException',
  'TimeoutError',
  'RequestTimeout',
]);

/**
 * AWS End User Messaging SMS (pinpoint-sms-voice-v2) SendTextMessage. The SDK itself
 * retries throttling with backoff (adaptive mode); what is still failing afterwards goes
 * back to the queue (retryable) or to failed (final). The service has no client token, so
 * our message id travels in Context and the sender never resends a message marked sent.
 */
export class EndUserMessagingGateway implements SmsGateway {
  readonly name = EUM_GATEWAY;
  private client: Promise<PinpointSMSVoiceV2Client> | undefined;

  constructor(
    private readonly makeClient: () => Promise<PinpointSMSVoiceV2Client>,
    private readonly settings: { originationIdentity: string; configurationSet?: string },
  ) {}

  async send(msg: OutboundSms): Promise<GatewayResult> {
    try {
      this.client ??= this.makeClient();
      const [client, { SendTextMessageCommand }] = await Promise.all([
        this.client,
        import('@aws-sdk/client-pinpoint-sms-voice-v2'),
      ]);
      const res = await client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: msg.to,
          OriginationIdentity: this.settings.originationIdentity,
          MessageBody: msg.text,
          MessageType: 'TRANSACTIONAL',
          ConfigurationSetName: this.settings.configurationSet,
          Context: { zhingdrokId: msg.id, key: msg.key },
        }),
      );
      if (!res.MessageId) throw new GatewayError('no MessageId in SendTextMessage response', true);
      return { gatewayMessageId: res.MessageId };
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      const name = (err as { name?: string }).name ?? 'Error';
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      throw new GatewayError(
        `${name}: ${(err as Error).message}`,
        RETRYABLE.has(name) || (status !== undefined && status >= 500),
      );
    }
  }
}
