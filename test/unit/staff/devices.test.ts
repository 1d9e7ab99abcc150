import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  deviceIdOf,
  devicePolicy,
  keptTokens,
  knownDevice,
  mintDeviceToken,
  newDeviceId,
} from '#core/staff/devices.ts';

const secret = 'test-secret-test-secret-test-secret';
const phone = '+8613800000000';
const T0 = 1_800_000_000;

describe('device tokens', () => {
  test('a token names its device for the phone it was made for, and for no other phone or secret', () => {
    const id = newDeviceId();
    const token = mintDeviceToken(secret, phone, id, T0);
    assert.match(token, /^[\w-]{22}\.[0-9a-z]+\.[\w-]{32}$/);
    assert.equal(deviceIdOf(secret, phone, token, T0 + 60), id);
    assert.equal(deviceIdOf(secret, '+8613900000000', token, T0 + 60), undefined);
    assert.equal(deviceIdOf('another-secret-another-secret-xx', phone, token, T0 + 60), undefined);
  });

  test('tampered, future-dated or too old tokens are strangers', () => {
    const id = newDeviceId();
    const token = mintDeviceToken(secret, phone, id, T0);
    const [, issued, mac] = token.split('.');
    assert.equal(deviceIdOf(secret, phone, `${newDeviceId()}.${issued}.${mac}`, T0), undefined, 'another device id');
    assert.equal(deviceIdOf(secret, phone, `${id}.${(T0 + 1).toString(36)}.${mac}`, T0 + 5), undefined, 'another date');
    assert.equal(
      deviceIdOf(secret, phone, mintDeviceToken(secret, phone, id, T0 + 100), T0),
      undefined,
      'from the future',
    );
    assert.equal(deviceIdOf(secret, phone, token, T0 + devicePolicy.validSeconds), undefined, 'after 180 days');
    assert.equal(deviceIdOf(secret, phone, 'garbage', T0), undefined);
  });

  test('a shared computer keeps one token per phone, newest first, at most four', () => {
    const tokens = Array.from({ length: 5 }, (_, i) => mintDeviceToken(secret, `+861380000000${i}`, newDeviceId(), T0));
    const kept = tokens.reduce<string[]>((jar, t) => keptTokens(jar, t), []);
    assert.deepEqual(kept, tokens.slice(1).reverse());
    const renewed = mintDeviceToken(secret, '+8613800000004', newDeviceId(), T0 + 10);
    assert.deepEqual(
      keptTokens(kept, renewed, tokens[4]),
      [renewed, ...kept.slice(1)],
      'the renewed token replaces its old one',
    );
    assert.equal(knownDevice(secret, '+8613800000003', kept, T0 + 20)?.token, tokens[3]);
    assert.equal(knownDevice(secret, '+8613900000000', kept, T0 + 20), undefined);
  });
});
