/**
 * A loopback stand-in of Alibaba Cloud SMS (Dysmsapi 2017-05-25), speaking the provider's RPC
 * shapes: a form-encoded POST whose signature it checks with a known key pair (the documented
 * HMAC-SHA1 algorithm, computed here independently of the client), SendSms and
 * QuerySendDetails answered in the provider's JSON, errors as `{Code, Message, RequestId}`.
 * It keeps what it was sent, can be told to fail the next sends with given codes, and pushes
 * SmsReport / SmsUp batches to a URL as the provider's HTTP push does.
 *
 * Also a dev command: `npm run aliyun:stand-in` listens on ALIYUN_STAND_IN_PORT (default 3900)
 * and prints the settings for `SMS_GATEWAY=aliyun npm start` (docs/sms.md).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export const STAND_IN_KEY = { accessKeyId: 'LTAIstandin0000000001', accessKeySecret: 'stand-in-secret-0123456789' };

export interface AliyunCall {
  action: string;
  params: Record<string, string>;
}

export interface SentSms {
  bizId: string;
  phoneNumbers: string;
  signName: string;
  templateCode: string;
  templateParam: Record<string, string>;
  outId?: string;
  at: Date;
  /** 1 waiting, 2 failed, 3 delivered (QuerySendDetails' SendStatus); set with `setStatus`. */
  status: 1 | 2 | 3;
  errCode?: string;
}

/** The push token the tests' stacks are given (ALIYUN_PUSH_TOKEN). */
export const STAND_IN_PUSH_TOKEN = 'push-token-0123456789abcdef';

/** The settings of a local stack that sends through `standIn` (SMS_GATEWAY=aliyun, its key pair and push token). */
export const standInEnv = (standIn: Pick<AliyunStandIn, 'url'>, over: Record<string, string> = {}) => ({
  SMS_GATEWAY: 'aliyun',
  ALIYUN_SMS_ENDPOINT: standIn.url,
  ALIYUN_ACCESS_KEY_ID: STAND_IN_KEY.accessKeyId,
  ALIYUN_ACCESS_KEY_SECRET: STAND_IN_KEY.accessKeySecret,
  ALIYUN_PUSH_TOKEN: STAND_IN_PUSH_TOKEN,
  ...over,
});

export interface AliyunStandIn {
  url: string;
  calls: AliyunCall[];
  sent: SentSms[];
  /** Requests refused for their signature or key. */
  refused: AliyunCall[];
  /** The next SendSms calls answer these codes, one each (HTTP status: 400 for Throttling/API errors, 200 for isv/isp). */
  failNext(...codes: string[]): void;
  /** The next SendSms calls make their SMS, then answer these codes (a provider failing after it took the request). */
  failNextAfterSending(...codes: string[]): void;
  setStatus(bizId: string, status: 1 | 2 | 3, errCode?: string): void;
  push(url: string, records: unknown[]): Promise<{ status: number; body: unknown }>;
  reportOf(sms: SentSms, success: boolean, errCode?: string): Record<string, unknown>;
  close(): Promise<void>;
}

