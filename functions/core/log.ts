/**
 * The structured log: one JSON object a line on stdout (CloudWatch in AWS, the terminal
 * locally), at LOG_LEVEL and above. In a Lambda each line also carries the invocation's
 * request id and whether it is the instance's first (cold) invocation, so a line in CloudWatch
 * leads to its invocation, and cold starts can be counted with a metric filter.
 */

const severity = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof severity;
/** What use-cases, routes and handlers log with: `level` (default `info`), `msg`, and any other fields. */
export type Log = (entry: Record<string, unknown>) => void;

/** The invocation under way in this Lambda instance (one at a time); undefined outside Lambda. */
let invocation: { awsRequestId?: string; coldStart: boolean } | undefined;
let invocations = 0;

/**
 * Called by each Lambda entry at the start of an invocation with the handler's context: lines
 * logged until the next call carry its request id and `coldStart` (true on the instance's first
 * invocation only). A Lambda instance runs one invocation at a time, so module state is safe.
 *
 * @example export const handler = (event, context) => { beginInvocation(context); … }
 */
export function beginInvocation(context?: { awsRequestId?: string }): void {
  invocation = { awsRequestId: context?.awsRequestId, coldStart: invocations === 0 };
  invocations += 1;
}

/** The fields beginInvocation adds to each line (for tests and for a log written by hand). */
export function invocationFields(): Record<string, unknown> {
  return invocation ? { ...invocation } : {};
}

/**
 * JSON lines at `level` and above. The entry's own fields come first, then the invocation's.
 *
 * @example jsonLogger('warn')({ level: 'error', msg: 'table unreachable' })
 */
export function jsonLogger(level: LogLevel = 'info'): Log {
  return (entry) => {
    const entryLevel = (entry.level as LogLevel | undefined) ?? 'info';
    if ((severity[entryLevel] ?? severity.info) >= severity[level])
      console.log(JSON.stringify(invocation ? { ...entry, ...invocation } : entry));
  };
}
