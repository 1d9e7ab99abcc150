/** Lambda entry for inbound SMS: End User Messaging two-way → SNS topic → here → the pipeline. */
import { inboundSmsFromSns } from '#adapters/sms/eum-inbound.ts';
import type { SnsEvent } from '#adapters/sms/sns-envelope.ts';
import { withInboundSms } from '#adapters/inbound-wiring.ts';
import { createDeps, storageSettingsFrom, type Deps } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { maskPhone } from '#core/phone.ts';

export type SmsInboundDeps = Pick<Deps, 'handleInbound' | 'log'>;

/**
 * A malformed record is logged and skipped: retrying cannot mend it. Anything else that
 * fails (the table unreachable) throws, so Lambda retries the event; the pipeline's claim
 * on (gateway, messageId) makes the retry safe.
 */
export const createSmsInboundHandler = (deps: SmsInboundDeps) => async (event: SnsEvent) => {
  for (const record of event.Records ?? []) {
    const parsed = inboundSmsFromSns(record);
    if (!parsed.ok) {
      deps.log?.({ level: 'error', msg: 'malformed inbound SMS event skipped', snsMessageId: parsed.snsMessageId, reason: parsed.reason });
      continue;
    }
    const { sms } = parsed;
    const result = await deps.handleInbound(sms);
    deps.log?.({
      level: 'info',
      msg: result.duplicate ? 'inbound SMS was a redelivery' : 'inbound SMS handled',
      gateway: sms.gateway,
      messageId: sms.messageId,
      from: maskPhone(sms.from),
      replies: result.replies.map((r) => r.id),
    });
  }
};

// Built on first invocation (see http.ts): config errors name the variable, tests import freely.
let cached: ReturnType<typeof createSmsInboundHandler> | undefined;
export const handler = (event: SnsEvent) => {
  cached ??= createSmsInboundHandler(withInboundSms(createDeps(storageSettingsFrom(loadConfig()))));
  return cached(event);
};
