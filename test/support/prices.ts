/** Helpers for price tests: staff with roles in regions, signed in, and dates relative to the stack's clock. */

import { shanghaiDay } from '#core/dates.ts';
import type { PriceSubmission } from '#core/prices/ports.ts';
import type { TestStack } from './stack.ts';
import { ADMIN, bearer, from, postJson, signIn } from './staff.ts';

export type Api = (path: string, init?: RequestInit, token?: string) => Promise<Response>;

export async function priceStaff(stack: TestStack) {
  const admin = (await signIn(stack, ADMIN)).token;
  const api: Api = (path, init = {}, token = admin) => from(stack)(`/api/v1${path}`, bearer(token, init));
  const member = async (phone: string, role: string, regions: string[]) => {
    const res = await api('/staff', postJson({ phone, grants: [{ role, regions }] }));
    if (res.status !== 201) throw new Error(`invite ${phone}: ${res.status} ${await res.text()}`);
    return (await signIn(stack, phone)).token;
  };
  return { admin, api, member };
}

/** The stack's Shanghai day, shifted by `days`. */
export function day(stack: TestStack, days = 0): string {
  return shanghaiDay(new Date(stack.deps.now().getTime() + days * 86_400_000));
}

/**
 * A submission as the store takes it (for tests that write through the repository): retail,
 * per jin, at Dongga, from a bureau collector, submitted on its own date; `over` changes any part.
 */
export function priceSubmission(
  commodityId: string,
  date: string,
  priceFen: number,
  over: Partial<PriceSubmission> = {},
): PriceSubmission {
  return {
    commodityId,
    marketId: 'mkt_lhasa_dongga',
    regionId: 'cty_lhasa_doilungdeqen',
    date,
    priceFen,
    unit: 'jin',
    kind: 'retail',
    source: 'bureau weekly',
    collector: '+8613900000001',
    submittedAt: `${date}T02:00:00.000Z`,
    ...over,
  };
}
