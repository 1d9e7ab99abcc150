/**
 * The latest prices of a commodity, kept in this process for a few seconds. Every price page,
 * API read and SMS PRICE asks for them, and they change only when a price is published; a
 * warm Lambda (or the local server) answers a burst of the same question from memory, not
 * with one Query each. A publish in this process drops the commodity at once; other processes
 * see it within the TTL — less than the 60 s a CDN may already keep GET /prices/latest.
 */
export class LatestPriceCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  /** `ttlMs` 0 keeps nothing: every read goes to the store. */
  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The value for (commodity, limit), from memory within the TTL, else from `load`. */
  read(commodityId: string, limit: number, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const key = `${commodityId}\n${limit}`;
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.entries.set(key, { at: this.now(), value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** Forgets one commodity (after publishing one of its prices), or everything. */
  invalidate(commodityId?: string): void {
    if (commodityId === undefined) {
      this.entries.clear();
      return;
    }
    for (const key of this.entries.keys()) if (key.startsWith(`${commodityId}\n`)) this.entries.delete(key);
  }
}
