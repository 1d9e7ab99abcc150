/**
 * A small client for Alibaba Cloud SMS (Dysmsapi, API version 2017-05-25) over fetch.
 *
 * Hand-written on purpose: the project's stack is the AWS SDK, Hono and zod, and Alibaba's own
 * SDK (@alicloud/dysmsapi20170525 and its tea runtime) is outside it — a second SDK family with
 * its own HTTP layer, retries and dependencies, in the bundle of every function that sends, for
 * two RPC calls. The RPC protocol is small: a form-encoded POST signed with HMAC-SHA1 as the
 * provider documents ("Signature mechanism", signature version 1.0):
 *
 *   canonical  = the parameters but Signature, sorted by name, each `enc(name)=enc(value)`, joined by `&`
 *   toSign     = `POST&` + enc('/') + `&` + enc(canonical)
 *   Signature  = base64(HMAC-SHA1(key = AccessKeySecret + '&', toSign))
 *
 * where enc is RFC 3986 percent-encoding in UTF-8 (unreserved `A-Z a-z 0-9 - _ . ~` kept, space
 * as %20, hex upper case).
 */
import { createHmac, randomUUID } from 'node:crypto';

export const ALIYUN_API_VERSION = '2017-05-25';

export interface AliyunCredentials {
  accessKeyId: string;
  accessKeySecret: string;
}

export interface AliyunClientOptions {
  /** e.g. https://dysmsapi.aliyuncs.com (ALIYUN_SMS_ENDPOINT); a loopback stand-in in tests. */
  endpoint: string;
  /** RegionId (ALIYUN_SMS_REGION), e.g. cn-hangzhou. */
  region: string;
  /** The key pair; read when first needed (Secrets Manager in AWS), then kept by the caller. */
  credentials: () => Promise<AliyunCredentials>;
  /** Per request, well inside the sender Lambda's timeout. */
  timeoutMs?: number;
  /** For tests: the clock of the Timestamp parameter and the nonce. */
  now?: () => Date;
  nonce?: () => string;
}

/** RFC 3986 percent-encoding, as the provider's signature requires (encodeURIComponent leaves `!'()*`). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The sorted, encoded parameters: both what is signed (encoded once more) and the request body. */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] as string)}`)
    .join('&');
}

export function stringToSign(method: 'POST' | 'GET', params: Record<string, string>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

/** @example signRpc('testsecret', 'POST&%2F&…') // base64 HMAC-SHA1 with key 'testsecret&' */
export function signRpc(accessKeySecret: string, toSign: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(toSign, 'utf8').digest('base64');
}

/** ISO 8601 UTC without milliseconds, e.g. 2026-05-20T10:00:00Z. */
export const rpcTimestamp = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A number as Dysmsapi takes it: mainland numbers bare (13800000000), others with their calling
 * code and no `+` (85291234567).
 */
export function aliyunPhone(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  return digits.startsWith('86') && e164.startsWith('+') ? digits.slice(2) : digits;
}

/** The provider answered with a Code other than OK (HTTP 200 for business errors, 4xx/5xx for API ones). */
export class AliyunApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
    readonly requestId?: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'AliyunApiError';
  }
}

/**
 * No answer: `refused` when the connection was never made (nothing was sent), otherwise the
 * request may have reached the provider (a timeout, a reset, an unreadable answer).
 */
export class AliyunTransportError extends Error {
  constructor(
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
    this.name = 'AliyunTransportError';
  }
}

export interface SendSmsInput {
  phoneNumbers: string;
  signName: string;
  templateCode: string;
  templateParam: Record<string, string>;
  outId?: string;
}

export interface SendSmsResult {
  bizId: string;
  requestId?: string;
}

export interface QuerySendDetailsInput {
  phoneNumber: string;
  bizId?: string;
  /** yyyyMMdd (Asia/Shanghai), within the last 30 days. */
  sendDate: string;
  pageSize: number;
  currentPage: number;
}

/** One SmsSendDetailDTO: SendStatus 1 waiting for a receipt, 2 failed, 3 delivered. */
export interface SendDetail {
  PhoneNum?: string;
  SendStatus: number;
  ErrCode?: string;
  TemplateCode?: string;
  Content?: string;
  SendDate?: string;
  ReceiveDate?: string;
  OutId?: string;
}

/** Codes that say the connection never carried the request. */
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class AliyunSmsClient {
  private readonly timeoutMs: number;
  constructor(private readonly options: AliyunClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async sendSms(input: SendSmsInput): Promise<SendSmsResult> {
    const body = await this.call('SendSms', {
      PhoneNumbers: input.phoneNumbers,
      SignName: input.signName,
      TemplateCode: input.templateCode,
      TemplateParam: JSON.stringify(input.templateParam),
      ...(input.outId ? { OutId: input.outId } : {}),
    });
    if (typeof body.BizId !== 'string' || !body.BizId)
      throw new AliyunTransportError('SendSms answered OK without a BizId', false);
    return { bizId: body.BizId, ...(typeof body.RequestId === 'string' ? { requestId: body.RequestId } : {}) };
  }

  async querySendDetails(input: QuerySendDetailsInput): Promise<{ total: number; details: SendDetail[] }> {
    const body = await this.call('QuerySendDetails', {
      PhoneNumber: input.phoneNumber,
      ...(input.bizId ? { BizId: input.bizId } : {}),
      SendDate: input.sendDate,
      PageSize: String(input.pageSize),
      CurrentPage: String(input.currentPage),
    });
    const dtos = (body.SmsSendDetailDTOs as { SmsSendDetailDTO?: unknown } | undefined)?.SmsSendDetailDTO;
    const details = (Array.isArray(dtos) ? dtos : []).map((d: Record<string, unknown>) => ({
      ...(d as unknown as SendDetail),
      SendStatus: Number(d.SendStatus),
    }));
    return { total: Number(body.TotalCount ?? details.length), details };
  }

  /** One signed RPC call; the parsed JSON answer when its Code is OK, else AliyunApiError. */
  private async call(action: string, actionParams: Record<string, string>): Promise<Record<string, unknown>> {
    const { accessKeyId, accessKeySecret } = await this.options.credentials();
    const params: Record<string, string> = {
      AccessKeyId: accessKeyId,
      Action: action,
      Format: 'JSON',
      RegionId: this.options.region,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: this.options.nonce?.() ?? randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: rpcTimestamp(this.options.now?.() ?? new Date()),
      Version: ALIYUN_API_VERSION,
      ...actionParams,
    };
    const signature = signRpc(accessKeySecret, stringToSign('POST', params));
    const form = `${canonicalQuery(params)}&Signature=${percentEncode(signature)}`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(new URL('/', this.options.endpoint), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      throw new AliyunTransportError(
        `${action}: ${(err as Error).name}: ${(err as Error).message}${code ? ` (${code})` : ''}`,
        code !== undefined && REFUSED_CODES.has(code),
      );
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new AliyunTransportError(`${action}: HTTP ${res.status}, not JSON`, false);
    }
    const code = typeof body.Code === 'string' ? body.Code : undefined;
    if (code !== 'OK' || !res.ok) {
      throw new AliyunApiError(
        code ?? `HTTP${res.status}`,
        String(body.Message ?? ''),
        res.status,
        typeof body.RequestId === 'string' ? body.RequestId : undefined,
      );
    }
    return body;
  }
}
