/** Lambda entry for delivery receipts: configuration set event destination → SNS → here. */
import type { Context, SNSEvent } from 'aws-lambda';
import type { Deps } from '#adapters/inbound-wiring.ts';
import { receiptFromSns } from '#adapters/sms/eum-receipts.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { beginInvocation } from '#core/log.ts';
import { recordDeliveryReceipt } from '#core/sms/receipts.ts';
import { lambdaCapabilities } from './capabilities.ts';

export type SmsStatusDeps = Pick<Deps, 'outbound' | 'log'>;

/**
 * Malformed events are logged and skipped; a store failure throws for Lambda to retry
 * (recording a receipt twice changes nothing).
 */
export const createSmsStatusHandler =
  (deps: SmsStatusDeps) =>
  async (event: SNSEvent): Promise<void> => {
    for (const record of event.Records ?? []) {
      const parsed = receiptFromSns(record);
      if (!parsed.ok) {
        deps.log?.({
          level: 'error',
          msg: 'malformed delivery event skipped',
          snsMessageId: parsed.snsMessageId,
          reason: parsed.reason,
        });
        continue;
      }
      const { receipt, eventType } = parsed;
      const outcome = await recordDeliveryReceipt(deps, receipt);
      deps.log?.({
        level: outcome === 'unmatched' ? 'warn' : 'info',
        msg: 'delivery receipt',
        eventType,
        outcome,
        gatewayMessageId: receipt.gatewayMessageId,
        messageId: receipt.messageId,
      });
    }
  };

let cached: ReturnType<typeof createSmsStatusHandler> | undefined;
export const handler = (event: SNSEvent, context?: Context) => {
  beginInvocation(context);
  cached ??= createSmsStatusHandler(
    createDeps(storageSettingsFrom(loadConfig(process.env, lambdaCapabilities['sms-status'])), composeHere),
  );
  return cached(event);
};
