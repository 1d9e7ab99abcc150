/**
 * The sms-reconcile job: Alibaba Cloud pushes delivery reports, but retries a push only three
 * times (after 1, 5 and 10 minutes), so a report lost then would leave a message `sent` for
 * good. Every 10 minutes this asks QuerySendDetails about each message sent through `aliyun`
 * between 10 minutes and 72 hours ago that still has no final receipt (the awaiting-receipt
 * index, adapters/dynamodb/outbound-store.ts), and records what it learns as a receipt would
 * be (recordDeliveryReceipt: idempotent, never backwards, so a push arriving too is harmless).
 */
import { shanghaiDay } from '#core/dates.ts';
import type { OutboundStore } from '#core/sms/ports.ts';
import { recordDeliveryReceipt } from '#core/sms/receipts.ts';
import type { AwaitingReceipt } from '../dynamodb/outbound-store.ts';
import { type AliyunSmsClient, aliyunPhone } from './aliyun-client.ts';
import { ALIYUN_GATEWAY } from './aliyun-sms.ts';

/** A message younger than this is left to the push, which normally comes within a minute. */
export const RECONCILE_AFTER_MS = 10 * 60_000;
/** The provider keeps a status for 72 hours of waiting (SendStatus 1); after that nobody asks. */
export const RECONCILE_WITHIN_MS = 72 * 3600_000;
const HOUR_MS = 3600_000;

export interface AwaitingIndex {
  listAwaiting(gateway: string, hour: string): Promise<AwaitingReceipt[]>;
  forgetAwaiting(gateway: string, sentAt: string, id: string): Promise<void>;
}

export interface ReconcileDeps {
  outbound: OutboundStore;
  awaiting: AwaitingIndex;
  client: Pick<AliyunSmsClient, 'querySendDetails'>;
  log: (entry: Record<string, unknown>) => void;
}

export interface ReconcileReport {
  checked: number;
  delivered: number;
  failed: number;
  waiting: number;
  /** Already final (a push came) or erased: their awaiting items dropped. */
  settled: number;
  /** Queries that failed (throttled, the provider unreachable): asked again at the next run. */
  errors: number;
}

/** The UTC hours (`2026-05-20T10`) from `from` to `to`, both included. */
export function hoursBetween(from: Date, to: Date): string[] {
  const hours: string[] = [];
  for (let t = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS; t <= to.getTime(); t += HOUR_MS)
    hours.push(new Date(t).toISOString().slice(0, 13));
  return hours;
}

/** yyyyMMdd, the provider's SendDate (Beijing time). */
const sendDate = (iso: string) => shanghaiDay(new Date(iso)).replaceAll('-', '');

/** @example await reconcileAliyunReceipts(deps, new Date()) // { checked: 3, delivered: 2, waiting: 1, … } */
export async function reconcileAliyunReceipts(deps: ReconcileDeps, now: Date): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, delivered: 0, failed: 0, waiting: 0, settled: 0, errors: 0 };
  const newest = now.getTime() - RECONCILE_AFTER_MS;
  const oldest = now.getTime() - RECONCILE_WITHIN_MS;
  for (const hour of hoursBetween(new Date(oldest), new Date(newest))) {
    for (const item of await deps.awaiting.listAwaiting(ALIYUN_GATEWAY, hour)) {
      const sentAt = Date.parse(item.sentAt);
      if (sentAt > newest || sentAt < oldest) continue;
      const msg = await deps.outbound.get(item.id);
      // `unknown`: the SendSms answer never came (a timeout, a provider error after taking it);
      // asked about by phone and day and found by our OutId, if the provider made it at all.
      if (msg?.status !== 'sent' && msg?.status !== 'unknown') {
        await deps.awaiting.forgetAwaiting(ALIYUN_GATEWAY, item.sentAt, item.id);
        report.settled++;
        continue;
      }
      report.checked++;
      let detail: Awaited<ReturnType<ReconcileDeps['client']['querySendDetails']>>['details'][number] | undefined;
      try {
        const res = await deps.client.querySendDetails({
          phoneNumber: aliyunPhone(msg.to),
          ...(item.gatewayMessageId ? { bizId: item.gatewayMessageId } : {}),
          sendDate: sendDate(item.sentAt),
          pageSize: 50,
          currentPage: 1,
        });
        detail = res.details.find((d) => d.OutId === item.id) ?? (item.gatewayMessageId ? res.details[0] : undefined);
      } catch (err) {
        report.errors++;
        deps.log({ level: 'warn', msg: 'aliyun status query failed', id: item.id, error: String(err) });
        continue;
      }
      if (!detail || detail.SendStatus === 1) {
        report.waiting++;
        continue;
      }
      const status = detail.SendStatus === 3 ? 'delivered' : detail.SendStatus === 2 ? 'failed' : undefined;
      if (!status) {
        report.waiting++;
        continue;
      }
      // The store drops the awaiting item with the status change.
      await recordDeliveryReceipt(deps, {
        gateway: ALIYUN_GATEWAY,
        gatewayMessageId: item.gatewayMessageId,
        messageId: item.id,
        status,
        ...(status === 'failed' ? { detail: detail.ErrCode || 'failed' } : {}),
      });
      report[status]++;
    }
  }
  deps.log({
    level: report.errors ? 'warn' : report.checked ? 'info' : 'debug',
    msg: 'sms reconcile done',
    ...report,
  });
  return report;
}
