/** When the developer tools are on (loopback only), and the LAN addresses a LAN server prints. */
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, test } from 'vitest';
import { ConfigError, type LocalConfig, loadConfig } from '#config';
import { devToolsFor, isLoopbackAddress, lanUrls, listensOnLoopbackOnly } from '#local/dev-tools.ts';

const settings = (env: Record<string, string>) => loadConfig({ APP_MODE: 'local', ...env }) as LocalConfig;

describe('developer tools and HOST', () => {
  test('loopback: 127.0.0.0/8 and ::1 in any spelling; every other address is reachable from a network', async () => {
    for (const host of ['127.0.0.1', '127.3.2.1', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost']) {
      assert.equal(await listensOnLoopbackOnly(host), true, host);
    }
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.20',
      '10.0.0.5',
      '::ffff:192.168.1.20',
      'fe80::1',
      'no-such-host.invalid',
    ]) {
      assert.equal(await listensOnLoopbackOnly(host), false, host);
    }
    assert.equal(isLoopbackAddress('128.0.0.1'), false);
  });

  test('DEV_TOOLS: auto follows HOST, off is off, on is refused off loopback naming both settings, anything else is invalid', async () => {
    assert.deepEqual(
      await devToolsFor(settings({})),
      { devTools: true, loopbackOnly: true },
      'the default: 127.0.0.1, auto',
    );
    assert.deepEqual(await devToolsFor(settings({ HOST: '0.0.0.0' })), { devTools: false, loopbackOnly: false });
    assert.deepEqual(await devToolsFor(settings({ DEV_TOOLS: 'off' })), { devTools: false, loopbackOnly: true });
    assert.deepEqual(await devToolsFor(settings({ DEV_TOOLS: 'on', HOST: 'localhost' })), {
      devTools: true,
      loopbackOnly: true,
    });
    for (const HOST of ['0.0.0.0', '192.168.1.20', '::']) {
      await assert.rejects(
        devToolsFor(settings({ DEV_TOOLS: 'on', HOST })),
        (e: unknown) =>
          e instanceof ConfigError && /DEV_TOOLS/.test(e.message) && e.message.includes(`HOST is "${HOST}"`),
      );
    }
    assert.throws(
      () => settings({ DEV_TOOLS: 'yes' }),
      (e: unknown) => e instanceof ConfigError && /DEV_TOOLS/.test(e.message),
    );
  });

  test('the LAN addresses: every outside interface for 0.0.0.0 (IPv4) or :: (also IPv6, not link-local); HOST itself otherwise', () => {
    const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false) =>
      ({ address, family, internal }) as NetworkInterfaceInfo;
    const interfaces = {
      lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
      eth0: [nic('192.168.1.20', 'IPv4'), nic('fe80::1', 'IPv6'), nic('2001:db8::20', 'IPv6')],
      wlan0: [nic('10.0.0.5', 'IPv4')],
    };
    assert.deepEqual(lanUrls('0.0.0.0', 3000, interfaces), ['http://192.168.1.20:3000', 'http://10.0.0.5:3000']);
    assert.deepEqual(lanUrls('::', 3000, interfaces), [
      'http://192.168.1.20:3000',
      'http://[2001:db8::20]:3000',
      'http://10.0.0.5:3000',
    ]);
    assert.deepEqual(lanUrls('192.168.1.20', 8080, interfaces), ['http://192.168.1.20:8080']);
  });
});
