import type { PageRequest } from '#core/paging.ts';
import type { ReferenceRepository } from '#core/reference/ports.ts';
import type { ReferenceData } from '#core/reference/schemas.ts';

/**
 * Reference data is small and changes a few times a year, but every page and SMS reads it.
 * A warm process keeps what it read for `ttlMs` (a minute by default), so most requests
 * cost no DynamoDB call; an edit shows at once in this process and everywhere within that minute
 * (the catalog built over it reloads on `onChange`; other processes' catalogs within 5 minutes).
 */
export class CachedReferenceRepository implements ReferenceRepository {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly inner: ReferenceRepository,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Calls `listener` after every edit or seed (e.g. so the SMS catalog of this process reloads). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    this.entries.clear();
    for (const listener of this.listeners) listener();
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { at: this.now(), value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  listCommodities(page: PageRequest) {
    return this.cached(`c:${page.limit}:${page.cursor ?? ''}`, () => this.inner.listCommodities(page));
  }
  getCommodity(id: string) {
    return this.cached(`c#${id}`, () => this.inner.getCommodity(id));
  }
  listRegions(page: PageRequest & { parentId?: string }) {
    return this.cached(`r:${page.parentId ?? ''}:${page.limit}:${page.cursor ?? ''}`, () =>
      this.inner.listRegions(page),
    );
  }
  getRegion(id: string) {
    return this.cached(`r#${id}`, () => this.inner.getRegion(id));
  }
  listMarkets(page: PageRequest & { regionId?: string }) {
    return this.cached(`m:${page.regionId ?? ''}:${page.limit}:${page.cursor ?? ''}`, () =>
      this.inner.listMarkets(page),
    );
  }
  getMarket(id: string) {
    return this.cached(`m#${id}`, () => this.inner.getMarket(id));
  }
  listUnits() {
    return this.cached('u', () => this.inner.listUnits());
  }
  isEmpty() {
    return this.inner.isEmpty();
  }
  seedState(data: ReferenceData) {
    return this.inner.seedState(data);
  }
  async setCommodityStaleDays(id: string, staleDays: number | null, editedBy: string) {
    const result = await this.inner.setCommodityStaleDays(id, staleDays, editedBy);
    this.changed();
    return result;
  }
  async seed(data: ReferenceData) {
    const result = await this.inner.seed(data);
    this.changed();
    return result;
  }
}
