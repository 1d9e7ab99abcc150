/**
 * Whether `npm start` mounts the developer tools (/dev/*), and what a LAN server prints instead.
 *
 * The tools hand out what only the owner of a phone may see (GET /dev/outbox lists sign-in
 * codes) and let anyone speak as any number (POST /dev/sms), so they exist only while the server
 * listens on loopback alone: a server other machines can reach has none, whatever DEV_TOOLS says.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { ConfigError, type LocalConfig } from '#config';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 or ::1 (also written IPv4-mapped, ::ffff:127.0.0.1). */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(bare);
  return family !== 0 && loopback.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}

/** Whether HOST listens on loopback only: an address is judged as written, a name by every address it resolves to. */
export async function listensOnLoopbackOnly(host: string): Promise<boolean> {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return isLoopbackAddress(bare);
  try {
    const found = await lookup(bare, { all: true });
    return found.length > 0 && found.every((a) => isLoopbackAddress(a.address));
  } catch {
    // Unresolvable: the server will not listen there either; never a reason to turn the tools on.
    return false;
  }
}

/**
 * DEV_TOOLS against HOST: `auto` turns the tools on only on loopback, `off` never, and `on` on a
 * HOST other machines can reach is refused (a ConfigError naming both settings).
 */
export async function devToolsFor(
  config: Pick<LocalConfig, 'DEV_TOOLS' | 'HOST'>,
): Promise<{ devTools: boolean; loopbackOnly: boolean }> {
  const loopbackOnly = await listensOnLoopbackOnly(config.HOST);
  if (config.DEV_TOOLS === 'on' && !loopbackOnly) {
    throw new ConfigError([
      `DEV_TOOLS: "on" needs HOST on loopback (127.0.0.1, ::1 or localhost), but HOST is ${JSON.stringify(config.HOST)}, which other machines can reach. ` +
        'The developer tools (/dev/*) show sign-in codes and send SMS as any number, so a server on a network never has them. ' +
        'To serve a LAN, unset DEV_TOOLS (or set it to auto or off); to use the tools, set HOST=127.0.0.1.',
    ]);
  }
  return { devTools: loopbackOnly && config.DEV_TOOLS !== 'off', loopbackOnly };
}

/**
 * The addresses other machines on the network open: each interface's address when HOST is
 * every interface (0.0.0.0: IPv4; ::, IPv4 and IPv6), else HOST itself. Link-local IPv6
 * addresses are left out (a browser needs the interface name to reach them).
 */
export function lanUrls(host: string, port: number, interfaces = networkInterfaces()): string[] {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  const every = bare === '0.0.0.0' || bare === '::';
  const addresses = every
    ? Object.values(interfaces)
        .flat()
        .filter(
          (a) =>
            a &&
            !a.internal &&
            (a.family === 'IPv4' || (bare === '::' && !a.address.toLowerCase().startsWith('fe80:'))),
        )
        .map((a) => a!.address)
    : [bare];
  return [...new Set(addresses)].map((a) => `http://${isIP(a) === 6 ? `[${a}]` : a}:${port}`);
}
