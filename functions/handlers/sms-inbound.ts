/** Lambda entry for inbound SMS: End User Messaging two-way → SNS topic → here → the pipeline. */

import type { Context, SNSEvent } from 'aws-lambda';
import type { Deps } from '#adapters/inbound-wiring.ts';
import { inboundSmsParts } from '#adapters/inbound-wiring.ts';
import { inboundSmsFromSns } from '#adapters/sms/eum-inbound.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { AppError } from '#core/errors.ts';
import { beginInvocation } from '#core/log.ts';
import { handledLogEntry } from '#core/sms/handle-inbound.ts';
import { lambdaCapabilities } from './capabilities.ts';

export type SmsInboundDeps = Pick<Deps, 'handleInbound' | 'log'>;

/**
 * A malformed record is logged and skipped: retrying cannot mend it. Anything else that
 * fails (the table unreachable) throws, so Lambda retries the event; the pipeline's claim
 * on (gateway, messageId) makes the retry safe.
 *
 * A message whose claim another run still holds (a duplicate delivery racing the first, or
 * a run that crashed less than the stale window ago) must not pass for handled: the rest of
 * the event is handled, then the invocation fails, so that Lambda retries it (a minute later:
 * by then the other run is done, or its claim is stale and the retry takes it over — see
 * core/sms/inbound-timing.ts). Records already handled are duplicates on the retry.
 */
export const createSmsInboundHandler =
  (deps: SmsInboundDeps) =>
  async (event: SNSEvent): Promise<void> => {
    const inProgress: string[] = [];
    for (const record of event.Records ?? []) {
      const parsed = inboundSmsFromSns(record);
      if (!parsed.ok) {
        deps.log?.({
          level: 'error',
          msg: 'malformed inbound SMS event skipped',
          snsMessageId: parsed.snsMessageId,
          reason: parsed.reason,
        });
        continue;
      }
      const { sms } = parsed;
      let result: Awaited<ReturnType<SmsInboundDeps['handleInbound']>>;
      try {
        result = await deps.handleInbound(sms);
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'sms_in_progress')) throw err;
        deps.log?.({
          level: 'warn',
          msg: 'inbound SMS still being handled by another run: retry later',
          gateway: sms.gateway,
          messageId: sms.messageId,
          retryAfterSeconds: err.params.seconds,
        });
        inProgress.push(sms.messageId);
        continue;
      }
      deps.log?.(handledLogEntry(sms, result));
    }
    if (inProgress.length)
      throw new Error(
        `inbound SMS still being handled by another run (${inProgress.join(', ')}): Lambda retries the event`,
      );
  };

// Built on first invocation (see http.ts): config errors name the variable, tests import freely.
let cached: ReturnType<typeof createSmsInboundHandler> | undefined;
export const handler = (event: SNSEvent, context?: Context) => {
  beginInvocation(context);
  cached ??= createSmsInboundHandler(
    createDeps(
      storageSettingsFrom(loadConfig(process.env, lambdaCapabilities['sms-inbound'])),
      composeHere,
      inboundSmsParts(),
    ),
  );
  return cached(event);
};
