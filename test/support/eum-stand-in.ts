/**
 * A loopback stand-in of the End User Messaging SMS endpoint, speaking what the AWS SDK
 * speaks to it (AWS JSON 1.0): `POST /`, `X-Amz-Target: PinpointSMSVoiceV2.<Operation>`, a
 * JSON body; 200 with a JSON result, or 4xx/5xx with `{"__type", "message"}`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EumRequest {
  operation: string;
  headers: IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface EumReply {
  status: number;
  body: Record<string, unknown>;
}

/** Answers the n-th request (1-based); the default accepts every SendTextMessage. */
export type EumResponder = (request: EumRequest, n: number) => EumReply;

export const accept: EumResponder = () => ({ status: 200, body: { MessageId: randomUUID() } });

export const serviceError = (status: number, type: string, message = type): EumReply => ({
  status,
  body: { __type: type, message },
});

export interface EumStandIn {
  url: string;
  requests: EumRequest[];
  respond(responder: EumResponder): void;
  close(): Promise<void>;
}

export async function startEumStandIn(responder: EumResponder = accept): Promise<EumStandIn> {
  const requests: EumRequest[] = [];
  let current = responder;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        body = undefined;
      }
      const request = { operation: target.replace(/^PinpointSMSVoiceV2\./, ''), headers: req.headers, body };
      requests.push(request);
      const reply =
        req.method !== 'POST' || !target.startsWith('PinpointSMSVoiceV2.') || body === undefined
          ? serviceError(400, 'SerializationException', 'not an AWS JSON 1.0 request')
          : current(request, requests.length);
      res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
