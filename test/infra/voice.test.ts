/**
 * The voice Lambda in the synthesized template: its routes, Connect's permission for one
 * instance only (and none without one), voice/ of the files bucket, and the settings that make the TwiML webhook check signatures.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { apiLambdas } from '#http/routes.ts';
import { resourcesOf, SynthesizedStack } from './synthesized-stack.ts';

const INSTANCE = 'arn:aws:connect:ap-southeast-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
let withConnect: SynthesizedStack;
let without: SynthesizedStack;
beforeAll(() => {
  withConnect = SynthesizedStack.create(
    { voice: { connectInstanceArn: INSTANCE, twilioAuthTokenSecret: 'zhingdrok/twilio', twilioAccountSid: 'AC123' } },
    { bundle: false },
  );
  without = SynthesizedStack.create({}, { bundle: false });
});
afterAll(() => {
  withConnect?.dispose();
  without?.dispose();
});

describe('voice Lambda', () => {
  test('8 s (inside Connect’s limit), its settings, and the manifest routes on it', () => {
    const id = withConnect.logicalId(withConnect.stack.voiceFunction);
    const p = withConnect.resources[id]!.Properties;
    assert.equal(p.Timeout, 8);
    const env = p.Environment.Variables;
    assert.equal(env.VOICE_TWILIO_ACCOUNT_SID, 'AC123');
    assert.match(JSON.stringify(env.VOICE_TWILIO_AUTH_TOKEN), /secretsmanager:zhingdrok\/twilio/);
    assert.match(JSON.stringify(env.VOICE_PUBLIC_URL), /https:\/\//);
    assert.equal(env.VOICE_RECORDING_HOSTS, 'api.twilio.com');
    const routes = withConnect
      .ofType('AWS::ApiGatewayV2::Route')
      .map(([, r]) => r.Properties.RouteKey as string)
      .filter((k) => k.startsWith('POST /voice/'));
    assert.deepEqual(routes.sort(), apiLambdas.voice.routes.map((r) => `${r.method} ${r.path}`).sort());
    // Without a token the webhook refuses everything (functions/config.ts: empty is unset).
    const bare = without.resources[without.logicalId(without.stack.voiceFunction)]!.Properties.Environment.Variables;
    assert.equal(bare.VOICE_TWILIO_AUTH_TOKEN, '');
  });

  test('Connect may invoke it from the one instance given, and nothing may without one', () => {
    const id = withConnect.logicalId(withConnect.stack.voiceFunction);
    const permissions = withConnect
      .ofType('AWS::Lambda::Permission')
      .filter(([, r]) => r.Properties.Principal === 'connect.amazonaws.com');
    assert.equal(permissions.length, 1);
    const [, permission] = permissions[0]!;
    assert.equal(permission.Properties.SourceArn, INSTANCE);
    assert.deepEqual(permission.Properties.FunctionName, { 'Fn::GetAtt': [id, 'Arn'] });
    assert.equal(
      without.ofType('AWS::Lambda::Permission').filter(([, r]) => r.Properties.Principal === 'connect.amazonaws.com')
        .length,
      0,
    );
  });

  test('the files bucket: the function on voice/* only; Connect reads the joined prompts for its instance', () => {
    const id = withConnect.logicalId(withConnect.stack.voiceFunction);
    const s3 = withConnect.statementsOfFunction(id).filter((s) => JSON.stringify(s.Action).includes('s3:'));
    assert.ok(s3.length > 0);
    for (const statement of s3)
      for (const r of resourcesOf(statement)) {
        const text = JSON.stringify(r);
        assert.ok(!text.includes('/*"') || text.includes('/voice/*'), text);
      }
    const policy = JSON.stringify(withConnect.ofType('AWS::S3::BucketPolicy').map(([, r]) => r.Properties));
    assert.match(policy, /connect\.amazonaws\.com.*voice\/turns\/\*/);
    assert.ok(!policy.includes('voice/questions'));
    const bare = JSON.stringify(without.ofType('AWS::S3::BucketPolicy').map(([, r]) => r.Properties));
    assert.ok(!bare.includes('connect.amazonaws.com'));
  });
});
