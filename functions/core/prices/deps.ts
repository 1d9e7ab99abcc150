/** What the price use-cases (submit, review, reads) are given. */
import type { Catalog } from '../reference/catalog.ts';
import type { GuardDeps } from '../staff/guard.ts';
import type { AuditLog } from '../staff/ports.ts';
import type { PriceRepository } from './ports.ts';

export interface PriceDeps extends GuardDeps {
  prices: PriceRepository;
  catalog: () => Promise<Catalog>;
  audit: AuditLog;
}
