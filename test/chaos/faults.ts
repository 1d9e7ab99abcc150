/**
 * Faults injected into real AWS SDK clients through their middleware stacks, below the SDK's
 * retry middleware, so that what retries them is the client's own retry strategy (standard or
 * adaptive: backoff with jitter), exactly as with a throttled table or a failing gateway.
 *
 * - `injectDynamoFaults`: a share of DynamoDB requests answered by a synthetic HTTP 400 whose
 *   body names `ThrottlingException` or `ProvisionedThroughputExceededException`, handed to the
 *   client's own deserializer (so the error is the SDK's real exception class, classified as
 *   throttling by the real retry code). The request never reaches the table, as with a real
 *   throttle.
 * - `injectGatewayFaults`: the same for End User Messaging `SendTextMessage`: HTTP 500
 *   `InternalServerException`, 429-like `ThrottlingException`, and a request that timed out
 *   (`TimeoutError`, as @smithy/node-http-handler raises it).
 * - `countAttempts`: at the outermost step, what the retry middleware did: attempts and the
 *   total retry delay of every call (`$metadata`), successful or not.
 *
 * Every draw comes from one seeded generator, so that a run can be replayed from its seed.
 */
import { HttpResponse } from '@smithy/core/transport';

/** mulberry32: small, fast and seedable; the run prints its seed so that a failure replays. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What one process's clients saw; summed across the processes of a scenario. */
export interface FaultCounts {
  /** Requests that reached the point of sending (each attempt counts). */
  requests: number;
  /** Attempts answered by an injected fault instead of the service. */
  injected: number;
  /** Calls that needed more than one attempt, and the attempts beyond the first. */
  retriedCalls: number;
  retries: number;
  /** Sum of the SDK's `$metadata.totalRetryDelay` (ms): its backoff with jitter. */
  retryDelayMs: number;
  /** Calls that failed after the SDK's last attempt (the caller saw the error). */
  exhausted: number;
}

export const noCounts = (): FaultCounts => ({
  requests: 0,
  injected: 0,
  retriedCalls: 0,
  retries: 0,
  retryDelayMs: 0,
  exhausted: 0,
});

export function addCounts(a: FaultCounts, b: FaultCounts): FaultCounts {
  return {
    requests: a.requests + b.requests,
    injected: a.injected + b.injected,
    retriedCalls: a.retriedCalls + b.retriedCalls,
    retries: a.retries + b.retries,
    retryDelayMs: a.retryDelayMs + b.retryDelayMs,
    exhausted: a.exhausted + b.exhausted,
  };
}

// The stack's own types are generic over every input and output; a fault needs none of them.
type AnyStack = { add(middleware: any, options: any): void };
interface Client {
  middlewareStack: AnyStack;
}

export interface FaultOptions {
  /** Share of attempts that fail (0.2: one in five). */
  rate: number;
  random: () => number;
  counts: FaultCounts;
  /** Called before each attempt with its number (from 1): a kill point can hold it back for ever. */
  beforeRequest?: (n: number) => Promise<void> | void;
}

function jsonResponse(status: number, body: object, headers: Record<string, string>) {
  return {
    response: new HttpResponse({
      statusCode: status,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'chaos', ...headers },
      body: new TextEncoder().encode(JSON.stringify(body)),
    }),
  };
}

/**
 * Below the deserializer (step `deserialize`, priority `low`), the last middleware before the
 * HTTP handler: a fault is a response the deserializer reads, and the retry middleware (step
 * `finalizeRequest`, priority `high`) sees the exception it makes.
 */
function injectBelowRetry(client: Client, name: string, options: FaultOptions, fault: () => object | Error) {
  client.middlewareStack.add(
    (next: (args: any) => Promise<unknown>) => async (args: any) => {
      const n = ++options.counts.requests;
      await options.beforeRequest?.(n);
      if (options.random() < options.rate) {
        options.counts.injected++;
        const outcome = fault();
        if (outcome instanceof Error) throw outcome;
        return outcome;
      }
      return next(args);
    },
    { step: 'deserialize', priority: 'low', name: `chaos-${name}` },
  );
  countAttempts(client, options.counts);
}

const DYNAMO_FAULTS = ['ThrottlingException', 'ProvisionedThroughputExceededException'] as const;

export function injectDynamoFaults(client: Client, options: FaultOptions): void {
  injectBelowRetry(client, 'dynamodb', options, () => {
    const type = DYNAMO_FAULTS[Math.floor(options.random() * DYNAMO_FAULTS.length)];
    return jsonResponse(
      400,
      { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: `${type} (injected)` },
      { 'x-amzn-errortype': type! },
    );
  });
}

export const GATEWAY_FAULTS = ['InternalServerException', 'ThrottlingException', 'TimeoutError'] as const;

export function injectGatewayFaults(client: Client, options: FaultOptions): void {
  injectBelowRetry(client, 'eum', options, () => {
    const type = GATEWAY_FAULTS[Math.floor(options.random() * GATEWAY_FAULTS.length)]!;
    if (type === 'TimeoutError') {
      // What the node HTTP handler throws when requestTimeout passes without a response.
      return Object.assign(new Error('Connection timed out after 5000 ms (injected)'), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      });
    }
    return type === 'InternalServerException'
      ? jsonResponse(500, { __type: type, message: 'internal error (injected)' }, { 'x-amzn-errortype': type })
      : jsonResponse(400, { __type: type, message: 'rate exceeded (injected)' }, { 'x-amzn-errortype': type });
  });
}

const INJECTED = new Set<string>([...DYNAMO_FAULTS, ...GATEWAY_FAULTS]);

interface Metadata {
  $metadata?: { attempts?: number; totalRetryDelay?: number };
}

/** At step `initialize` (outside the retry middleware): attempts and retry delay of every call. */
export function countAttempts(client: Client, counts: FaultCounts): void {
  const note = (meta: Metadata['$metadata']) => {
    const attempts = meta?.attempts ?? 1;
    if (attempts > 1) {
      counts.retriedCalls++;
      counts.retries += attempts - 1;
    }
    counts.retryDelayMs += meta?.totalRetryDelay ?? 0;
  };
  client.middlewareStack.add(
    (next: (args: any) => Promise<{ output: Metadata }>) => async (args: any) => {
      try {
        const result = await next(args);
        note(result.output?.$metadata);
        return result;
      } catch (err) {
        // Only faults the retry gave up on: a refused condition is an answer, not a failure.
        if (INJECTED.has((err as Error).name)) counts.exhausted++;
        note((err as Metadata).$metadata);
        throw err;
      }
    },
    { step: 'initialize', priority: 'high', name: 'chaos-attempts' },
  );
}
