/**
 * The CDK stack, asserted on its synthesized CloudFormation: what must hold in AWS for the
 * design to be true (one table shaped like the local one, private buckets, least privilege,
 * CloudFront in front). Synthesizes once, bundling the real Lambda entries with esbuild.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { tableDefinition } from '#adapters/dynamodb/table-definition.ts';
import { type LambdaName, lambdaCapabilities } from '#handlers/capabilities.ts';
import type { ZhingdrokStack } from '../../infra/stack.ts';
import {
  actionsOf,
  arnOf,
  type Resource,
  ref,
  resourcesOf,
  type Statement,
  SynthesizedStack,
} from './synthesized-stack.ts';

let synth: SynthesizedStack;
let stack: ZhingdrokStack;
let template: Template;
let resources: Record<string, Resource>;
const logicalId = (construct: IConstruct) => synth.logicalId(construct);
const ofType = (type: string) => synth.ofType(type);

beforeAll(() => {
  synth = SynthesizedStack.create({ adminPhones: ['+8613800000000'] });
  ({ stack, template, resources } = synth);
});

afterAll(() => synth?.dispose());

describe('table', () => {
  test('is the one table, on demand, with PITR, deletion protection and AWS-managed encryption', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      }),
    });
  });

  test('keys, TTL and indexes come from tableDefinition', () => {
    const [, table] = ofType('AWS::DynamoDB::GlobalTable')[0]!;
    const p = table.Properties;
    assert.deepEqual(p.KeySchema, [
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ]);
    assert.deepEqual(p.TimeToLiveSpecification, { AttributeName: tableDefinition.ttlAttribute, Enabled: true });
    assert.deepEqual(
      p.GlobalSecondaryIndexes,
      tableDefinition.globalSecondaryIndexes.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    const attributes = Object.fromEntries(p.AttributeDefinitions.map((a: any) => [a.AttributeName, a.AttributeType]));
    const expectedKeys = [
      tableDefinition.partitionKey,
      tableDefinition.sortKey,
      ...tableDefinition.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
    ];
    assert.deepEqual(attributes, Object.fromEntries(expectedKeys.map((k) => [k, 'S'])));
  });
});

describe('buckets', () => {
  test('every bucket is versioned, encrypted, private, retained and expires old versions', () => {
    const buckets = ofType('AWS::S3::Bucket');
    assert.equal(buckets.length, 3, 'files, static and access-log buckets');
    for (const [id, bucket] of buckets) {
      const p = bucket.Properties;
      assert.equal(bucket.DeletionPolicy, 'Retain', id);
      assert.deepEqual(p.VersioningConfiguration, { Status: 'Enabled' }, id);
      assert.equal(
        p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
        'AES256',
        id,
      );
      assert.deepEqual(
        p.PublicAccessBlockConfiguration,
        { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        id,
      );
      const rule = p.LifecycleConfiguration.Rules.find((r: any) => r.NoncurrentVersionExpiration);
      assert.equal(rule?.Status, 'Enabled', `${id}: lifecycle rule for noncurrent versions`);
      assert.ok(rule.NoncurrentVersionExpiration.NoncurrentDays <= 365, id);
    }
  });

  test('CSV uploads previewed but never confirmed (staged/) expire after a day, in the files bucket only', () => {
    const rulesOf = (id: string) =>
      resources[id]!.Properties.LifecycleConfiguration.Rules as Array<Record<string, any>>;
    const staged = rulesOf(logicalId(stack.filesBucket)).find((r) => r.Prefix === 'staged/');
    assert.equal(staged?.Status, 'Enabled');
    assert.equal(staged?.ExpirationInDays, 1);
    assert.equal(staged?.NoncurrentVersionExpiration?.NoncurrentDays, 1);
    assert.ok(!rulesOf(logicalId(stack.staticBucket)).some((r) => r.Prefix === 'staged/'));
  });

  test('every bucket policy denies requests without TLS', () => {
    for (const [id] of ofType('AWS::S3::Bucket')) {
      const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === id);
      assert.ok(policy, `${id} has a bucket policy`);
      const statements: Statement[] = policy[1].Properties.PolicyDocument.Statement;
      const denyPlainHttp = statements.find(
        (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      );
      assert.ok(denyPlainHttp, `${id} denies aws:SecureTransport false`);
      assert.deepEqual(actionsOf(denyPlainHttp), ['s3:*']);
      assert.deepEqual(resourcesOf(denyPlainHttp)[0], arnOf(id));
    }
  });

  test('CloudFront reads the static bucket, and of the files bucket attachments/ only, and only from this distribution', () => {
    const allowsOf = (bucketId: string) =>
      ofType('AWS::S3::BucketPolicy')
        .filter(([, p]) => p.Properties.Bucket.Ref === bucketId)
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => s.Effect === 'Allow');
    // The files bucket: attachments only, never uploads, CSV files or exports (test/infra/knowledge.test.ts).
    const [files, ...otherFiles] = allowsOf(logicalId(stack.filesBucket));
    assert.equal(otherFiles.length, 0);
    assert.deepEqual(resourcesOf(files!), [
      { 'Fn::Join': ['', [arnOf(logicalId(stack.filesBucket)), '/attachments/*']] },
    ]);
    const [allow, ...others] = allowsOf(logicalId(stack.staticBucket));
    assert.equal(others.length, 0);
    for (const grant of [allow, files]) {
      assert.deepEqual(grant?.Principal, { Service: 'cloudfront.amazonaws.com' });
      assert.deepEqual(actionsOf(grant!), ['s3:GetObject']);
    }
    assert.match(JSON.stringify(allow!.Condition), new RegExp(`distribution/.*${logicalId(stack.distribution!)}`));
    assert.match(JSON.stringify(files!.Condition), new RegExp(`distribution/.*${logicalId(stack.distribution!)}`));
  });

  test('static assets deploy under static/ of the static bucket and invalidate /static/*', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: ref(logicalId(stack.staticBucket)),
      DestinationBucketKeyPrefix: 'static/',
      DistributionId: ref(logicalId(stack.distribution!)),
      DistributionPaths: ['/static/*'],
    });
  });
});

describe('functions', () => {
  // Keyed by entry file name (functions/handlers/<name>.ts).
  const functions = () => ({
    http: logicalId(stack.httpFunction),
    seed: logicalId(stack.seedFunction),
    'sms-inbound': logicalId(stack.sms.inboundFunction!),
    'sms-send': logicalId(stack.sms.sendFunction),
    'sms-status': logicalId(stack.sms.statusFunction!),
    jobs: logicalId(stack.jobs.function),
    'price-import': logicalId(stack.priceImportFunction),
  });
  /** CSV imports read and check whole files in memory: their Lambda has more. */
  const memoryOf: Record<string, number> = { 'price-import': 1024 };

  test('run Node 22 on arm64 from an ESM bundle, with the aws settings and source maps', () => {
    for (const [name, id] of Object.entries(functions())) {
      const p = resources[id]!.Properties;
      assert.equal(p.Runtime, 'nodejs22.x', name);
      assert.deepEqual(p.Architectures, ['arm64'], name);
      assert.equal(p.Handler, 'index.handler', name);
      assert.equal(p.MemorySize, memoryOf[name] ?? 512, name);
      const env = p.Environment.Variables;
      assert.equal(env.APP_MODE, 'aws', name);
      assert.equal(env.LOG_LEVEL, 'info', name);
      assert.match(env.NODE_OPTIONS, /(^|\s)--enable-source-maps(\s|$)/, name);
      assert.deepEqual(env.TABLE_NAME, ref(logicalId(stack.table)), name);
      // The files bucket and AUTH_SECRET only where a capability uses them (test/infra/capabilities.test.ts).
      const capabilities: readonly string[] = lambdaCapabilities[name as LambdaName];
      if (capabilities.includes('files')) assert.deepEqual(env.BUCKET_NAME, ref(logicalId(stack.filesBucket)), name);
      else assert.equal(env.BUCKET_NAME, undefined, name);
      assert.equal(env.ADMIN_PHONES, '+8613800000000', name);
      assert.equal(env.AWS_REGION, undefined, `${name}: Lambda sets AWS_REGION itself`);
      // AUTH_SECRET (required where sign-in is) is read at run time from the stack's generated
      // secret: the function is given its ARN, never the value (test/infra/secrets.test.ts).
      if (capabilities.includes('signIn'))
        assert.deepEqual(env.AUTH_SECRET_ARN, ref(logicalId(stack.authSecret)), `${name} AUTH_SECRET_ARN`);
      else assert.equal(env.AUTH_SECRET_ARN, undefined, `${name} AUTH_SECRET_ARN`);
      assert.equal(env.AUTH_SECRET, undefined, `${name} AUTH_SECRET`);
    }
    assert.equal(resources[functions().http]!.Properties.Timeout, 10);
  });

  test('log to their own log group with a retention', () => {
    for (const [name, id] of Object.entries(functions())) {
      const groupRef = resources[id]!.Properties.LoggingConfig?.LogGroup;
      assert.ok(groupRef?.Ref, `${name} has an explicit log group`);
      const group = resources[groupRef.Ref]!;
      assert.equal(group.Type, 'AWS::Logs::LogGroup');
      assert.equal(group.Properties.RetentionInDays, 30, name);
    }
  });

  test('each bundle is a minified ES module with an external source map, taking the AWS SDK from the runtime', () => {
    for (const [name, id] of Object.entries(functions())) {
      const assetDir = synth.assetDirOf(id);
      const bundle = path.join(assetDir, 'index.mjs');
      assert.ok(existsSync(bundle), `${name} bundle at ${bundle}`);
      const code = readFileSync(bundle, 'utf8');
      assert.match(
        code.slice(0, 200),
        /^import \{ createRequire as \w+ \} from 'node:module';const require = \w+\(import\.meta\.url\);/,
      );
      assert.match(code, /export\s*\{[^}]*\bhandler\b[^}]*\}/, `${name} exports handler`);
      assert.match(code.trimEnd(), /\/\/# sourceMappingURL=index\.mjs\.map$/);
      // infra/bundling.ts: the SDK (and Smithy, its runtime) is imported from the Lambda runtime, never bundled.
      assert.match(
        code,
        /from\s*["']@aws-sdk\/(client-dynamodb|lib-dynamodb)["']/,
        `${name}: the SDK is imported, not bundled`,
      );
      assert.doesNotMatch(code, /PartitionResult#dnsSuffix/, `${name}: no SDK endpoint rules (SDK code) inside`);
      const specifiers = [
        ...code.matchAll(/\bfrom\s*["']([@a-z][\w@/:.-]*)["']|\bimport\(\s*["']([@a-z][\w@/:.-]*)["']\)/g),
      ].map((m) => (m[1] ?? m[2])!);
      assert.deepEqual(
        specifiers.filter((p) => !/^(node:|@aws-sdk\/|@smithy\/)/.test(p)),
        [],
        `${name}: only node: and SDK imports stay external`,
      );
      // Minified output is a few very long lines (template literals keep their newlines).
      assert.ok(code.length / code.split('\n').length > 500, `${name} is minified`);
      // With esbuild's default ASCII charset every Tibetan letter would be a \u escape.
      assert.match(code, /[\u0F00-\u0FFF]/, `${name}: Tibetan is kept as UTF-8`);
      const check = spawnSync(process.execPath, ['--check', bundle], { encoding: 'utf8' });
      assert.equal(check.status, 0, `node --check ${name}: ${check.stderr}`);

      const map = JSON.parse(readFileSync(path.join(assetDir, 'index.mjs.map'), 'utf8'));
      assert.equal(map.version, 3);
      assert.ok(
        map.sources.some((s: string) => s.endsWith(`functions/handlers/${name}.ts`)),
        `${name} maps back to its entry`,
      );
      assert.equal(map.sourcesContent, undefined, 'sources stay out of the map');
    }
  });
});

describe('HTTP API', () => {
  test('sends every path no other Lambda claims ($default) to the http function, with the v2 payload', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    // The other Lambdas' routes are the manifest's (test/lambda/routes.test.ts checks each one).
    const httpUri = JSON.stringify(arnOf(logicalId(stack.httpFunction)));
    const [integrationId] = ofType('AWS::ApiGatewayV2::Integration')
      .filter(([, r]) => JSON.stringify(r.Properties?.IntegrationUri) === httpUri)
      .map(([id]) => id);
    assert.ok(integrationId, 'an integration with the http function');
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: arnOf(logicalId(stack.httpFunction)),
      PayloadFormatVersion: '2.0',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$default',
      Target: { 'Fn::Join': ['', ['integrations/', ref(integrationId!)]] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(logicalId(stack.httpFunction)),
      Principal: 'apigateway.amazonaws.com',
    });
  });
});

