/**
 * What each Lambda does that needs a setting and a grant of its own (the capabilities in
 * functions/config.ts): the handler validates exactly these settings at its first invocation,
 * and the CDK stack gives the function exactly these settings and the grants that go with them
 * (test/infra/capabilities.test.ts checks the template against this list). Every function also
 * has the table (TABLE_NAME), ADMIN_PHONES, LOG_LEVEL and APP_MODE.
 *
 * Pure data: the CDK app and every bundle read it.
 */
import type { Capability } from '#config';

export const lambdaCapabilities = {
  /**
   * Pages and /api/v1: sign-in codes and rejected prices' SMS go to the queue. Broadcasts sent for
   * later are scheduled here. Files: the knowledge library's attachments only (presigned uploads
   * under uploads/, kept under attachments/; CloudFront serves them at FILES_BASE_URL).
   */
  http: ['queueSms', 'signIn', 'behindApi', 'scheduleBroadcasts', 'files', 'attachments'],
  /** CSV imports keep uploads and write plans in the files bucket; they send no SMS. */
  'price-import': ['files', 'signIn', 'behindApi'],
  /**
   * The digest queues SMS; the sweep reads and deletes interrupted imports' write plans;
   * broadcasts fan out to the bulk queue, and a resumed or rescheduled one gets a new schedule;
   * the upload cleanup lists and deletes attachment uploads never finished; the open-data job
   * writes the daily snapshot under open-data/ of the public (static) bucket.
   */
  jobs: ['files', 'queueSms', 'scheduleBroadcasts', 'queueBulkSms', 'openData'],
  /** Writes the reference data, nothing else. */
  seed: [],
  /** Replies go to the queue. */
  'sms-inbound': ['queueSms'],
  /** The sender: End User Messaging, and sign-in codes unsealed with AUTH_SECRET. */
  'sms-send': ['sendSms', 'signIn'],
  /** Records delivery receipts in the table. */
  'sms-status': [],
  /**
   * The voice line: TwiML behind CloudFront and Amazon Connect's invocations; audio under voice/
   * in the files bucket; the SMS a call sends (key 8, the help SMS, ASK's acknowledgement) go to the queue.
   * Not `behindApi`: the provider's signature is the webhook's proof, wherever the request came from.
   */
  voice: ['voice', 'files', 'queueSms'],
  /** The prompt studio and call records (pages) and voice audio: the files bucket's voice/ prefix only. */
  'voice-studio': ['files', 'attachments', 'signIn', 'behindApi'],
  /**
   * aws-cn only, where no CloudFront reads the buckets: GET of static/ and open-data/ of the public
   * bucket and attachments/ of the files bucket. The one function with no table: it reads its
   * settings with loadPublicFilesConfig (config.ts), not loadConfig.
   */
  'public-files': ['files', 'publicFiles'],
} as const satisfies Record<string, readonly Capability[]>;

export type LambdaName = keyof typeof lambdaCapabilities;
