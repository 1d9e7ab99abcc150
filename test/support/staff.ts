/**
 * Helpers for staff-identity tests: requests from a given network address (per-address rate
 * limits), reading sign-in codes from the outbox as a phone would, and a tiny cookie jar.
 */
import type { TestStack } from './stack.ts';

export const ADMIN = '+8613800000000';
export const ORIGIN = 'http://localhost';

export type Send = (path: string, init?: RequestInit) => Promise<Response>;

/** Requests as if from `address` (the socket peer @hono/node-server would report). */
export function from(stack: TestStack, address = '198.51.100.1'): Send {
  const env = { incoming: { socket: { remoteAddress: address } } };
  return async (path, init = {}) => stack.app.request(path, init, env);
}

export const postJson = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const bearer = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` },
});

/** Waits for sign-in code SMS still being delivered in the background (core/staff/code-delivery.ts), as GET /dev/outbox does. */
export const deliveries = (stack: TestStack) => stack.deps.signInCodeQueue.settled?.() ?? Promise.resolve();

/** The code in the newest SMS to `phone`, read from its text as a person would; undefined when none came. */
export async function latestCode(stack: TestStack, phone: string): Promise<string | undefined> {
  await deliveries(stack);
  const [msg] = await stack.deps.outbound.listTo(phone, 1);
  return msg?.key === 'auth.code' ? /(?<!\d)(\d{6})(?!\d)/.exec(msg.text)?.[1] : undefined;
}

export async function smsCount(stack: TestStack, phone: string): Promise<number> {
  await deliveries(stack);
  return (await stack.deps.outbound.listTo(phone, 100)).length;
}

/** Signs in through the API; returns the bearer token and the session cookie pair. */
export async function signIn(
  stack: TestStack,
  phone: string,
  send: Send = from(stack, `203.0.113.${Math.floor(Math.random() * 250) + 1}`),
) {
  const asked = await send('/api/v1/auth/code', postJson({ phone }));
  if (asked.status !== 202) throw new Error(`code request: ${asked.status} ${await asked.text()}`);
  const code = await latestCode(stack, phone);
  if (!code) throw new Error(`no code was sent to ${phone}`);
  const res = await send('/api/v1/auth/token', postJson({ phone, code }));
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  const cookie = res.headers
    .getSetCookie()
    .find((c) => /^(__Host-)?session=/.test(c))!
    .split(';')[0]!;
  return { token, cookie };
}

/** Cookies as a browser keeps them, for multi-step web flows through app.request. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      if (value === '' || attrs.some((a) => /^\s*max-age=0$/i.test(a))) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return res;
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A browser request: sends the cookies, keeps what comes back. Forms get a same-origin Origin. */
  async send(send: Send, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('Cookie', this.header());
    if (init.method && init.method !== 'GET' && !headers.has('Origin')) headers.set('Origin', ORIGIN);
    return this.store(await send(`${ORIGIN}${path}`, { ...init, headers }));
  }
}

export function form(fields: Record<string, string | string[]>): RequestInit {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
  return { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString() };
}

/** The CSRF token of the first form on a page. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

const offsets = new WeakMap<TestStack, number>();

/**
 * Moves the app's clock forward without waiting: cooldowns, lockouts and rate-limit windows
 * pass, as they would in real time (the counters themselves stay real, in the table).
 */
export function advanceClock(stack: TestStack, seconds: number): void {
  const offset = (offsets.get(stack) ?? 0) + seconds * 1000;
  offsets.set(stack, offset);
  stack.deps.now = () => new Date(Date.now() + offset);
}

/**
 * A fresh hour: every per-hour limit, cooldown and lockout of earlier tests is behind us, and
 * the clock stands just past the start of an hourly window, so a test's own minutes stay in it.
 */
export function nextHour(stack: TestStack): void {
  const now = stack.deps.now().getTime();
  const target = (Math.floor(now / 3_600_000) + 2) * 3_600_000 + 1000;
  advanceClock(stack, (target - now) / 1000);
}
