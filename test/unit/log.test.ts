import assert from 'node:assert/strict';
import { test } from 'vitest';
import { beginInvocation, invocationFields, jsonLogger } from '#core/log.ts';
import { lambdaContext } from '#test/fixtures/apigw-v2.ts';

/** Runs fn with console.log captured; returns the lines it wrote, parsed. */
function linesOf(fn: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const original = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    fn();
  } finally {
    console.log = original;
  }
  return lines.map((l) => JSON.parse(l));
}

test('outside a Lambda invocation a line is the entry alone', () => {
  assert.deepEqual(invocationFields(), {});
  assert.deepEqual(
    linesOf(() => jsonLogger()({ level: 'info', msg: 'started', port: 3000 })),
    [{ level: 'info', msg: 'started', port: 3000 }],
  );
});

test('in a Lambda each line carries the request id, and coldStart only on the first invocation', () => {
  const log = jsonLogger('info');
  const first = linesOf(() => {
    beginInvocation(lambdaContext);
    log({ level: 'info', msg: 'one', requestId: 'http-1' });
    log({ level: 'warn', msg: 'two' });
  });
  assert.deepEqual(first, [
    { level: 'info', msg: 'one', requestId: 'http-1', awsRequestId: lambdaContext.awsRequestId, coldStart: true },
    { level: 'warn', msg: 'two', awsRequestId: lambdaContext.awsRequestId, coldStart: true },
  ]);
  const second = linesOf(() => {
    beginInvocation({ ...lambdaContext, awsRequestId: 'second-invocation' });
    log({ level: 'info', msg: 'three' });
    log({ level: 'debug', msg: 'below the level' });
  });
  assert.deepEqual(second, [{ level: 'info', msg: 'three', awsRequestId: 'second-invocation', coldStart: false }]);
});
