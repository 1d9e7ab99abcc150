/**
 * What the core needs from the outside world. Adapters implement these; the wiring in
 * functions/http/deps.ts (and the Lambda handlers) choose which implementation.
 */
import type { Commodity, Market, ReferenceData, Region, Unit } from './reference/schemas.ts';

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface ReferenceRepository {
  listCommodities(page: PageRequest): Promise<Page<Commodity>>;
  getCommodity(id: string): Promise<Commodity | undefined>;
  listRegions(page: PageRequest & { parentId?: string }): Promise<Page<Region>>;
  getRegion(id: string): Promise<Region | undefined>;
  listMarkets(page: PageRequest & { regionId?: string }): Promise<Page<Market>>;
  getMarket(id: string): Promise<Market | undefined>;
  listUnits(): Promise<Unit[]>;
  /** Writes every item; safe to repeat (puts are idempotent, versions only move forward). */
  seed(data: ReferenceData): Promise<{ written: number }>;
  /** True when no reference data has been written yet. */
  isEmpty(): Promise<boolean>;
}

export interface HealthProbe {
  /** Resolves when the store answers; rejects otherwise. */
  check(): Promise<void>;
}

export interface StoredFile {
  body: Uint8Array;
  contentType: string;
}

/** Attachments, exports and other files (S3 in AWS, s3rver locally). */
export interface FileStore {
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  get(key: string): Promise<StoredFile | undefined>;
  delete(key: string): Promise<void>;
}
