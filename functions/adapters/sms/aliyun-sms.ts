/**
 * Alibaba Cloud SMS (Dysmsapi SendSms) behind the gateway port: mainland template SMS. A message
 * goes out as the registered template its key maps to (core/sms/templates.ts), with our message
 * id as OutId, so a delivery report or a status query can name it.
 *
 * SendSms is not idempotent: a request that may have reached the provider is never sent again.
 * Only errors that say the request was refused before any SMS was made are retried (API
 * throttling, a clock the provider did not accept, a connection never made); everything else
 * is final and recorded with the provider's code — a per-number limit
 * (isv.BUSINESS_LIMIT_CONTROL) included, so a limited number is not retried in a loop.
 */
import type { OutboundSms } from '#core/sms/messages.ts';
import { GatewayError, type GatewayResult, type SmsGateway } from '#core/sms/ports.ts';
import type { TemplateChoice, TemplateRefusal } from '#core/sms/templates.ts';
import { AliyunApiError, type AliyunSmsClient, AliyunTransportError, aliyunPhone } from './aliyun-client.ts';

/** The gateway name stored on messages (and in the gateway-message index). */
export const ALIYUN_GATEWAY = 'aliyun';

/**
 * Refused before sending: worth another try later, from the queue's backoff. Throttling of the
 * API (per account, per API, per tenant) and a request the provider found stale or replayed
 * (clock skew, a reused nonce) — nothing was sent for any of them.
 */
export const ALIYUN_RETRYABLE = new Set([
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'Throttling.Tenant',
  'InvalidTimeStamp.Expired',
  'InvalidTimeStamp.Format',
  'SignatureNonceUsed',
]);

export class AliyunSmsGateway implements SmsGateway {
  readonly name = ALIYUN_GATEWAY;

  constructor(
    private readonly client: AliyunSmsClient,
    private readonly resolve: (msg: OutboundSms) => TemplateChoice | TemplateRefusal,
    private readonly options: { signName: string },
  ) {}

  async send(msg: OutboundSms): Promise<GatewayResult> {
    const choice = this.resolve(msg);
    if ('refused' in choice) throw new GatewayError(`template refused: ${choice.refused} (${choice.key})`, false);
    try {
      const { bizId } = await this.client.sendSms({
        phoneNumbers: aliyunPhone(msg.to),
        signName: this.options.signName,
        templateCode: choice.templateCode,
        templateParam: choice.params,
        outId: msg.id,
      });
      return { gatewayMessageId: bizId };
    } catch (err) {
      if (err instanceof AliyunApiError) {
        // The provider's own failure (isp.SYSTEM_ERROR, a 5xx) may come after it made the SMS.
        const retryable = ALIYUN_RETRYABLE.has(err.code);
        throw new GatewayError(`aliyun ${err.message}`, retryable, !retryable && mayHaveSent(err));
      }
      if (err instanceof AliyunTransportError) {
        // A timeout or a reset may come after the provider took the request: never sent twice.
        throw new GatewayError(`aliyun ${err.message}`, err.refused, !err.refused);
      }
      throw new GatewayError(`aliyun ${(err as Error).message}`, false, true);
    }
  }
}

/** A provider error after which the SMS may still have been made: its system error, or an HTTP 5xx. */
const mayHaveSent = (err: AliyunApiError) => err.code.startsWith('isp.') || err.httpStatus >= 500;

/** The sign name (SignName) from the SMS signature as texts show it: 【农牧通】 → 农牧通. */
export const signNameOf = (signature: string) => signature.replace(/^[【[]\s*|\s*[】\]]$/g, '');
