/**
 * The AWS China partition (`-c partition=aws-cn`) and the Alibaba Cloud SMS gateway
 * (`-c smsGateway=aliyun`): no service the China regions lack, no ARN outside the partition, the
 * API as the public entry, and the SMS functions on the Alibaba secret. The default synth is
 * checked everywhere else in test/infra; here only that the switch adds nothing to it.
 */
import assert from 'node:assert/strict';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { defineStacks } from '../../infra/stacks.ts';
import { actionsOf, type Resource, resourcesOf, type Statement, SynthesizedStack } from './synthesized-stack.ts';

const china = { env: { region: 'cn-northwest-1' }, partition: 'aws-cn' as const, adminPhones: ['+8613800000000'] };
const apiDomain = {
  domainName: 'zhingdrok.example.cn',
  certificateArn: 'arn:aws-cn:acm:cn-northwest-1:123456789012:certificate/0f0f0f0f-0000-4000-8000-000000000000',
};

const synths: Record<'cn' | 'cnDomain' | 'awsAliyun' | 'aws', SynthesizedStack> = {} as never;
beforeAll(() => {
  synths.cn = SynthesizedStack.create(china, { bundle: false });
  synths.cnDomain = SynthesizedStack.create({ ...china, apiDomain }, { bundle: false });
  synths.awsAliyun = SynthesizedStack.create({ smsGateway: 'aliyun' }, { bundle: false });
  synths.aws = SynthesizedStack.create({}, { bundle: false });
});
afterAll(() => {
  for (const synth of Object.values(synths)) synth?.dispose();
});

const typesOf = (synth: SynthesizedStack) => new Set(Object.values(synth.resources).map((r) => r.Type));
/** Our functions (ServiceFunction), not CDK's own singletons (BucketDeployment, Trigger). */
const ourFunctions = (synth: SynthesizedStack): [string, Resource][] =>
  synth.ofType('AWS::Lambda::Function').filter(([, r]) => r.Properties.Environment?.Variables?.APP_MODE === 'aws');
const envOf = (synth: SynthesizedStack, fn: { node: { defaultChild?: unknown } }) =>
  synth.resources[synth.logicalId(fn as never)]!.Properties.Environment.Variables as Record<string, unknown>;

