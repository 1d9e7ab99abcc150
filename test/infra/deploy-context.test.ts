/** Deploy-time context is checked at synth, before anything reaches AWS. */
import assert from 'node:assert/strict';
import { App } from 'aws-cdk-lib';
import { describe, test } from 'vitest';
import { PLACEHOLDER_ORIGINATION_IDENTITY } from '../../infra/constructs/sms-channel.ts';
import { readDeployContext } from '../../infra/deploy-context.ts';

const contextOf = (context: Record<string, string>) => readDeployContext(new App({ context }));

describe('readDeployContext', () => {
  test('defaults to info logging, no admins, no custom domain and the placeholder SMS identity', () => {
    assert.deepEqual(contextOf({}), {
      adminPhones: [],
      logLevel: 'info',
      domain: undefined,
      smsOriginationIdentity: PLACEHOLDER_ORIGINATION_IDENTITY,
    });
  });

  test('takes an End User Messaging phone number or pool, by id or ARN', () => {
    for (const identity of [
      'phone-0123456789abcdef0123456789abcdef',
      'pool-0123456789abcdef0123456789abcdef',
      'arn:aws:sms-voice:ap-east-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef',
      'arn:aws-cn:sms-voice:cn-north-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
    ]) {
      assert.equal(contextOf({ smsOriginationIdentity: identity }).smsOriginationIdentity, identity);
    }
  });

  test('rejects what IAM cannot be scoped to: numbers, sender ids, wildcards', () => {
    for (const identity of [
      '+8610690000000',
      'ZHINGDROK',
      'pool-*',
      'arn:aws:sms-voice:ap-east-1:123456789012:sender-id/ZHINGDROK/CN',
      '',
    ]) {
      assert.throws(() => contextOf({ smsOriginationIdentity: identity }), /smsOriginationIdentity/, identity);
    }
  });

  test('reads comma-separated admin phones and domain names', () => {
    const ctx = contextOf({
      adminPhones: '+8613800000000, +9779800000000',
      logLevel: 'debug',
      domainNames: 'zhingdrok.example,www.zhingdrok.example',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    });
    assert.deepEqual(ctx.adminPhones, ['+8613800000000', '+9779800000000']);
    assert.equal(ctx.logLevel, 'debug');
    assert.deepEqual(ctx.domain?.domainNames, ['zhingdrok.example', 'www.zhingdrok.example']);
  });

  test('rejects a phone that is not E.164, naming it', () => {
    assert.throws(() => contextOf({ adminPhones: '+8613800000000,13800000000' }), /adminPhones: "13800000000"/);
  });

  test('rejects an unknown log level', () => {
    assert.throws(() => contextOf({ logLevel: 'verbose' }), /logLevel/);
  });

  test('rejects a domain without a certificate and the reverse', () => {
    assert.throws(() => contextOf({ domainNames: 'zhingdrok.example' }), /give both or neither/);
    assert.throws(() => contextOf({ certificateArn: 'arn:aws:acm:us-east-1:1:certificate/x' }), /give both or neither/);
  });

  test('alarmEmail, waf and webAclArn are passed on only when given, and checked', () => {
    const arn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/shared/0123abcd-0123-4567-89ab-0123456789ab';
    const ctx = contextOf({ alarmEmail: 'ops@bureau.example', waf: 'off', webAclArn: arn });
    assert.deepEqual([ctx.alarmEmail, ctx.waf, ctx.webAclArn], ['ops@bureau.example', false, arn]);
    assert.equal(contextOf({ waf: 'on' }).waf, true);
    for (const bad of ['ops', 'ops@bureau', 'a@b.example,c@d.example', 'Ops <ops@bureau.example>']) {
      assert.throws(() => contextOf({ alarmEmail: bad }), /context alarmEmail/, bad);
    }
    assert.throws(() => contextOf({ waf: 'false' }), /context waf: expected on or off/);
    // A regional WebACL cannot guard CloudFront.
    assert.throws(
      () => contextOf({ webAclArn: 'arn:aws:wafv2:ap-east-1:123456789012:regional/webacl/a/b' }),
      /context webAclArn/,
    );
  });
});
