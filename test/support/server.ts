/** The local server (static files, compression, app) on a free loopback port, for browser and bench runs. */
import type { ServerType } from '@hono/node-server';
import { listen, localApp } from '#local/server.ts';
import { startTestStack, type TestStack } from './stack.ts';

export interface TestServer {
  url: string;
  stack: TestStack;
  close(): Promise<void>;
}

/** `devTools: false` serves as a LAN server does (no /dev/*); on loopback they are on, as under npm start. */
export async function startTestServer(options: { devTools?: boolean } = {}): Promise<TestServer> {
  const stack = await startTestStack();
  const { server, port } = await listen(localApp(stack.deps, { devTools: options.devTools ?? true }), 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    stack,
    async close() {
      await new Promise<void>((resolve) => (server as ServerType).close(() => resolve()));
      await stack.close();
    },
  };
}
