/**
 * The attacker's side of the sign-in timing bench (sign-in.ts), in a child process so that it
 * shares no event loop with the server it measures: on each IPC message it sends one POST
 * /api/v1/auth/code over a kept-alive loopback connection, reads the whole answer, and
 * replies with the status and the milliseconds from sending to the last byte.
 */
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function post(url: URL, body: string): Promise<{ status: number; ms: number }> {
  if (!['127.0.0.1', 'localhost'].includes(url.hostname))
    return Promise.reject(new Error(`loopback only, not ${url.hostname}`));
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      url,
      {
        agent,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

process.on('message', (msg: { url: string; phone: string } | 'done') => {
  if (msg === 'done') {
    agent.destroy();
    process.disconnect();
    return;
  }
  post(new URL(msg.url), JSON.stringify({ phone: msg.phone })).then(
    (r) => process.send!({ ok: true, ...r }),
    (err: unknown) => process.send!({ ok: false, error: String(err) }),
  );
});
