/**
 * Helpers for SMS tests through the local contracts: POST /dev/sms as a phone would, GET
 * /dev/outbox, fresh numbers per test, and the texts a reply should carry.
 */
import type { Language } from '#core/i18n.ts';
import { smsTranslator } from '#core/sms/sms-text.ts';
import type { TestStack } from './stack.ts';

export interface Reply {
  to: string;
  text: string;
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
}

export const TIBETAN = /[\u0F00-\u0FFF]/;

let next = 0;
/** A mainland mobile number no other test in this process uses. */
export const freshNumber = (prefix = '139') =>
  `+86${prefix}${String(Date.now() % 1e4).padStart(4, '0')}${String(next++ % 1e4).padStart(4, '0')}`;

export const smsRequest = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** POST /dev/sms; returns the replies (asserting the 200 is the caller's business via `res`). */
export async function texts(stack: TestStack, from: string, text: string, id?: string): Promise<Reply[]> {
  const res = await stack.app.request('/dev/sms', smsRequest({ from, text, ...(id ? { id } : {}) }));
  if (res.status !== 200) throw new Error(`POST /dev/sms answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { replies: Reply[] };
  return body.replies;
}

/** The one reply a message should cause. */
export async function replyTo(stack: TestStack, from: string, text: string, id?: string): Promise<Reply> {
  const replies = await texts(stack, from, text, id);
  if (replies.length !== 1)
    throw new Error(
      `${JSON.stringify(text)} from ${from} caused ${replies.length} replies: ${JSON.stringify(replies)}`,
    );
  return replies[0]!;
}

export async function outbox(stack: TestStack, to: string): Promise<Reply[]> {
  const res = await stack.app.request(`/dev/outbox?to=${encodeURIComponent(to)}`);
  if (res.status !== 200) throw new Error(`GET /dev/outbox answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Reply[];
}

/** The SMS text of a message key in a language (no signature), composed as replies are (Tibetan orthography included), e.g. to check a reply ends with it. */
export const smsText = (lang: Language, key: string, params: Record<string, string | number> = {}) =>
  smsTranslator(lang)(key, params);
