/**
 * Whether an SMS may go out: the guards against sending where we must not (SMS pumping) and
 * more than we can pay for. Decided once per message and recorded on it (`admittedOn`):
 *
 * - the destination's calling code must be in SMS_ALLOWED_COUNTRIES;
 * - the Asia/Shanghai day's segment count, which every admitted message adds to, caps it:
 *   non-essential SMS (alerts, broadcasts) stop at SMS_DAILY_SEGMENT_LIMIT; everything else
 *   (replies, sign-in codes) at SMS_DAILY_HARD_LIMIT, the absolute cap against a runaway or an
 *   attack; STOP confirmations are never stopped (a number that opts out must hear that it
 *   worked), and count.
 *
 * Where: the messenger admits each message right after recording it, before it is queued. So
 * the caller learns at once that a message was blocked — in AWS too, where the sender Lambda
 * runs later, from the queue; that is how the price digest can report blocked alerts as
 * blocked rather than sent. The sender admits only a queued message that has no `admittedOn`
 * (one recorded by other code, or by a messenger that died between recording and admitting),
 * so no message is counted twice by design; a crash between counting and marking can count
 * one twice, which errs on the side of sending less.
 */

import { shanghaiDay } from '../dates.ts';
import { callingCodeOf } from '../phone.ts';
import type { OutboundSms } from './messages.ts';
import type { OutboundStore, SmsBudget } from './ports.ts';

/** Log events that a metric filter turns into CloudWatch alarms (infra/constructs/sms-alarms.ts). */
export type SmsAlarmKind = 'sms_budget_exhausted' | 'sms_hard_limit_reached' | 'sms_country_blocked';

export interface AdmissionDeps {
  outbound: Pick<OutboundStore, 'markStatus' | 'markAdmitted'>;
  budget: SmsBudget;
  /** Calling codes we may send to, e.g. ['86']. */
  allowedCallingCodes: string[];
  /** Segments a day after which non-essential SMS stop (SMS_DAILY_SEGMENT_LIMIT). */
  dailySegmentLimit: number;
  /** Segments a day after which everything but STOP confirmations stops (SMS_DAILY_HARD_LIMIT). */
  dailyHardLimit: number;
  /** Raised for each message a guard stops (a metric filter and alarm in AWS, a log line locally). */
  alarm: (event: { kind: SmsAlarmKind; detail: string }) => void;
  now: () => Date;
}

type Admitted = Pick<OutboundSms, 'id' | 'to' | 'segments' | 'essential' | 'optOutConfirmation'>;

/**
 * The daily cap a message is held to, and the alarm it raises when stopped by it; no cap for
 * a STOP confirmation.
 *
 * @example dailyCapFor({ essential: false }, limits) // { cap: limits.dailySegmentLimit, kind: 'sms_budget_exhausted' }
 */
export function dailyCapFor(
  msg: Pick<OutboundSms, 'essential' | 'optOutConfirmation'>,
  limits: Pick<AdmissionDeps, 'dailySegmentLimit' | 'dailyHardLimit'>,
): { cap: number; kind: SmsAlarmKind; setting: string } | undefined {
  if (msg.optOutConfirmation) return undefined;
  return msg.essential
    ? { cap: limits.dailyHardLimit, kind: 'sms_hard_limit_reached', setting: 'SMS_DAILY_HARD_LIMIT' }
    : { cap: limits.dailySegmentLimit, kind: 'sms_budget_exhausted', setting: 'SMS_DAILY_SEGMENT_LIMIT' };
}

/**
 * Admits a recorded, queued message (counting its segments), or records it as `blocked` and
 * raises the alarm.
 */
export async function admit(deps: AdmissionDeps, msg: Admitted): Promise<'admitted' | 'blocked'> {
  const code = callingCodeOf(msg.to);
  if (!code || !deps.allowedCallingCodes.includes(code)) {
    await deps.outbound.markStatus(msg.id, 'blocked', { error: `destination +${code ?? '?'} not in the allow-list` });
    deps.alarm({ kind: 'sms_country_blocked', detail: `+${code ?? '?'}` });
    return 'blocked';
  }
  const day = shanghaiDay(deps.now());
  const limit = dailyCapFor(msg, deps);
  const spent = await deps.budget.spend(day, msg.segments, limit?.cap);
  if (!spent.allowed && limit) {
    await deps.outbound.markStatus(msg.id, 'blocked', {
      error: `daily SMS cap reached (${limit.setting} ${limit.cap} segments)`,
    });
    deps.alarm({ kind: limit.kind, detail: `${limit.setting} ${limit.cap}` });
    return 'blocked';
  }
  await deps.outbound.markAdmitted(msg.id, day);
  return 'admitted';
}
