/**
 * A loopback stand-in of EventBridge Scheduler, speaking what the AWS SDK speaks to it
 * (REST JSON): `POST /schedules/{Name}` creates, `PUT` updates, `GET` reads, `DELETE` deletes,
 * the group in the body (create, update) or the `groupName` query (get, delete). Errors carry
 * `x-amzn-errortype` and `{"Message"}` with the service's status codes (409 ConflictException,
 * 404 ResourceNotFoundException, 400 ValidationException). Like the service, it refuses an
 * `at()` in the past.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SchedulerRequest {
  method: string;
  name: string;
  group?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface SchedulerStandIn {
  url: string;
  requests: SchedulerRequest[];
  /** Schedules by `group/name`, as last created or updated. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  schedules: Map<string, any>;
  close(): Promise<void>;
}

const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;

export async function startSchedulerStandIn(now: () => Date = () => new Date()): Promise<SchedulerStandIn> {
  const requests: SchedulerRequest[] = [];
  const schedules = new Map<string, unknown>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const reply = (status: number, body: Record<string, unknown>, type?: string) => {
        res.writeHead(status, { 'content-type': 'application/json', ...(type ? { 'x-amzn-errortype': type } : {}) });
        res.end(JSON.stringify(body));
      };
      const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      } catch {
        return reply(400, { Message: 'not JSON' }, 'ValidationException');
      }
      if (!match) return reply(404, { Message: `no route ${req.method} ${url.pathname}` }, 'UnknownOperationException');
      const name = decodeURIComponent(match[1]!);
      const group = (body.GroupName as string | undefined) ?? url.searchParams.get('groupName') ?? 'default';
      requests.push({ method: req.method ?? '', name, group, body });
      const key = `${group}/${name}`;
      const exists = schedules.has(key);
      if (req.method === 'POST' || req.method === 'PUT') {
        if (req.method === 'POST' && exists)
          return reply(409, { Message: `Schedule ${name} already exists.` }, 'ConflictException');
        if (req.method === 'PUT' && !exists)
          return reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
        const at = AT.exec(String(body.ScheduleExpression));
        if (!at) return reply(400, { Message: 'Invalid Schedule Expression' }, 'ValidationException');
        if (Date.parse(`${at[1]}Z`) <= now().getTime())
          return reply(400, { Message: 'The schedule expression is in the past' }, 'ValidationException');
        schedules.set(key, body);
        return reply(200, { ScheduleArn: `arn:aws:scheduler:ap-east-1:123456789012:schedule/${group}/${name}` });
      }
      if (req.method === 'DELETE') {
        if (!exists) return reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
        schedules.delete(key);
        return reply(200, {});
      }
      if (req.method === 'GET') {
        if (!exists) return reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
        return reply(200, { ...(schedules.get(key) as object), Name: name, GroupName: group });
      }
      return reply(405, { Message: 'method not allowed' }, 'ValidationException');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    schedules: schedules as Map<string, unknown> as SchedulerStandIn['schedules'],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
