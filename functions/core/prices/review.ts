/**
 * Reviewing prices: the queue of pending submissions of a reviewer's regions, and approving or
 * rejecting one (reviewers of the market's region only; every decision audited).
 */
import { shanghaiDay } from '../dates.ts';
import { AppError, notFound, priceDetail, validationFailed } from '../errors.ts';
import { mapLimited } from '../limited.ts';
import type { Page, PageRequest } from '../paging.ts';
import { regionsUnder } from '../reference/catalog.ts';
import type { Messenger } from '../sms/ports.ts';
import { auditEntry } from '../staff/audit.ts';
import { type Acting, guard } from '../staff/guard.ts';
import { ALL_REGIONS } from '../staff/roles.ts';
import type { PriceDeps } from './deps.ts';
import { observationIdentity, parseIdentity } from './observation.ts';
import type { PriceRecord } from './ports.ts';

import { rejectionSms } from './rejection-sms.ts';

/**
 * The submission a reviewer decides. Staff who review nowhere are refused (403) before anything
 * is read. A submission in a region the reviewer does not hold answers exactly as one that does
 * not exist (404 not_found), so that nobody learns from the answer which entries exist
 * elsewhere; the attempt is still written to the audit log as refused.
 */
async function pendingFor(deps: PriceDeps, acting: Acting, identityText: string) {
  if (!(await deps.authz.can(acting.actor, 'price.review'))) await guard(deps, acting, 'price.review');
  const identity = parseIdentity(identityText);
  const record = identity && (await deps.prices.getSubmission(identity));
  if (!identity || !record) throw notFound('price', identityText);
  try {
    await guard(deps, acting, 'price.review', [record.regionId]);
  } catch (err) {
    if (err instanceof AppError && err.code === 'forbidden') throw notFound('price', identityText);
    throw err;
  }
  return { identity, record };
}

async function logDecision(
  deps: PriceDeps,
  acting: Acting,
  action: string,
  record: PriceRecord,
  detail: Record<string, string | number>,
) {
  await deps.audit.record(
    auditEntry(
      {
        actor: acting.actor.phone,
        action,
        target: observationIdentity(record),
        regions: [record.regionId],
        outcome: 'ok',
        detail,
        ...(acting.requestId ? { requestId: acting.requestId } : {}),
      },
      deps.now(),
    ),
  );
}

/** A reviewer of the market's region approves a pending submission (at the version seen, if given). */
export async function approvePrice(
  deps: PriceDeps,
  acting: Acting,
  identityText: string,
  version?: number,
): Promise<PriceRecord> {
  const { identity, record } = await pendingFor(deps, acting, identityText);
  const approved = await deps.prices.approve(
    identity,
    version ?? record.version,
    acting.actor.phone,
    deps.now().toISOString(),
  );
  await logDecision(deps, acting, 'price.approve', approved, { priceFen: approved.priceFen });
  return approved;
}

/**
 * A reviewer rejects a pending submission; the reason is required and kept, and the collector
 * is told by SMS (`rejectionSms`; not when they rejected their own entry). The same rejection
 * again (same reviewer and reason, at the version it decided) is a retry: answered as the first
 * was, nothing written twice, and the SMS made sure of without a second one being sent.
 */
export async function rejectPrice(
  deps: PriceDeps & { messenger: Pick<Messenger, 'send'> },
  acting: Acting,
  identityText: string,
  reason: string,
  version?: number,
): Promise<PriceRecord> {
  const why = reason.trim();
  if (!why) throw validationFailed([priceDetail('reason', 'reason_required', 'A reason is required')]);
  const { identity, record } = await pendingFor(deps, acting, identityText);
  const retry =
    record.status === 'rejected' &&
    record.reviewedBy === acting.actor.phone &&
    record.rejectReason === why &&
    (version === undefined || version === record.version - 1);
  let rejected = record;
  if (!retry) {
    rejected = await deps.prices.reject(
      identity,
      version ?? record.version,
      acting.actor.phone,
      why,
      deps.now().toISOString(),
    );
    await logDecision(deps, acting, 'price.reject', rejected, { reason: why });
  }
  if (rejected.collector !== acting.actor.phone)
    await deps.messenger.send(rejectionSms(rejected, await deps.catalog(), shanghaiDay(deps.now())));
  return rejected;
}

/** Where a page of a review queue ends: the last entry's submission time and identity, opaque to clients. */
function queuePosition(cursor: string | undefined): { submittedAt: string; identity: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [submittedAt, identity] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof submittedAt === 'string' && typeof identity === 'string' && parseIdentity(identity))
      return { submittedAt, identity };
  } catch {
    // falls through: not one of ours
  }
  throw new AppError('invalid_cursor');
}

/**
 * Pending submissions of a region and the regions under it (reviewers of that region), oldest
 * first, paged: one Query per region from the same position, merged, the first `limit` kept;
 * the cursor is the last one shown, so the next page starts after it in every region.
 */
export async function pendingPrices(
  deps: PriceDeps,
  acting: Acting,
  regionId: string,
  page: PageRequest,
): Promise<Page<PriceRecord>> {
  await guard(deps, acting, 'price.review', [regionId]);
  const catalog = await deps.catalog();
  const regions = regionId === ALL_REGIONS ? [ALL_REGIONS, ...catalog.regions.keys()] : regionsUnder(catalog, regionId);
  const after = queuePosition(page.cursor);
  // Every region's queue (83 for a reviewer of all regions), a few at a time rather than all at once.
  const pages = await mapLimited(regions, 8, (r) => deps.prices.pendingInRegion(r, { limit: page.limit }, after));
  const keyOf = (r: PriceRecord) => `${r.submittedAt}#${observationIdentity(r)}`;
  const all = pages.flatMap((p) => p.items).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const items = all.slice(0, page.limit);
  const more = all.length > page.limit || pages.some((p) => p.cursor !== undefined);
  const last = items.at(-1);
  const cursor =
    more && last
      ? Buffer.from(JSON.stringify([last.submittedAt, observationIdentity(last)])).toString('base64url')
      : undefined;
  return { items, ...(cursor ? { cursor } : {}) };
}