describe('CloudFront', () => {
  const config = () => ofType('AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig;
  const originOf = (originId: string) => config().Origins.find((o: any) => o.Id === originId);

  test('default behaviour: uncached, all methods, viewer headers but Host, to the HTTP API', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    const d = config().DefaultCacheBehavior;
    assert.equal(d.CachePolicyId, CachePolicy.CACHING_DISABLED.cachePolicyId);
    assert.equal(d.OriginRequestPolicyId, OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId);
    assert.deepEqual([...d.AllowedMethods].sort(), ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    assert.equal(d.ViewerProtocolPolicy, 'redirect-to-https');
    assert.equal(d.Compress, true);
    const origin = originOf(d.TargetOriginId);
    assert.equal(origin.CustomOriginConfig.OriginProtocolPolicy, 'https-only');
    assert.match(JSON.stringify(origin.DomainName), new RegExp(`"Ref":"${logicalId(stack.api)}".*execute-api`));
  });

  test('/static/* is the only other behaviour but attachments and open data: cached, from S3 through origin access control', () => {
    const behaviours = config().CacheBehaviors;
    // The others: /files/attachments/* (test/infra/knowledge.test.ts), /open-data/* (test/infra/open-data.test.ts).
    assert.deepEqual(behaviours.map((b: any) => b.PathPattern).sort(), [
      '/files/attachments/*',
      '/open-data/*',
      '/static/*',
    ]);
    const s = behaviours.find((b: any) => b.PathPattern === '/static/*');
    assert.equal(s.PathPattern, '/static/*');
    assert.equal(s.CachePolicyId, CachePolicy.CACHING_OPTIMIZED.cachePolicyId);
    assert.deepEqual(s.AllowedMethods, ['GET', 'HEAD']);
    assert.equal(s.ViewerProtocolPolicy, 'redirect-to-https');
    const origin = originOf(s.TargetOriginId);
    assert.deepEqual(origin.DomainName, { 'Fn::GetAtt': [logicalId(stack.staticBucket), 'RegionalDomainName'] });
    const oacId = origin.OriginAccessControlId['Fn::GetAtt'][0];
    assert.equal(resources[oacId]?.Type, 'AWS::CloudFront::OriginAccessControl');
    const oac = resources[oacId]!.Properties.OriginAccessControlConfig;
    assert.equal(oac.OriginAccessControlOriginType, 's3');
    assert.equal(oac.SigningBehavior, 'always');
    assert.equal(oac.SigningProtocol, 'sigv4');
  });

  test('serves HTTP/2 and 3 from the price class that reaches Asia', () => {
    assert.equal(config().HttpVersion, 'http2and3');
    assert.ok(['PriceClass_200', 'PriceClass_All'].includes(config().PriceClass));
  });

  test('the viewer-request function passes on the public host as x-forwarded-host and the viewer address as true-client-ip, over what the client sent', () => {
    const [association] = config().DefaultCacheBehavior.FunctionAssociations;
    assert.equal(association.EventType, 'viewer-request');
    const fn = resources[association.FunctionARN['Fn::GetAtt'][0]]!;
    const handler = new Function(`${fn.Properties.FunctionCode}; return handler;`)();
    const request = handler({
      viewer: { ip: '203.0.113.9' },
      request: {
        headers: {
          host: { value: 'zhingdrok.example' },
          'x-forwarded-host': { value: 'evil.example' },
          'true-client-ip': { value: '192.0.2.1' },
        },
      },
    });
    assert.deepEqual(request.headers['x-forwarded-host'], { value: 'zhingdrok.example' });
    assert.deepEqual(request.headers['true-client-ip'], { value: '203.0.113.9' });
  });

  test('every request to the API carries X-Origin-Verify, a generated secret that only the functions behind the API know', () => {
    const d = config().DefaultCacheBehavior;
    const api = originOf(d.TargetOriginId);
    const [header, ...others] = api.OriginCustomHeaders;
    assert.equal(others.length, 0);
    assert.equal(header.HeaderName, 'X-Origin-Verify');
    const secretRef = JSON.stringify(header.HeaderValue);
    assert.match(secretRef, /resolve:secretsmanager:/, 'resolved at deploy, never in the template');
    const [secretId] = ofType('AWS::SecretsManager::Secret')
      .map(([id]) => id)
      .filter((id) => secretRef.includes(id));
    assert.ok(secretId, 'a secret of this stack');
    assert.ok(resources[secretId]!.Properties.GenerateSecretString.PasswordLength >= 32);
    const staticOrigin = originOf(
      config().CacheBehaviors.find((b: any) => b.PathPattern === '/static/*').TargetOriginId,
    );
    assert.equal(staticOrigin.OriginCustomHeaders, undefined, 'S3 never sees it');

    const withSecret = ofType('AWS::Lambda::Function').filter(
      ([, f]) => f.Properties.Environment?.Variables?.ORIGIN_SECRET,
    );
    assert.deepEqual(
      withSecret.map(([id]) => id).sort(),
      [
        logicalId(stack.httpFunction),
        logicalId(stack.priceImportFunction),
        logicalId(stack.voiceStudioFunction),
      ].sort(),
      'the three functions behind the API, and no other',
    );
    for (const [id, f] of withSecret)
      assert.equal(
        JSON.stringify(f.Properties.Environment.Variables.ORIGIN_SECRET),
        secretRef,
        `${id}: the same secret CloudFront sends`,
      );
  });
});

describe('IAM', () => {
  const tableArns = () => {
    const arn = arnOf(logicalId(stack.table));
    return [arn, { 'Fn::Join': ['', [arn, '/index/*']] }];
  };

  test('the http function reaches the table and its indexes only, and never scans', () => {
    const statements = synth.statementsOfFunction(logicalId(stack.httpFunction));
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    assert.ok(dynamo.length > 0);
    const actions = dynamo.flatMap(actionsOf);
    for (const needed of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']) {
      assert.ok(actions.includes(needed), needed);
    }
    assert.ok(!actions.includes('dynamodb:Scan'), 'request paths never Scan');
    assert.ok(!actions.some((a) => a.includes('*')), 'no wildcard DynamoDB actions');
    for (const s of dynamo) assert.deepEqual(resourcesOf(s), tableArns());
  });

  test('the http function reaches the files bucket’s attachment uploads, attachments and recorded answers only (CSV uploads are the import Lambda’s); the import Lambda its two prefixes only', () => {
    const s3Of = (fn: string) =>
      synth.statementsOfFunction(fn).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    const prefixes = s3Of(logicalId(stack.httpFunction)).flatMap((s) =>
      resourcesOf(s).map((r) => JSON.stringify(r).match(/"\/([a-z/]+\/)\*"/)?.[1]),
    );
    assert.deepEqual(prefixes.sort(), ['attachments/', 'uploads/', 'voice/answers/']);
    const s3 = s3Of(logicalId(stack.priceImportFunction));
    assert.ok(s3.length > 0);
    const files = logicalId(stack.filesBucket);
    // Objects under imports/prices/ and staged/prices/; ListBucket on the bucket (a missing key is a 404).
    const objects = (prefix: string) => ({ 'Fn::Join': ['', [arnOf(files), `/${prefix}*`]] });
    for (const s of s3) {
      assert.deepEqual(
        resourcesOf(s),
        actionsOf(s).includes('s3:ListBucket')
          ? [arnOf(files)]
          : [objects('imports/prices/'), objects('staged/prices/')],
      );
    }
  });

  test('the seed function may write the table and nothing else', () => {
    const statements = synth.statementsOfFunction(logicalId(stack.seedFunction));
    assert.deepEqual(
      statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:'))),
      [],
    );
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const actions = dynamo.flatMap(actionsOf);
    assert.ok(actions.includes('dynamodb:PutItem'));
    for (const read of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem']) {
      assert.ok(!actions.includes(read), `no ${read}`);
    }
    for (const s of dynamo) assert.deepEqual(resourcesOf(s), tableArns());
  });

  test('no policy in the stack grants DynamoDB or S3 actions on every resource', () => {
    const statements = synth.allStatements();
    assert.ok(statements.length > 0);
    for (const s of statements) {
      const dataActions = actionsOf(s).filter((a) => /^(dynamodb|s3):/.test(a));
      if (s.Effect !== 'Allow' || dataActions.length === 0) continue;
      assert.ok(!resourcesOf(s).includes('*'), `"*" resource for ${dataActions.join(', ')}`);
    }
  });
});

describe('seed after deploy', () => {
  test('a trigger runs the current seed version once the table exists', () => {
    const triggers = ofType('Custom::Trigger');
    assert.equal(triggers.length, 1);
    const [triggerId, trigger] = triggers[0]!;
    assert.ok(trigger.DependsOn?.includes(logicalId(stack.table)), `${triggerId} runs after the table`);
    assert.equal(trigger.Properties.InvocationType, 'RequestResponse');
    const version = resources[trigger.Properties.HandlerArn.Ref]!;
    assert.equal(version.Type, 'AWS::Lambda::Version');
    assert.deepEqual(version.Properties.FunctionName, ref(logicalId(stack.seedFunction)));
    const timeoutMs = Number(trigger.Properties.Timeout);
    assert.ok(timeoutMs >= resources[logicalId(stack.seedFunction)]!.Properties.Timeout * 1000);
  });
});

describe('outputs', () => {
  test('name the public URL, the table and the bucket, and not the execute-api URL', () => {
    const outputs = template.toJSON().Outputs;
    assert.match(
      JSON.stringify(outputs.CloudFrontUrl.Value),
      new RegExp(`https://.*${logicalId(stack.distribution!)}.*DomainName`),
    );
    assert.equal(outputs.ApiUrl, undefined);
    assert.ok(
      !Object.values(outputs).some((o) => /execute-api/.test(JSON.stringify((o as { Value: unknown }).Value))),
      'no output names the API directly',
    );
    assert.deepEqual(outputs.TableName.Value, ref(logicalId(stack.table)));
    assert.deepEqual(outputs.BucketName.Value, ref(logicalId(stack.filesBucket)));
  });
});
