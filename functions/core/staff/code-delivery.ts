/**
 * The delivery of a sign-in code, off the request path, so that the answer time of
 * POST /api/v1/auth/code cannot tell who is staff. The request does the same work for every phone
 * and hands over one job per code SMS; only here, in the background, is it decided whether
 * the phone is staff: a staff phone gets the SMS, any other nothing. In AWS the job travels on
 * the outbound SMS queue and the sms-send Lambda runs this; locally a background task does.
 *
 * The language: the one the page or request asked for (`language`, set only
 * when `?lang`, the lang cookie or Accept-Language named one), else the staff member's saved
 * one (their SMS subscriber profile), else Tibetan; Tibetan in Wylie when that is how their
 * phone gets Tibetan.
 */

import type { OutboundSms } from '../sms/messages.ts';
import type { SendLines } from '../sms/messenger.ts';
import type { SubscriberRepository } from '../subscribers/ports.ts';
import { unsealCode } from './codes.ts';
import type { SignInCodeJob, StaffRepository } from './ports.ts';

export type { SignInCodeJob };

import { actorFrom } from './roles.ts';

export interface CodeDeliveryDeps {
  staff: StaffRepository;
  subscribers: Pick<SubscriberRepository, 'get'>;
  adminPhones: readonly string[];
  authSecret: string;
  /** Composes, records and hands the SMS to the sender (the messenger). */
  sendLines(input: SendLines): Promise<OutboundSms>;
}

export type DeliveryOutcome = { sent: OutboundSms } | { skipped: 'not_staff' | 'unreadable' };

/**
 * Sends the code if the phone is staff. Safe to repeat: the SMS's idempotency key is the
 * phone, the code's time and the send number, so a redelivered job sends nothing twice.
 */
export async function deliverSignInCode(deps: CodeDeliveryDeps, job: SignInCodeJob): Promise<DeliveryOutcome> {
  const code = unsealCode(deps.authSecret, job.phone, job.sealed);
  if (!code) return { skipped: 'unreadable' };
  if (!actorFrom(job.phone, await deps.staff.get(job.phone), deps.adminPhones)) return { skipped: 'not_staff' };
  const profile = await deps.subscribers.get(job.phone);
  const language = job.language ?? profile?.language ?? 'bo';
  const script = language === 'bo' && profile?.script === 'wylie' ? 'wylie' : 'tibetan';
  const sent = await deps.sendLines({
    to: job.phone,
    lines: [{ key: 'auth.code', params: { code, minutes: job.minutes } }],
    essential: true,
    idempotencyKey: `sign-in-code:${job.phone}:${job.issuedAt}:${job.send}`,
    recipient: { language, script },
  });
  return { sent };
}
