/**
 * What the chaos harness (test/chaos/harness.ts, in the parent process that keeps the stores)
 * and its children (test/chaos/child.ts, the application side that is killed) say to each other.
 */
import type { FaultCounts } from './faults.ts';

export type FaultKind = 'dynamodb' | 'gateway';
export type ScenarioName = 'inbound' | 'import' | 'broadcast' | 'exchange';

/** One child run: the first (killed at `killAt`), a rerun of what was left, or a replay of dead letters. */
export interface ChildJob {
  scenario: ScenarioName;
  phase: 'first' | 'rerun' | 'replay';
  /** The settings the child loads (APP_MODE, TABLE_NAME, DYNAMODB_ENDPOINT of the parent's dynalite…). */
  env: Record<string, string>;
  s3Endpoint: string;
  /** The End User Messaging stand-in the sender sends to (kept by the parent: it survives a kill). */
  eumUrl: string;
  faults: FaultKind | 'none';
  rate: number;
  seed: number;
  /** The n-th request (DynamoDB, or the gateway under gateway faults) is held back for ever and `kill n` printed. */
  killAt?: number;
  /** Work of the scenario for this phase, as JSON (events, rows, ids). */
  input: unknown;
  /**
   * The simulated clock (epoch ms) the previous child had reached: this one starts no earlier,
   * as time in AWS does not go back when a Lambda dies.
   */
  clockFrom?: number;
}

/**
 * An AWS Lambda asynchronous-invocation failure record, as the on-failure destination (an SQS
 * queue: the SNS failed-events queue, the jobs dead-letter queue) receives it. `requestPayload`
 * is the original event: enough to invoke the function again (functions/local/replay-dead-letters.ts).
 */
export interface LambdaFailureRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetriesExhausted' | 'EventAgeExceeded' | 'RetryAttemptsExhausted';
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext: { statusCode: number; executedVersion: string; functionError: string };
  responsePayload: { errorType: string; errorMessage: string };
}

/**
 * What lands in a dead-letter queue: a Lambda failure record (the SNS failed-events queue, the
 * jobs dead-letter queue), or an SQS message's body after its last receive (the outbound and bulk
 * queues' dead-letter queues).
 */
export type DeadLetter = { queue: 'lambda-failure'; body: LambdaFailureRecord } | { queue: 'sqs'; body: string };

/** What a child reported before it ended or was killed (read from its stdout lines). */
export interface ChildReport {
  /** Work items whose invocation or request succeeded (Lambda acknowledged, HTTP 2xx). */
  acked: string[];
  /** Work that exhausted its retries, with its dead letter (key: the work item). */
  dead: Array<{ key: string; record: DeadLetter }>;
  /** Invocations beyond the first of a work item (Lambda's and SQS's redeliveries). */
  redeliveries: number;
  counts: FaultCounts;
  killedAt?: number;
  /** How many requests the gateway stand-in had seen when the kill was reported. */
  gatewayAtKill?: number;
  /** The child ran to its end (was not killed). */
  finished: boolean;
  /** The last simulated time (epoch ms) the child reported, for the next child's `clockFrom`. */
  clock?: number;
  /** Its stderr, for a failure's message. */
  stderr: string;
}

/** One row of the report, each figure counted from the stores and the gateway stand-in after the run. */
export interface ScenarioRow {
  scenario: string;
  faults: FaultKind;
  /** Operations the scenario tried (messages, rows, recipients, offers). */
  tried: number;
  /** Operations whose effect is in the stores (and, for SMS, at the gateway once). */
  completed: number;
  /** SDK retries (attempts beyond the first) plus redeliveries of unacknowledged work. */
  retried: number;
  /** Operations whose work is in a dead-letter queue (or recorded failed, the sender's dead letter). */
  deadLettered: number;
  /** Effects that happened more than once (two SMS for one cause, a price stored twice, a match told twice). */
  duplicated: number;
  /** Accepted operations with no effect and no dead letter. */
  lost: number;
  /**
   * SMS the gateway took just before the kill whose record the kill cut off, sent again by the
   * rerun: the one window no store can close, since End User Messaging takes no idempotency key
   * (replies and notices are sent at least once, broadcasts at most once). Not counted as duplicated.
   */
  cutOff: number;
  /**
   * The same window the other way round: SMS sent at most once (broadcasts) whose sending the
   * kill cut off between marking it and the gateway's answer, so the rerun records them
   * `unknown` and does not send them again, and the gateway never had them. Only with a kill;
   * not counted as lost.
   */
  cutOffUnsent: number;
  /** The work's own record says it never finished (a broadcast still sending after the reruns). */
  unfinished: boolean;
  /** Faults injected, and where the first child was killed (`-`: it finished first). */
  injected: number;
  killedAt: string;
  /** Dead letters replayed afterwards, and how many of those then completed. */
  replayed: number;
  notes: string[];
}
