/** Where subscribers (farmers and herders known by their phone) are kept. */
import type { Subscriber } from './subscriber.ts';

export interface SubscriberRepository {
  get(phone: string): Promise<Subscriber | undefined>;
  /** Creates unless it exists; returns the stored subscriber either way. */
  createIfAbsent(subscriber: Subscriber): Promise<Subscriber>;
  /** Optimistic: fails with `conflict` when the stored version is not `subscriber.version`. */
  save(subscriber: Subscriber): Promise<Subscriber>;
  delete(phone: string): Promise<void>;
}
