/**
 * Staff sign-in's own adapters: the counters that count only what
 * they let through, and the hand-over of code SMS to their delivery — a background task
 * locally, the outbound SMS queue in AWS, whose sms-send Lambda delivers them
 * (`deliverSignInCode` below, which sends at once from there rather than queueing again).
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutboundSms } from '#core/sms/messages.ts';
import type { SendLines } from '#core/sms/messenger.ts';
import { type DeliveryOutcome, deliverSignInCode, type SignInCodeJob } from '#core/staff/code-delivery.ts';
import type { SignInCodeQueue, StaffRepository } from '#core/staff/ports.ts';
import type { SubscriberRepository } from '#core/subscribers/ports.ts';
import { DynamoQuotaCounter } from './dynamodb/quota-counters.ts';
import { LocalSignInCodeQueue } from './queue/sign-in-jobs.ts';
import { missingQueue, SqsJobQueue } from './queue/sqs-queue.ts';

export interface SignInWiringInput {
  mode: 'local' | 'aws';
  region: string;
  tableName: string;
  queueUrl?: string;
  db: DynamoDBDocumentClient;
  staff: StaffRepository;
  subscribers: SubscriberRepository;
  /** The process's messenger, where it composes (locally it sends at once, through the local queue). */
  sendLines?: (input: SendLines) => Promise<OutboundSms>;
  /** A messenger's lines that send at once (the sms-send Lambda: see deliverNow). */
  linesNow: (finalAttempt: boolean) => (input: SendLines) => Promise<OutboundSms>;
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
  const deliverNow = async (job: SignInCodeJob, finalAttempt = false): Promise<DeliveryOutcome> =>
    deliverSignInCode(delivery(input.linesNow(finalAttempt)), job);
  const sendLines =
    input.sendLines ??
    (() => Promise.reject(new Error('this process composes no SMS, so it cannot deliver sign-in codes itself')));
  const signInCodeQueue: SignInCodeQueue =
    input.mode === 'local'
      ? new LocalSignInCodeQueue((job) => deliverSignInCode(delivery(sendLines), job), input.log)
      : input.queueUrl
        ? new SqsJobQueue<SignInCodeJob>(input.region, input.queueUrl)
        : missingQueue('hand over sign-in codes');
  return {
    signInQuota: new DynamoQuotaCounter(input.db, input.tableName),
    signInCodeQueue,
    deliverSignInCode: deliverNow,
  };
}