const enc = (v: string) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The documented signature, written out here on its own (not the client's code). */
export function expectedSignature(params: Record<string, string>, secret: string): string {
  const sorted = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${enc(k)}=${enc(params[k] ?? '')}`)
    .join('&');
  return createHmac('sha1', `${secret}&`)
    .update(`POST&${enc('/')}&${enc(sorted)}`)
    .digest('base64');
}

const beijing = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);

export async function startAliyunStandIn(): Promise<AliyunStandIn> {
  const calls: AliyunCall[] = [];
  const refused: AliyunCall[] = [];
  const sent: SentSms[] = [];
  const failures: string[] = [];
  const failuresAfterSending: string[] = [];
  let seq = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const call = { action: params.Action ?? '', params };
      const reply = (status: number, body: Record<string, unknown>) => {
        res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
        res.end(JSON.stringify({ RequestId: randomUUID().toUpperCase(), ...body }));
      };
      const error = (status: number, Code: string, Message = Code) => reply(status, { Code, Message });
      if (req.method !== 'POST') return error(400, 'InvalidParameter', 'POST only');
      const common = ['AccessKeyId', 'Action', 'Format', 'RegionId', 'SignatureMethod', 'SignatureNonce'];
      for (const name of [...common, 'SignatureVersion', 'Timestamp', 'Version', 'Signature'])
        if (!params[name]) return error(400, 'MissingParameter', `${name} is mandatory`);
      if (params.AccessKeyId !== STAND_IN_KEY.accessKeyId) {
        refused.push(call);
        return error(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
      }
      if (params.Signature !== expectedSignature(params, STAND_IN_KEY.accessKeySecret)) {
        refused.push(call);
        return error(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
      }
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(params.Timestamp ?? ''))
        return error(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
      calls.push(call);
      if (params.Action === 'SendSms') {
        const failure = failures.shift();
        if (failure) return error(/^(isv|isp)\./.test(failure) ? 200 : 400, failure, `stand-in: ${failure}`);
        let templateParam: Record<string, string>;
        try {
          templateParam = JSON.parse(params.TemplateParam ?? '{}');
        } catch {
          return error(200, 'isv.INVALID_JSON_PARAM', 'TemplateParam is not JSON');
        }
        if (!params.PhoneNumbers || !params.SignName || !params.TemplateCode)
          return error(400, 'MissingParameter', 'PhoneNumbers, SignName and TemplateCode are mandatory');
        const bizId = `${String(Date.now()).slice(-9)}${String(++seq).padStart(6, '0')}^0`;
        const after = failuresAfterSending.shift();
        sent.push({
          bizId,
          phoneNumbers: params.PhoneNumbers,
          signName: params.SignName,
          templateCode: params.TemplateCode,
          templateParam,
          ...(params.OutId ? { outId: params.OutId } : {}),
          at: new Date(),
          status: 1,
        });
        if (after) return error(/^(isv|isp)\./.test(after) ? 200 : 500, after, `stand-in: ${after} (after sending)`);
        return reply(200, { Code: 'OK', Message: 'OK', BizId: bizId });
      }
      if (params.Action === 'QuerySendDetails') {
        const found = sent.filter(
          (s) => s.phoneNumbers === params.PhoneNumber && (!params.BizId || s.bizId === params.BizId),
        );
        return reply(200, {
          Code: 'OK',
          Message: 'OK',
          TotalCount: found.length,
          SmsSendDetailDTOs: {
            SmsSendDetailDTO: found.map((s) => ({
              PhoneNum: s.phoneNumbers,
              SendStatus: s.status,
              ErrCode: s.status === 3 ? 'DELIVERED' : (s.errCode ?? ''),
              TemplateCode: s.templateCode,
              Content: `【${s.signName}】${JSON.stringify(s.templateParam)}`,
              SendDate: beijing(s.at),
              ReceiveDate: s.status === 1 ? '' : beijing(new Date()),
              OutId: s.outId ?? '',
            })),
          },
        });
      }
      return error(400, 'InvalidAction.NotFound', `Specified api is not found: ${params.Action}`);
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(Number(process.env.ALIYUN_STAND_IN_PORT ?? 0), '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    sent,
    refused,
    failNext: (...codes) => failures.push(...codes),
    failNextAfterSending: (...codes) => failuresAfterSending.push(...codes),
    setStatus(bizId, status, errCode) {
      const s = sent.find((x) => x.bizId === bizId);
      if (!s) throw new Error(`no SMS ${bizId}`);
      s.status = status;
      if (errCode) s.errCode = errCode;
    },
    async push(url, records) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(records),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      return { status: res.status, body };
    },
    reportOf: (sms, success, errCode) => ({
      phone_number: sms.phoneNumbers,
      send_time: beijing(sms.at),
      report_time: beijing(new Date()),
      success,
      err_code: success ? 'DELIVERED' : (errCode ?? 'MK:0001'),
      err_msg: success ? '用户接收成功' : '失败',
      sms_size: '1',
      biz_id: sms.bizId,
      out_id: sms.outId ?? '',
    }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

// `npm run aliyun:stand-in`: the stand-in for a local run against it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.env.ALIYUN_STAND_IN_PORT ??= '3900';
  const standIn = await startAliyunStandIn();
  console.log(`Alibaba Cloud SMS stand-in on ${standIn.url}. Start the app with:
  SMS_GATEWAY=aliyun ALIYUN_SMS_ENDPOINT=${standIn.url} ALIYUN_ACCESS_KEY_ID=${STAND_IN_KEY.accessKeyId} \\
  ALIYUN_ACCESS_KEY_SECRET=${STAND_IN_KEY.accessKeySecret} ALIYUN_PUSH_TOKEN=local-push-token-0123 npm start`);
  setInterval(() => {
    const last = standIn.sent.at(-1);
    if (last && !(last as { printed?: boolean }).printed) {
      for (const s of standIn.sent.filter((x) => !(x as { printed?: boolean }).printed)) {
        console.log(`SendSms → ${s.phoneNumbers} ${s.templateCode} ${JSON.stringify(s.templateParam)} (${s.bizId})`);
        (s as { printed?: boolean }).printed = true;
      }
    }
  }, 500);
}
