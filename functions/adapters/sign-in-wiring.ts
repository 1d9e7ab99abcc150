/**
 * Staff sign-in's own adapters (issue 8, items 3 and 4): the counters that count only what
 * they let through, and the hand-over of code SMS to their delivery — a background task
 * locally, the outbound SMS queue in AWS, whose sms-send Lambda delivers them
 * (`deliverSignInCode` below, which sends at once from there rather than queueing again).
 */
import type { SignatureSettings } from '#core/sms/composer.ts';
import { createMessenger, type SendLines } from '#core/sms/messenger.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { sendQueuedSms, type SenderDeps } from '#core/sms/sender.ts';
import type { OutboundStore, SignInCodeQueue, StaffRepository, SubscriberRepository } from '#core/ports.ts';
import { deliverSignInCode, type DeliveryOutcome, type SignInCodeJob } from '#core/staff/code-delivery.ts';
import { toWylie } from '#core/text/wylie.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoQuotaCounter } from './dynamodb/quota-counters.ts';
import { LocalSignInCodeQueue, SqsSignInCodeQueue } from './queue/sign-in-jobs.ts';

export interface SignInWiringInput {
  mode: 'local' | 'aws';
  region: string;
  tableName: string;
  queueUrl?: string;
  db: DynamoDBDocumentClient;
  staff: StaffRepository;
  subscribers: SubscriberRepository;
  outbound: OutboundStore;
  sender: SenderDeps;
  /** The process's messenger (locally it sends at once, through the local queue). */
  sendLines: (input: SendLines) => Promise<OutboundSms>;
  signature: SignatureSettings;
  adminPhones: readonly string[];
  authSecret: string;
  now: () => Date;
  log: (entry: Record<string, unknown>) => void;
}

export function signInWiring(input: SignInWiringInput) {
  const delivery = (sendLines: (lines: SendLines) => Promise<OutboundSms>) => ({
    staff: input.staff,
    subscribers: input.subscribers,
    adminPhones: input.adminPhones,
    authSecret: input.authSecret,
    sendLines,
  });
  /**
   * In the sms-send Lambda: the SMS is recorded and sent in the same invocation (a retryable
   * gateway failure throws, and SQS brings the job back; the SMS's idempotency key keeps it one).
   */
  const deliverNow = (job: SignInCodeJob, finalAttempt = false): Promise<DeliveryOutcome> => {
    const messenger = createMessenger({
      subscribers: input.subscribers,
      outbound: input.outbound,
      queue: {
        enqueue: async (messages) => {
          for (const m of messages) await sendQueuedSms(input.sender, m.id, finalAttempt);
        },
      },
      signature: input.signature,
      toWylie,
      now: input.now,
    });
    return deliverSignInCode(delivery(messenger.sendLines), job);
  };
  const signInCodeQueue: SignInCodeQueue =
    input.mode === 'local'
      ? new LocalSignInCodeQueue((job) => deliverSignInCode(delivery(input.sendLines), job), input.log)
      : input.queueUrl
        ? new SqsSignInCodeQueue(input.region, input.queueUrl)
        : { enqueue: () => Promise.reject(new Error('SMS_QUEUE_URL is not set on this function, so it cannot hand over sign-in codes')) };
  return {
    signInQuota: new DynamoQuotaCounter(input.db, input.tableName),
    signInCodeQueue,
    deliverSignInCode: deliverNow,
  };
}
