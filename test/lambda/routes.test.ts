/**
 * The route manifest (functions/http/routes.ts), the API Gateway routes in the synthesized
 * template and the routes each Lambda's app registers agree: every path reaches the Lambda
 * whose app serves it, and the manifest lists nothing stale.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { aliyunPushDeps, createSmsPushApp } from '#handlers/sms-push.ts';
import { createApp } from '#http/app.ts';
import { importRoutes } from '#http/import-routes.ts';
import { openApiDocument } from '#http/openapi.ts';
import { type ApiLambdaName, apiLambdas, lambdaOf, routeMatches } from '#http/routes.ts';
import { voiceStudioRoutes } from '#http/voice-studio-routes.ts';
import { localRoutes } from '#local/server.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { SynthesizedStack } from '../infra/synthesized-stack.ts';

let stack: TestStack;
let synth: SynthesizedStack;
beforeAll(async () => {
  stack = await startTestStack();
  // aws-cn, so that every manifest route is in the template: the push routes are made only with
  // the Alibaba gateway (its gateway there), the public-files routes only where there is no CloudFront.
  synth = SynthesizedStack.create(
    { env: { region: 'cn-northwest-1' }, partition: 'aws-cn', smsGateway: 'aliyun' },
    { bundle: false },
  );
});
afterAll(async () => {
  synth?.dispose();
  await stack?.close();
});

type Registered = { method: string; path: string };
/** The app's own routes as `METHOD /path`, without middleware (registered for ALL on wildcard paths). */
const routesOf = (app: { routes: Registered[] }) =>
  app.routes
    .filter((r) => !(r.method === 'ALL' && r.path.includes('*')))
    .map((r) => ({ method: r.method, path: r.path }));
const key = (r: Registered) => `${r.method} ${r.path}`;
/** A concrete request path for a Hono route pattern (`:id` → a value). */
const concrete = (path: string) => path.replace(/:[^/]+/g, 'x1');

