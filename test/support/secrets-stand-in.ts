/**
 * A loopback stand-in of Secrets Manager, speaking what the AWS SDK speaks to it (AWS JSON 1.1):
 * `POST /`, `X-Amz-Target: secretsmanager.<Operation>`, a JSON body; 200 with the result, or
 * 4xx/5xx with `{"__type", "Message"}`. It knows GetSecretValue of the secrets it is given.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsStandIn {
  url: string;
  /** Every request's operation and SecretId, in order. */
  requests: { operation: string; secretId: unknown }[];
  /** Until set back to false, every request fails with a 500 (an outage the SDK retries, then gives up on). */
  failing: boolean;
  close(): Promise<void>;
}

export async function startSecretsStandIn(secrets: Record<string, string>): Promise<SecretsStandIn> {
  const state: SecretsStandIn = { url: '', requests: [], failing: false, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '');
      let body: { SecretId?: unknown } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {}
      state.requests.push({ operation, secretId: body.SecretId });
      const answer = (status: number, reply: Record<string, unknown>) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
        res.end(JSON.stringify(reply));
      };
      if (state.failing) return answer(500, { __type: 'InternalServiceError', Message: 'stand-in outage' });
      if (operation !== 'GetSecretValue') return answer(400, { __type: 'InvalidRequestException', Message: operation });
      const value = typeof body.SecretId === 'string' ? secrets[body.SecretId] : undefined;
      if (value === undefined)
        return answer(400, { __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the secret" });
      answer(200, {
        ARN: body.SecretId,
        Name: String(body.SecretId).split(':').at(-1),
        SecretString: value,
        VersionId: randomUUID(),
        VersionStages: ['AWSCURRENT'],
        CreatedDate: Date.now() / 1000,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    });
  return state;
}
