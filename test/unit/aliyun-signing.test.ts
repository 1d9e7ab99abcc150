/**
 * The Dysmsapi request signature against a vector worked out by hand from the provider's
 * documented algorithm (percent-encoded sorted parameters, `POST&%2F&…`, HMAC-SHA1 keyed with
 * secret + '&'), computed outside this code with python's quote(safe='~') and openssl.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  aliyunPhone,
  canonicalQuery,
  percentEncode,
  rpcTimestamp,
  signRpc,
  stringToSign,
} from '#adapters/sms/aliyun-client.ts';
import { beijingTime, e164From, receiptFromReport, sameToken } from '#adapters/sms/aliyun-push.ts';
import { ALIYUN_RETRYABLE, signNameOf } from '#adapters/sms/aliyun-sms.ts';

const params = {
  AccessKeyId: 'testid',
  Action: 'SendSms',
  Format: 'JSON',
  OutId: 'm1',
  PhoneNumbers: '13800000000',
  RegionId: 'cn-hangzhou',
  SignName: '农牧通',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  TemplateCode: 'SMS_123',
  TemplateParam: '{"price":"4.20"}',
  Timestamp: '2026-05-20T10:00:00Z',
  Version: '2017-05-25',
};

describe('Dysmsapi signing', () => {
  test('RFC 3986 encoding: ~ kept, space as %20, !*() encoded, UTF-8', () => {
    assert.equal(percentEncode("a b~*!()'"), 'a%20b~%2A%21%28%29%27');
    assert.equal(percentEncode('农'), '%E5%86%9C');
  });

  test('the string to sign and the signature match the worked vector', () => {
    const shuffled = Object.fromEntries(Object.entries(params).reverse());
    const sts = stringToSign('POST', shuffled);
    assert.ok(sts.startsWith('POST&%2F&AccessKeyId%3Dtestid%26Action%3DSendSms%26Format%3DJSON'));
    assert.ok(sts.includes('SignName%3D%25E5%2586%259C%25E7%2589%25A7%25E9%2580%259A'));
    assert.ok(sts.includes('Timestamp%3D2026-05-20T10%253A00%253A00Z'));
    assert.equal(signRpc('testsecret', sts), 'DpfsM47Qf2IykARzr2igax2Ig/g=');
    // Signature itself is never signed.
    assert.equal(canonicalQuery({ ...params, Signature: 'x' }), canonicalQuery(params));
  });

  test('timestamps without milliseconds; numbers as the provider takes them', () => {
    assert.equal(rpcTimestamp(new Date('2026-05-20T10:00:00.123Z')), '2026-05-20T10:00:00Z');
    assert.equal(aliyunPhone('+8613800000000'), '13800000000');
    assert.equal(aliyunPhone('+85291234567'), '85291234567');
    assert.equal(e164From('13800000000'), '+8613800000000');
    assert.equal(e164From('85291234567'), '+85291234567');
  });

  test('pushes: Beijing times, reports as receipts, constant-time token check', () => {
    assert.equal(beijingTime('2026-05-20 18:00:05'), '2026-05-20T10:00:05.000Z');
    assert.equal(beijingTime('yesterday'), undefined);
    const r = receiptFromReport({
      phone_number: '1',
      success: false,
      err_code: 'MK:0001',
      err_msg: '失败',
      biz_id: 'b',
    });
    assert.deepEqual(r, { gateway: 'aliyun', gatewayMessageId: 'b', status: 'failed', detail: 'MK:0001: 失败' });
    assert.equal(sameToken('abc', 'abc'), true);
    assert.equal(sameToken('abd', 'abc'), false);
    assert.equal(sameToken('', ''), false);
  });

  test('retries: throttling and clock errors only; signature from 【】', () => {
    for (const code of ['Throttling.User', 'Throttling.Api', 'InvalidTimeStamp.Expired'])
      assert.ok(ALIYUN_RETRYABLE.has(code));
    for (const code of [
      'isv.BUSINESS_LIMIT_CONTROL',
      'isp.SYSTEM_ERROR',
      'isv.MOBILE_NUMBER_ILLEGAL',
      'isv.AMOUNT_NOT_ENOUGH',
    ])
      assert.ok(!ALIYUN_RETRYABLE.has(code));
    assert.equal(signNameOf('【农牧通】'), '农牧通');
  });
});
