/**
 * CSV price import speed on the local stack (the target: 10,000 rows ≤ 10 s, fully
 * validated before any write). Measures `importPriceCsv` as the route runs it — decode, parse,
 * resolve names, authorise, read the stored state (BatchGetItem), check absurd prices, keep the
 * file in S3, write (BatchWriteItem) — for an admin, whose rows are approved and published
 * (the most writes per row), into an empty table, then the same file again (every row
 * 'unchanged': reads only, and the absurd check's history Queries).
 *
 * For the bench runner: `measurePriceImport({ rows })`. Alone:
 * `node --import tsx test/bench/price-import.ts [rows]`.
 */
import { pathToFileURL } from 'node:url';
import { shanghaiDay } from '#core/dates.ts';
import { importPriceCsv, type PriceImportDeps } from '#core/prices/import.ts';
import seedData from '#core/reference/seed-data.json' with { type: 'json' };
import { globalAdmin } from '#core/staff/roles.ts';
import { startTestStack } from '#test/support/stack.ts';

/**
 * A CSV of `rows` rows in our template's columns (Chinese names, as a bureau writes them):
 * every seeded commodity at every seeded market, day after day back from `newest`.
 */
export function benchPriceCsv(rows: number, newest: string): string {
  const lines = ['commodity,market,date,price,unit,grade,kind,source'];
  const end = Date.parse(`${newest}T00:00:00Z`);
  let n = 0;
  for (let day = 0; n < rows; day++) {
    const date = new Date(end - day * 86_400_000).toISOString().slice(0, 10);
    for (const c of seedData.commodities) {
      for (const m of seedData.markets) {
        if (n >= rows) break;
        lines.push(
          [c.names.zh, m.names.zh, date, ((300 + ((n * 37) % 200)) / 100).toFixed(2), '斤', '', 'retail', ''].join(','),
        );
        n++;
      }
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

export interface PriceImportFigures {
  rows: number;
  bytes: number;
  /** First import into an empty table: every row new, approved and published. */
  firstMs: number;
  /**
   * CPU time of this process during the first import (the app, and the embedded dynalite and
   * s3rver, which run in it): steadier than the wall-clock time on a machine shared with others.
   */
  firstCpuMs: number;
  /** The same file again: every row unchanged, nothing written. */
  againMs: number;
  /** Items written by the first import (submissions, approved values, latest prices). */
  written: number;
}

export async function measurePriceImport({ rows = 10_000 }: { rows?: number } = {}): Promise<PriceImportFigures> {
  const stack = await startTestStack();
  try {
    const deps = stack.deps;
    const core: PriceImportDeps = deps;
    const acting = { actor: { phone: '+8613800000000', grants: [globalAdmin], configAdmin: true } };
    const yesterday = shanghaiDay(new Date(Date.now() - 86_400_000));
    const bytes = new TextEncoder().encode(benchPriceCsv(rows, yesterday));
    await deps.catalog(); // warm, as a running Lambda would be

    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const first = await importPriceCsv(core, acting, bytes, { dryRun: false });
    const firstMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const firstCpuMs = (cpu.user + cpu.system) / 1000;
    if (!first.ok || first.counts.new !== rows)
      throw new Error(`first import: ${JSON.stringify(first.ok ? first.counts : first.errors.slice(0, 3))}`);

    const t1 = performance.now();
    const again = await importPriceCsv(core, acting, bytes, { dryRun: false });
    const againMs = performance.now() - t1;
    if (!again.ok || again.counts.unchanged !== rows)
      throw new Error(`second import: ${JSON.stringify(again.ok ? again.counts : again.errors.slice(0, 3))}`);

    // a submission and an approved value per row, one latest price per item
    const items = new Set(first.rows.map((r) => `${r.commodityId}|${r.marketId}`)).size;
    return { rows, bytes: bytes.length, firstMs, firstCpuMs, againMs, written: rows * 2 + items };
  } finally {
    await stack.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = Number(process.argv[2] ?? 10_000);
  const f = await measurePriceImport({ rows });
  console.log(
    `${f.rows} rows (${(f.bytes / 1024).toFixed(0)} KB): first import ${(f.firstMs / 1000).toFixed(2)} s (${Math.round(f.rows / (f.firstMs / 1000))} rows/s, ${f.written} items written, CPU ${(f.firstCpuMs / 1000).toFixed(2)} s); ` +
      `same file again ${(f.againMs / 1000).toFixed(2)} s (all unchanged)`,
  );
}
