/**
 * The price-import Lambda in the synthesized template: its own function with more memory and
 * time, reached by exactly the import paths, with least-privilege table and bucket access; and
 * the CSV reader bundled there, not in the http Lambda.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { ZhingdrokStack } from '../../infra/stack.ts';
import { actionsOf, type Resource, SynthesizedStack } from './synthesized-stack.ts';

let synth: SynthesizedStack;
let stack: ZhingdrokStack;
let resources: Record<string, Resource>;
let importId: string;

beforeAll(() => {
  synth = SynthesizedStack.create({ adminPhones: ['+8613800000000'] });
  ({ stack, resources } = synth);
  importId = synth.logicalId(stack.priceImportFunction);
});
afterAll(() => synth?.dispose());

/** The logical id of the Lambda a route's integration invokes. */
function functionOfRoute(route: Resource): string {
  const integrationId: string = route.Properties.Target['Fn::Join'][1][1].Ref;
  const uri = resources[integrationId]!.Properties.IntegrationUri;
  return uri['Fn::GetAtt'][0];
}

describe('price-import Lambda', () => {
  test("Node 22 on arm64, 1 GB and 29 s (API Gateway's integration limit), with the settings the app needs", () => {
    const p = resources[importId]!.Properties;
    assert.equal(p.Runtime, 'nodejs22.x');
    assert.deepEqual(p.Architectures, ['arm64']);
    assert.equal(p.MemorySize, 1024);
    assert.equal(p.Timeout, 29);
    assert.equal(p.Handler, 'index.handler');
    const env = p.Environment.Variables;
    for (const name of ['TABLE_NAME', 'BUCKET_NAME', 'AUTH_SECRET_ARN', 'APP_MODE']) assert.ok(env[name], name);
    // The import routes send no SMS: no queue, no grant to it.
    assert.equal(env.SMS_QUEUE_URL, undefined);
    assert.ok(
      !synth
        .statementsOfFunction(importId)
        .flatMap(actionsOf)
        .some((a) => a.startsWith('sqs:')),
    );
    assert.equal(env.APP_MODE, 'aws');
  });

  test('API Gateway sends it the import paths and nothing else; everything else stays with the http Lambda', () => {
    const routes = synth.ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r);
    const mine = routes
      .filter((r) => r.Properties.Target && functionOfRoute(r) === importId)
      .map((r) => r.Properties.RouteKey)
      .sort();
    assert.deepEqual(mine, [
      'ANY /staff/prices/upload',
      'ANY /staff/prices/upload/{proxy+}',
      'GET /api/v1/openapi.json',
      'POST /api/v1/prices/import',
    ]);
    const fallback = routes.find((r) => r.Properties.RouteKey === '$default');
    assert.equal(functionOfRoute(fallback!), synth.logicalId(stack.httpFunction));
    const invokers = synth
      .ofType('AWS::Lambda::Permission')
      .filter(([, p]) => p.Properties.FunctionName['Fn::GetAtt']?.[0] === importId);
    assert.equal(invokers.length, 4, 'one invoke permission per route');
    for (const [, p] of invokers) assert.equal(p.Properties.Principal, 'apigateway.amazonaws.com');
  });

  test('least privilege: item reads and batch writes on the table (no Scan), objects in the files bucket only', () => {
    const statements = synth.statementsOfFunction(importId);
    const actions = statements.flatMap(actionsOf);
    for (const a of [
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:Query',
      'dynamodb:GetItem',
      's3:PutObject',
    ])
      assert.ok(actions.includes(a), a);
    assert.ok(!actions.some((a) => /Scan|Transact|\*$/.test(a) && a.startsWith('dynamodb:')), actions.join(' '));
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    const buckets = JSON.stringify(s3.map((s) => s.Resource));
    assert.ok(buckets.includes(synth.logicalId(stack.filesBucket)));
    assert.ok(!buckets.includes(synth.logicalId(stack.staticBucket)), 'never the static bucket');
  });

  test('the CSV reader is bundled into the import Lambda only', () => {
    const code = (id: string) => readFileSync(path.join(synth.assetDirOf(id), 'index.mjs'), 'utf8');
    // An error code of csv-parse's parser, and the import's batch writer.
    assert.match(code(importId), /CSV_QUOTE_NOT_CLOSED/);
    assert.match(code(importId), /BatchWriteItem/);
    const http = code(synth.logicalId(stack.httpFunction));
    assert.doesNotMatch(http, /CSV_QUOTE_NOT_CLOSED/);
    assert.doesNotMatch(http, /imports\/prices\//);
    assert.match(http, /prices\.csv/, 'the export stays in the http Lambda');
    // zod's JSON Schema generator (its "draft-2020-12" target name) builds the OpenAPI document, in the import Lambda only.
    assert.match(code(importId), /draft-2020-12/);
    assert.doesNotMatch(http, /draft-2020-12/);
  });
});
