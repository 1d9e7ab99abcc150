/**
 * Finishing inbound messages a crash interrupted. A run claims a message (keeping its text in
 * the claim), acts, replies, and marks the claim done; a process that dies in between leaves
 * the claim `processing`. In AWS Lambda retries the event, and the retry takes the claim over
 * once it is stale (inbound-timing.ts). Locally nothing would retry — `POST /dev/sms` callers
 * and the phone simulator do not — so the local stack runs this when it starts: every claim
 * still `processing` is run through the pipeline again.
 *
 * Running again is safe: the command's effects are saves of the same state, and each reply's
 * id derives from (gateway, message id, reply number), so a reply recorded or sent before the
 * crash is found again (re-queued if it was never sent) and never sent twice.
 */
import { handleInboundSms, type InboundDeps } from './handle-inbound.ts';

/** Claims read per page; a crash leaves a handful. */
const PAGE = 100;

export interface FinishReport {
  /** Messages run again to the end. */
  finished: number;
  /** Messages that failed again (left `processing` for the next start, or a redelivery). */
  failed: number;
}

/**
 * Only where no other process can be handling those claims: the local stack holds the data
 * directory's lock when it calls this, so every `processing` claim belongs to a dead process.
 */
export async function finishUnfinishedInbound(deps: InboundDeps): Promise<FinishReport> {
  const report: FinishReport = { finished: 0, failed: 0 };
  // Taking a claim over re-stamps it, which moves it to the end of the index: one go each.
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await deps.claims.listProcessing({ limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const { claimedAt, ...msg } of page.items) {
      const id = `${msg.gateway}\u0000${msg.messageId}`;
      if (seen.has(id)) continue;
      seen.add(id);
      try {
        const result = await handleInboundSms(deps, msg, { takeOver: true });
        report.finished++;
        deps.log({
          level: 'warn',
          msg: 'inbound SMS left unfinished by a crash: finished',
          gateway: msg.gateway,
          messageId: msg.messageId,
          claimedAt: new Date(claimedAt).toISOString(),
          replies: result.replies.map((r) => r.id),
        });
      } catch (err) {
        report.failed++;
        deps.log({
          level: 'error',
          msg: 'inbound SMS left unfinished by a crash: failed again',
          gateway: msg.gateway,
          messageId: msg.messageId,
          error: (err as Error).message,
        });
      }
    }
    cursor = page.cursor;
  } while (cursor);
  return report;
}
