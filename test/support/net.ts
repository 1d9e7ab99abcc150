import { createServer } from 'node:net';

/** A loopback port that was free a moment ago (for spawning servers that need a fixed PORT). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