describe('route manifest', () => {
  test('API Gateway has exactly the manifest routes, each on its Lambda, and $default on the http Lambda', () => {
    const { stack: cdk, resources } = synth;
    const functionIds: Record<ApiLambdaName, string> = {
      http: synth.logicalId(cdk.httpFunction),
      'price-import': synth.logicalId(cdk.priceImportFunction),
      voice: synth.logicalId(cdk.voiceFunction),
      'voice-studio': synth.logicalId(cdk.voiceStudioFunction),
      'sms-push': synth.logicalId(cdk.smsPushFunction!),
      'public-files': synth.logicalId(cdk.publicFilesFunction!),
    };
    const functionOfRoute = (routeKey: string) => {
      const [, route] = synth.ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === routeKey)!;
      const integrationId: string = route.Properties.Target['Fn::Join'][1][1].Ref;
      return resources[integrationId]!.Properties.IntegrationUri['Fn::GetAtt'][0];
    };
    const expected = Object.entries(apiLambdas).flatMap(([name, lambda]) =>
      lambda.routes === '$default'
        ? [{ routeKey: '$default', fn: functionIds[name as ApiLambdaName] }]
        : lambda.routes.map((r) => ({ routeKey: `${r.method} ${r.path}`, fn: functionIds[name as ApiLambdaName] })),
    );
    const inTemplate = synth.ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
    assert.deepEqual(inTemplate.sort(), expected.map((e) => e.routeKey).sort());
    for (const { routeKey, fn } of expected) assert.equal(functionOfRoute(routeKey), fn, routeKey);
  });

  test("every route of the http Lambda's app reaches the http Lambda", () => {
    const http = routesOf(createApp(stack.deps));
    assert.ok(http.length > 40, `${http.length} routes`);
    for (const r of http) assert.equal(lambdaOf(r.method, concrete(r.path)), 'http', key(r));
  });

  test("the routes only the import Lambda's app has reach it, and each manifest route serves one of them", () => {
    const httpKeys = new Set(routesOf(createApp(stack.deps)).map(key));
    const importApp = createApp(stack.deps, { extraRoutes: importRoutes(stack.deps), openApi: openApiDocument });
    const own = routesOf(importApp).filter((r) => !httpKeys.has(key(r)));
    assert.ok(own.length >= 4, own.map(key).join(', '));
    for (const r of own) assert.equal(lambdaOf(r.method, concrete(r.path)), 'price-import', key(r));
    for (const route of apiLambdas['price-import'].routes) {
      const methods = route.method === 'ANY' ? ['GET', 'POST'] : [route.method];
      assert.ok(
        own.some((r) => methods.includes(r.method) && routeMatches(route, r.method, concrete(r.path))),
        `${route.method} ${route.path} serves a route of the import app`,
      );
    }
  });

  test('the local server serves every Lambda’s routes in one app', () => {
    const local = createApp(stack.deps, {
      extraRoutes: localRoutes(stack.deps, { devTools: false }),
      openApi: openApiDocument,
    });
    const importApp = createApp(stack.deps, { extraRoutes: importRoutes(stack.deps), openApi: openApiDocument });
    const httpKeys = new Set(routesOf(createApp(stack.deps)).map(key));
    const studio = routesOf(createApp(stack.deps, { extraRoutes: voiceStudioRoutes(stack.deps) }))
      .map(key)
      .filter((k) => !httpKeys.has(k));
    const voice = apiLambdas.voice.routes.map((r) => `${r.method} ${r.path}`);
    const push = routesOf(createSmsPushApp(aliyunPushDeps(stack.deps))).map(key);
    for (const r of push) assert.equal(lambdaOf('POST', concrete(r.split(' ')[1]!)), 'sms-push', r);
    assert.deepEqual(
      routesOf(local).map(key).sort(),
      [...routesOf(importApp).map(key), ...studio, ...voice, ...push].sort(),
    );
  });

  test("the routes only the voice studio's app has reach it, and each manifest route serves one of them", () => {
    const httpKeys = new Set(routesOf(createApp(stack.deps)).map(key));
    const own = routesOf(createApp(stack.deps, { extraRoutes: voiceStudioRoutes(stack.deps) })).filter(
      (r) => !httpKeys.has(key(r)),
    );
    assert.ok(own.length >= 4, own.map(key).join(', '));
    for (const r of own) assert.equal(lambdaOf(r.method, concrete(r.path)), 'voice-studio', key(r));
    for (const route of apiLambdas['voice-studio'].routes) {
      const methods = route.method === 'ANY' ? ['GET', 'POST'] : [route.method];
      assert.ok(
        own.some((r) => methods.includes(r.method) && routeMatches(route, r.method, concrete(r.path))),
        `${route.method} ${route.path} serves a route of the studio app`,
      );
    }
  });

  test("the voice Lambda's app serves exactly its manifest routes, and they reach it", async () => {
    const { voiceRoutes } = await import('#http/voice/twiml.ts');
    const app = voiceRoutes({
      line: { turn: async () => ({ callId: 'x', seq: 1, steps: [] }) },
      clipUrl: () => '',
      requireSignature: false,
      log: () => {},
    });
    const own = routesOf(app).map(key).sort();
    assert.deepEqual(own, apiLambdas.voice.routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const r of apiLambdas.voice.routes) assert.equal(lambdaOf(r.method, r.path), 'voice');
  });

  test('lambdaOf matches as API Gateway does: ANY, exact paths and greedy {proxy+}', () => {
    assert.equal(lambdaOf('POST', '/api/v1/prices/import'), 'price-import');
    assert.equal(lambdaOf('GET', '/api/v1/prices/import'), 'http');
    assert.equal(lambdaOf('GET', '/staff/prices/upload'), 'price-import');
    assert.equal(lambdaOf('POST', '/staff/prices/upload/confirm'), 'price-import');
    assert.equal(lambdaOf('GET', '/staff/prices/uploads'), 'http');
    assert.equal(lambdaOf('get', '/api/v1/openapi.json'), 'price-import');
    assert.equal(lambdaOf('GET', '/'), 'http');
  });
});
