/**
 * How long an inbound run may take, and when its claim counts as abandoned. Kept apart (no
 * imports) so that the CDK stack can set the sms-inbound Lambda's timeout from the same
 * figures the pipeline uses.
 *
 * In AWS a run that fails (a crash, a timeout, or a redelivery finding the claim still
 * `processing`) is retried by Lambda's asynchronous retries: the first one minute after the
 * failure, the second two minutes after that. So:
 * - the stale window must be longer than a run can last (the Lambda timeout), or a retry could
 *   take over a claim whose run is still at work;
 * - and shorter than the first retry's wait, so that the retry after a crash finds the claim
 *   stale and takes it over, instead of failing once more.
 * 10 s < 30 s < 60 s.
 */

/** The sms-inbound Lambda's timeout: the longest a run can hold a claim while alive. */
export const INBOUND_RUN_LIMIT_MS = 10_000;

/** A claim still `processing` after this long belongs to a run that died: take it over. */
export const INBOUND_CLAIM_STALE_MS = 30_000;

/** Lambda's wait before the first retry of a failed asynchronous invocation (SNS → Lambda). */
export const LAMBDA_FIRST_RETRY_MS = 60_000;
