import { SendTextMessageCommand, type PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { GatewayError, type GatewayResult, type SmsGateway } from '#core/ports.ts';
import type { OutboundSms } from '#core/sms/messages.ts';

/** Errors worth another try later; everything else (validation, opted out, access) is final. */
const RETRYABLE = new Set(['ThrottlingException', 'InternalServerException', 'ServiceQuotaExceededException', 'TimeoutError', 'RequestTimeout']);

/**
 * AWS End User Messaging SMS (pinpoint-sms-voice-v2) SendTextMessage. The SDK itself
 * retries throttling with backoff (adaptive mode); what is still failing afterwards goes
 * back to the queue (retryable) or to failed (final). The service has no client token, so
 * our message id travels in Context and the sender never resends a message marked sent.
 */
export class EndUserMessagingGateway implements SmsGateway {
  readonly name = 'eum';
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly settings: { originationIdentity: string; configurationSet?: string },
  ) {}

  async send(msg: OutboundSms): Promise<GatewayResult> {
    try {
      const res = await this.client.send(
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
      throw new GatewayError(`${name}: ${(err as Error).message}`, RETRYABLE.has(name) || (status !== undefined && status >= 500));
    }
  }
}