/** Every string anywhere in the template: keys, values, and the parts of every Fn::Join. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...stringsIn(v)]);
  return [];
}

describe('partition aws-cn', () => {
  test('no CloudFront, Amazon Connect, End User Messaging, us-east-1 WAF or SMS budget', () => {
    for (const synth of [synths.cn, synths.cnDomain]) {
      const missing = [...typesOf(synth)].filter((t) =>
        /^AWS::(CloudFront|Connect|SMSVOICE|PinpointSMSVoice|Pinpoint|WAFv2|Budgets)::/.test(t),
      );
      assert.deepEqual(missing, []);
      // Nothing grants Connect, CloudFront or End User Messaging either.
      const services = stringsIn(synth.template.toJSON()).filter((s) =>
        /^(connect|cloudfront|sms-voice)\.amazonaws\.com|^sms-voice:|^cloudfront:/.test(s),
      );
      assert.deepEqual(services, []);
      assert.equal(synth.stack.distribution, undefined);
      assert.equal(synth.stack.smsSpend, undefined);
    }
  });

  test('no arn:aws: anywhere in the template (every string, Fn::Join parts included)', () => {
    for (const synth of [synths.cn, synths.cnDomain]) {
      const strings = stringsIn(synth.template.toJSON());
      assert.ok(strings.length > 1000, `${strings.length} strings`);
      assert.deepEqual(
        strings.filter((s) => s.includes('arn:aws:')),
        [],
      );
      // ARNs are built from the partition: the pseudo-parameter or, where CDK knows the region, aws-cn.
      assert.ok(strings.some((s) => s === 'arn:' || s.startsWith('arn:aws-cn:')) || strings.includes('AWS::Partition'));
    }
  });

  test('every function is Node 22 on arm64, in aws mode', () => {
    const fns = ourFunctions(synths.cn);
    assert.ok(fns.length >= 7, `${fns.length} functions`);
    for (const [id, fn] of fns) {
      assert.equal(fn.Properties.Runtime, 'nodejs22.x', id);
      assert.deepEqual(fn.Properties.Architectures, ['arm64'], id);
    }
  });

  test('the SMS functions (sms-send, jobs, sms-push) send and receive through Alibaba Cloud SMS, and they alone read its secret; http knows the gateway, not the secret', () => {
    const synth = synths.cn;
    const { stack } = synth;
    const secret = { Ref: synth.logicalId(stack.aliyunSecret!) };
    const readsSecret = (s: Statement) => resourcesOf(s).some((r) => JSON.stringify(r) === JSON.stringify(secret));
    const http = envOf(synth, stack.httpFunction);
    assert.equal(http.SMS_GATEWAY, 'aliyun');
    assert.equal(http.ALIYUN_SECRET_ARN, undefined);
    for (const fn of [stack.sms.sendFunction, stack.jobs.function, stack.smsPushFunction!]) {
      const env = envOf(synth, fn);
      assert.equal(env.SMS_GATEWAY, 'aliyun');
      assert.deepEqual(env.ALIYUN_SECRET_ARN, secret);
      assert.ok(
        synth
          .statementsOfFunction(synth.logicalId(fn))
          .some((s) => actionsOf(s).includes('secretsmanager:GetSecretValue') && readsSecret(s)),
      );
    }
    const readers = ourFunctions(synth).filter(([id]) => synth.statementsOfFunction(id).some(readsSecret));
    assert.equal(readers.length, 3);
    assert.ok(!synth.statementsOfFunction(synth.logicalId(stack.httpFunction)).some(readsSecret));
    for (const [id, fn] of ourFunctions(synth)) {
      const names = Object.keys(fn.Properties.Environment.Variables);
      assert.deepEqual(
        names.filter((n) => n.startsWith('EUM_')),
        [],
        id,
      );
    }
    // No inbound or status function: the provider pushes to the push Lambda's routes.
    assert.equal(stack.sms.inboundFunction, undefined);
    assert.equal(stack.sms.statusFunction, undefined);
    const pushRoute = synth
      .ofType('AWS::ApiGatewayV2::Route')
      .find(([, r]) => r.Properties.RouteKey === 'POST /sms/aliyun/{proxy+}');
    assert.ok(pushRoute, 'the push route');
    // With End User Messaging there is no push Lambda and no push route.
    assert.equal(synths.aws.stack.smsPushFunction, undefined);
    assert.equal(
      synths.aws.ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => String(r.Properties.RouteKey).includes('aliyun'))
        .length,
      0,
    );
  });

  test('the secret the stack makes generates the push token and leaves the key pair to fill in; one given is imported', () => {
    const secrets = synths.cn.ofType('AWS::SecretsManager::Secret').map(([, r]) => r.Properties);
    const aliyun = secrets.find((p) => p.GenerateSecretString?.GenerateStringKey === 'pushToken');
    assert.ok(aliyun);
    assert.deepEqual(JSON.parse(aliyun.GenerateSecretString.SecretStringTemplate), {
      accessKeyId: '',
      accessKeySecret: '',
    });
    const arn = 'arn:aws-cn:secretsmanager:cn-northwest-1:123456789012:secret:zhingdrok/aliyun-AbCdEf';
    const imported = SynthesizedStack.create({ ...china, aliyunSecretArn: arn }, { bundle: false });
    try {
      assert.equal(
        imported
          .ofType('AWS::SecretsManager::Secret')
          .filter(([, r]) => r.Properties.GenerateSecretString?.GenerateStringKey === 'pushToken').length,
        0,
      );
      assert.equal(envOf(imported, imported.stack.sms.sendFunction).ALIYUN_SECRET_ARN, arn);
    } finally {
      imported.dispose();
    }
  });

  test('every API integration gets the origin header and the caller address from API Gateway, as CloudFront gave them', () => {
    const integrations = synths.cn.ofType('AWS::ApiGatewayV2::Integration');
    assert.ok(integrations.length >= 4, `${integrations.length} integrations`);
    const originSecret = synths.cn
      .ofType('AWS::SecretsManager::Secret')
      .find(([, r]) => String(r.Properties.Description).includes('ORIGIN_SECRET'))![0];
    for (const [id, integration] of integrations) {
      const params = integration.Properties.RequestParameters;
      assert.match(JSON.stringify(params['overwrite:header.X-Origin-Verify']), new RegExp(originSecret), id);
      assert.equal(params['overwrite:header.True-Client-IP'], '$context.identity.sourceIp', id);
      assert.ok('remove:header.CloudFront-Viewer-Address' in params, id);
    }
  });

  test('the static files still reach their bucket, with no CloudFront to invalidate', () => {
    const deployments = synths.cn.ofType('Custom::CDKBucketDeployment');
    assert.equal(deployments.length, 1);
    assert.equal(deployments[0]![1].Properties.DistributionId, undefined);
  });

  test('a custom domain: regional, TLS 1.2, mapped to the stage, and the execute-api address switched off', () => {
    const synth = synths.cnDomain;
    const domains = synth.ofType('AWS::ApiGatewayV2::DomainName');
    assert.equal(domains.length, 1);
    const domain = domains[0]![1].Properties;
    assert.equal(domain.DomainName, apiDomain.domainName);
    assert.deepEqual(domain.DomainNameConfigurations, [
      { CertificateArn: apiDomain.certificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
    ]);
    const mappings = synth.ofType('AWS::ApiGatewayV2::ApiMapping');
    assert.equal(mappings.length, 1);
    assert.deepEqual(mappings[0]![1].Properties.DomainName, { Ref: domains[0]![0] });
    assert.equal(synth.ofType('AWS::ApiGatewayV2::Api')[0]![1].Properties.DisableExecuteApiEndpoint, true);
    // Attachment links and the voice line's public URL use the domain.
    assert.equal(envOf(synth, synth.stack.httpFunction).FILES_BASE_URL, `https://${apiDomain.domainName}/files`);
    // Without one, the execute-api address stays on.
    assert.equal(synths.cn.ofType('AWS::ApiGatewayV2::DomainName').length, 0);
    assert.equal(synths.cn.ofType('AWS::ApiGatewayV2::Api')[0]![1].Properties.DisableExecuteApiEndpoint, undefined);
  });

  test('what the China regions lack is refused by name, not dropped', () => {
    const refused: [string, object][] = [
      ['End User Messaging', { smsGateway: 'eum' }],
      ['CloudFront', { domain: { domainNames: ['a.example'], certificateArn: apiDomain.certificateArn } }],
      ['WAF', { waf: true }],
    ];
    for (const [what, props] of refused)
      assert.throws(() => SynthesizedStack.create({ ...china, ...props }, { bundle: false }), Error, what);
    assert.throws(
      () =>
        SynthesizedStack.create(
          { ...china, voice: { connectInstanceArn: 'arn:aws-cn:connect:cn-northwest-1:123456789012:instance/x' } },
          { bundle: false },
        ),
      /Amazon Connect/,
    );
    assert.throws(() => SynthesizedStack.create({ apiDomain }, { bundle: false }), /aws-cn/);
  });
});

describe('public files in aws-cn (constructs/public-files.ts)', () => {
  const routeKeys = [
    'GET /static/{proxy+}',
    'HEAD /static/{proxy+}',
    'GET /open-data/{proxy+}',
    'HEAD /open-data/{proxy+}',
    'GET /files/attachments/{proxy+}',
    'HEAD /files/attachments/{proxy+}',
  ];

  test('a function on the three bucket paths, GET and HEAD, given the two bucket names and nothing else', () => {
    const synth = synths.cn;
    const fn = synth.stack.publicFilesFunction!;
    assert.ok(fn);
    const id = synth.logicalId(fn);
    const env = envOf(synth, fn);
    assert.deepEqual(Object.keys(env).sort(), [
      'ADMIN_PHONES',
      'APP_MODE',
      'BUCKET_NAME',
      'LOG_LEVEL',
      'NODE_OPTIONS',
      'PUBLIC_BUCKET_NAME',
    ]);
    assert.deepEqual(env.BUCKET_NAME, { Ref: synth.logicalId(synth.stack.filesBucket) });
    assert.deepEqual(env.PUBLIC_BUCKET_NAME, { Ref: synth.logicalId(synth.stack.staticBucket) });
    assert.equal(synth.resources[id]!.Properties.Handler, 'index.handler');
    const routes = synth
      .ofType('AWS::ApiGatewayV2::Route')
      .filter(([, r]) => routeKeys.includes(r.Properties.RouteKey));
    assert.deepEqual(routes.map(([, r]) => r.Properties.RouteKey).sort(), [...routeKeys].sort());
    for (const [, route] of routes) {
      const integrationId: string = route.Properties.Target['Fn::Join'][1][1].Ref;
      assert.equal(synth.resources[integrationId]!.Properties.IntegrationUri['Fn::GetAtt'][0], id);
    }
    // Its errors and throttles alarm like every function's (constructs/monitoring.ts).
    assert.ok(synth.stack.monitoring.functionAlarms.has(fn));
  });

  test('IAM: s3:GetObject on static/* and open-data/* of the static bucket and attachments/* of the files bucket, nothing more', () => {
    const synth = synths.cn;
    const statements = synth.statementsOfFunction(synth.logicalId(synth.stack.publicFilesFunction!));
    assert.equal(statements.length, 1, JSON.stringify(statements));
    const [statement] = statements;
    assert.equal(statement!.Effect, 'Allow');
    assert.deepEqual(actionsOf(statement!), ['s3:GetObject']);
    const objects = (bucket: { node: { defaultChild?: unknown } }, suffix: string) => ({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [synth.logicalId(bucket as never), 'Arn'] }, suffix]],
    });
    const sorted = (arns: unknown[]) => arns.map((a) => JSON.stringify(a)).sort();
    assert.deepEqual(
      sorted(resourcesOf(statement!)),
      sorted([
        objects(synth.stack.staticBucket, '/static/*'),
        objects(synth.stack.staticBucket, '/open-data/*'),
        objects(synth.stack.filesBucket, '/attachments/*'),
      ]),
    );
    assert.equal(statement!.Condition, undefined);
  });

  test('in aws CloudFront serves these paths: no such function, no such routes', () => {
    for (const synth of [synths.aws, synths.awsAliyun]) {
      assert.equal(synth.stack.publicFilesFunction, undefined);
      const keys = synth.ofType('AWS::ApiGatewayV2::Route').map(([, r]) => String(r.Properties.RouteKey));
      assert.deepEqual(
        keys.filter((k) => /\/(static|open-data|files\/attachments)\//.test(k)),
        [],
      );
      assert.equal(synth.ofType('AWS::CloudFront::Distribution').length, 1);
    }
  });
});

describe('sms-reconcile schedule', () => {
  const reconcile = (synth: SynthesizedStack) =>
    synth
      .ofType('AWS::Scheduler::Schedule')
      .filter(([, r]) => JSON.stringify(r.Properties.Target.Input).includes('sms-reconcile'));

  test('every 10 minutes whenever the gateway is aliyun, in either partition; never with End User Messaging', () => {
    for (const synth of [synths.cn, synths.awsAliyun]) {
      const schedules = reconcile(synth);
      assert.equal(schedules.length, 1);
      assert.equal(schedules[0]![1].Properties.ScheduleExpression, 'rate(10 minutes)');
    }
    assert.equal(reconcile(synths.aws).length, 0);
  });
});

describe('smsGateway=aliyun in the aws partition', () => {
  test('CloudFront stays; End User Messaging and its budget go; the SMS functions get the Alibaba settings', () => {
    const synth = synths.awsAliyun;
    assert.equal(synth.ofType('AWS::CloudFront::Distribution').length, 1);
    assert.deepEqual(
      [...typesOf(synth)].filter((t) => /^AWS::(SMSVOICE|Budgets)::/.test(t)),
      [],
    );
    for (const fn of [synth.stack.httpFunction, synth.stack.sms.sendFunction, synth.stack.jobs.function])
      assert.equal(envOf(synth, fn).SMS_GATEWAY, 'aliyun');
  });
});

describe('the CDK app (infra/stacks.ts) with -c partition=aws-cn', () => {
  const appWith = (context: Record<string, string>) =>
    new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });

  test('Ningxia by default (also over the CLI’s us-east-1 fallback), one stack, no us-east-1 edge stack', () => {
    for (const region of [undefined, 'us-east-1']) {
      const { main, edge } = defineStacks(appWith({ partition: 'aws-cn' }), { region });
      assert.equal(main.region, 'cn-northwest-1');
      assert.equal(main.targetPartition, 'aws-cn');
      assert.equal(edge, undefined);
    }
    const beijing = defineStacks(appWith({ partition: 'aws-cn', region: 'cn-north-1' }), {});
    assert.equal(beijing.main.region, 'cn-north-1');
  });

  test('the custom domain and the gateway from context; names of missing services refused', () => {
    const { main } = defineStacks(
      appWith({
        partition: 'aws-cn',
        apiDomainName: apiDomain.domainName,
        apiCertificateArn: apiDomain.certificateArn,
        smsTemplates: 'tibet',
      }),
      {},
    );
    assert.ok(main.apiDomainName);
    const refused: Record<string, string>[] = [
      { partition: 'aws-cn', smsGateway: 'eum' },
      { partition: 'aws-cn', connectInstanceArn: 'arn:aws-cn:connect:cn-northwest-1:123456789012:instance/x' },
      { partition: 'aws-cn', domainNames: 'a.example', certificateArn: apiDomain.certificateArn },
      { partition: 'aws-cn', waf: 'on' },
      { partition: 'aws-cn', apiDomainName: apiDomain.domainName },
      { partition: 'aws', apiDomainName: apiDomain.domainName, apiCertificateArn: apiDomain.certificateArn },
      { partition: 'aws-cn', aliyunSecretArn: 'arn:aws-cn:secretsmanager:cn-northwest-1:123456789012:secret:x' },
      { partition: 'aws-cn', region: 'eu-west-1' },
      { partition: 'china' },
    ];
    for (const context of refused)
      assert.throws(() => defineStacks(appWith(context), {}), Error, JSON.stringify(context));
    assert.throws(() => defineStacks(appWith({}), { region: 'cn-northwest-1' }), /partition=aws-cn/);
  });
});
