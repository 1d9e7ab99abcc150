/**
 * A CSV import killed at a random point. A child process imports a file of
 * about two thousand rows into the local stack on a DATA_DIR on disk (dynalite and s3rver keep
 * their files there) and is killed with SIGKILL at a random point — early, in the middle and
 * late in the import — then the stack is started again on the same DATA_DIR, as `npm start`
 * would be, and every reader must see the whole file or none of it: history (OBS items), the
 * latest prices, the market·date index (bulletins), the review queue and SMS PRICE agree, and no
 * submission is approved but unpublished. Both a reviewer's import (approved rows correcting
 * earlier values) and a collector's (pending rows replacing earlier pending values).
 *
 * The point is drawn as the n-th of the import's DynamoDB requests (the child holds that one and
 * every later one back, says so, and is killed while the requests already sent are being
 * written), from a seeded generator whose seed is printed: IMPORT_CRASH_SEED=<seed> replays a
 * run. A random delay in milliseconds would not replay, and on a loaded machine would mostly
 * land before the first write or after the last.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { type LocalConfig, loadConfig } from '#config';
import { shanghaiDay } from '#core/dates.ts';
import { importPriceCsv } from '#core/prices/import.ts';
import { formatFen } from '#core/prices/money.ts';
import { type ObservationIdentityFields, observationIdentity } from '#core/prices/observation.ts';
import type { PriceRecord } from '#core/prices/ports.ts';
import seedData from '#core/reference/seed-data.json' with { type: 'json' };
import { ALL_REGIONS, globalAdmin } from '#core/staff/roles.ts';
import { createApp } from '#http/app.ts';
import { localRoutes } from '#local/server.ts';
import { type LocalStack, startLocalStack } from '#local/stack.ts';
import { smsRequest } from '#test/support/dev-sms.ts';
import { watchedImportDeps } from '#test/support/price-import.ts';

const root = new URL('../../', import.meta.url).pathname;
const seed = Number(process.env.IMPORT_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** mulberry32: a small seeded generator, so that a failing run can be replayed. */
const random = (() => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
})();

type Mode = 'approve' | 'submit';
interface Row extends ObservationIdentityFields {
  kind: 'retail' | 'wholesale';
  unit: string;
  priceFen: number;
}

// 25 commodities × the 9 markets that lie in a region × 9 days = 2,025 rows a file.
const COMMODITIES = seedData.commodities.slice(0, 25).map((c) => c.id);
const MARKETS = seedData.markets.filter((m) => m.regionId).map((m) => m.id);
const DAYS = 9;
const regionOf = new Map(seedData.markets.map((m) => [m.id, m.regionId!]));
const today = shanghaiDay(new Date());
const dayBack = (n: number) => shanghaiDay(new Date(Date.parse(`${today}T12:00:00+08:00`) - n * 86_400_000));

/** One file: every commodity at every market on each day; approved rows are retail, pending ones wholesale. Prices differ from file to file. */
function rowsOf(mode: Mode, file: number): Row[] {
  const kind = mode === 'approve' ? 'retail' : 'wholesale';
  const rows: Row[] = [];
  for (let d = 1; d <= DAYS; d++) {
    for (const commodityId of COMMODITIES) {
      for (const marketId of MARKETS)
        rows.push({
          commodityId,
          marketId,
          date: dayBack(d),
          kind,
          unit: 'jin',
          priceFen: 300 + ((rows.length * 7 + file * 13) % 200),
        });
    }
  }
  return rows;
}
const csvOf = (rows: Row[]) =>
  `commodity,market,date,price,unit,grade,kind\n${rows.map((r) => [r.commodityId, r.marketId, r.date, formatFen(r.priceFen), r.unit, '', r.kind].join(',')).join('\n')}\n`;

/** What readers must see: the value of each identity once every import so far went in whole (or not at all). */
const approved = new Map<string, number>();
const pending = new Map<string, number>();

let dir: string;
let config: LocalConfig;
/** How many DynamoDB requests an uninterrupted import of each kind sends. */
const requests: Record<Mode, number> = { approve: 0, submit: 0 };

const actors = {
  approve: { phone: '+8613800000000', grants: [globalAdmin], configAdmin: true },
  submit: {
    phone: '+8613900000701',
    grants: [{ role: 'collector' as const, regions: [ALL_REGIONS] }],
    configAdmin: false,
  },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zhingdrok-crash-'));
  const loaded = loadConfig({
    APP_MODE: 'local',
    DATA_DIR: dir,
    TABLE_NAME: `crash-${randomUUID().slice(0, 8)}`,
    BUCKET_NAME: 'zhingdrok-crash',
    ADMIN_PHONES: '+8613800000000',
    LOG_LEVEL: 'silent',
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT,
  });
  if (loaded.APP_MODE !== 'local') throw new Error('local only');
  config = loaded;
  // Whole files first: the approved values later files correct and the pending ones they
  // replace; and how many requests such an import sends (the second file of each kind corrects,
  // or replaces, the first, as the files killed below do).
  const stack = await startLocalStack(config);
  try {
    await stack.deps.catalog();
    for (const [mode, file] of [
      ['approve', 0],
      ['approve', 1],
      ['submit', 0],
      ['submit', 1],
    ] as const) {
      const rows = rowsOf(mode, file);
      const core = watchedImportDeps(stack, config.TABLE_NAME, (n) => void (requests[mode] = n));
      const result = await importPriceCsv(core, { actor: actors[mode] }, new TextEncoder().encode(csvOf(rows)), {
        dryRun: false,
      });
      assert.ok(
        result.ok && result.counts.rows === rows.length,
        JSON.stringify(result.ok ? result.counts : result.errors.slice(0, 2)),
      );
      for (const r of rows) (mode === 'approve' ? approved : pending).set(observationIdentity(r), r.priceFen);
    }
  } finally {
    await stack.close();
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the child on `rows` and kills it at its `killAt`-th DynamoDB request; whether it finished first. */
async function importAndKill(mode: Mode, rows: Row[], file: number, killAt: number): Promise<{ finished: boolean }> {
  const path = join(dir, `prices-${file}-${mode}.csv`);
  writeFileSync(path, csvOf(rows));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/price-import-child.ts', path, mode], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      APP_MODE: 'local',
      DATA_DIR: dir,
      TABLE_NAME: config.TABLE_NAME,
      BUCKET_NAME: config.BUCKET_NAME,
      LOG_LEVEL: 'silent',
      KILL_AT: String(killAt),
      ...(process.env.DYNAMODB_ENDPOINT ? { DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
    if (/^kill \d+$/m.test(out)) child.kill('SIGKILL');
  });
  child.stderr!.on('data', (d) => (out += d));
  // 'exit' also reaps it: the data-dir lock then sees a dead process, not a zombie.
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  if (child.signalCode !== 'SIGKILL' && !out.includes('\ndone ')) throw new Error(`the child failed:\n${out}`);
  return { finished: out.includes('\ndone ') };
}

/** The approved values of some of the file's items (history: one Query per item), by identity. */
async function history(stack: LocalStack, rows: Row[], items: number) {
  const values = new Map<string, PriceRecord>();
  const all = [...new Map(rows.map((r) => [`${r.commodityId}|${r.marketId}|${r.kind}`, r])).values()];
  for (let i = 0; i < items; i++) {
    const r = all[Math.floor(random() * all.length)]!;
    const page = await stack.deps.prices.history(
      r.commodityId,
      r.marketId,
      { kind: r.kind, unit: r.unit },
      { limit: 100 },
    );
    for (const v of page.items) values.set(observationIdentity(v), v);
  }
  return values;
}

/** Every pending entry of the file's regions (the review queue, every page). */
async function reviewQueue(stack: LocalStack) {
  const queued = new Map<string, PriceRecord>();
  for (const region of new Set(MARKETS.map((m) => regionOf.get(m)!))) {
    let cursor: string | undefined;
    do {
      const page = await stack.deps.prices.pendingInRegion(region, { limit: 500, ...(cursor ? { cursor } : {}) });
      for (const p of page.items) queued.set(observationIdentity(p), p);
      cursor = page.cursor;
    } while (cursor);
  }
  return queued;
}

/**
 * Whether readers see the file whole or not at all (every row as in the file, or every row as
 * it was before the file: the model); anything else fails, saying what disagrees.
 */
async function outcome(stack: LocalStack, mode: Mode, rows: Row[]): Promise<'whole' | 'none'> {
  const model = mode === 'approve' ? approved : pending;
  const verdicts = { whole: 0, none: 0 };
  const wrong: string[] = [];
  // Submissions and approved values of every row (BatchGetItem, as the import reads them), the history of some items, the whole review queue.
  const state = await stack.deps.priceImport.load(rows);
  const obs = state.approved;
  for (const [id, v] of await history(stack, rows, 12))
    assert.equal(v.priceFen, obs.get(id)?.priceFen, `history of ${id} (seed ${seed})`);
  const queue = await reviewQueue(stack);
  for (const r of rows) {
    const id = observationIdentity(r);
    const submission = state.submissions.get(id);
    const before = model.get(id);
    const holds = (fen: number | undefined) =>
      mode === 'approve'
        ? submission?.status === 'approved' &&
          submission.priceFen === fen &&
          obs.get(id)?.priceFen === fen &&
          !queue.has(id)
        : (fen === undefined
            ? !submission
            : submission?.status === 'pending' && submission.priceFen === fen && queue.get(id)?.priceFen === fen) &&
          !obs.has(id);
    if (holds(r.priceFen)) verdicts.whole += 1;
    else if (holds(before)) verdicts.none += 1;
    else
      wrong.push(
        `${id}: file ${r.priceFen}, before ${before}; submission ${submission?.status} ${submission?.priceFen}, approved ${obs.get(id)?.priceFen}, queued ${queue.get(id)?.priceFen}`,
      );
  }
  assert.deepEqual(
    wrong.slice(0, 5),
    [],
    `rows neither whole nor untouched (${wrong.length} of ${rows.length}; seed ${seed})`,
  );
  assert.ok(
    verdicts.whole === rows.length || verdicts.none === rows.length,
    `part of the file is public: ${JSON.stringify(verdicts)} (seed ${seed})`,
  );
  return verdicts.whole ? 'whole' : 'none';
}

/** The latest prices, the bulletins and SMS PRICE agree with the approved values readers should see. */
async function approvedReadersAgree(stack: LocalStack) {
  const expected = (r: Omit<ObservationIdentityFields, 'unit'>) =>
    approved.get(observationIdentity({ ...r, kind: 'retail', unit: 'jin' }));
  for (const commodityId of COMMODITIES) {
    const latest = (await stack.deps.prices.latestForCommodity(commodityId, 100)).filter((l) => l.kind === 'retail');
    assert.deepEqual(
      latest.map((l) => [l.marketId, l.date, l.priceFen]).sort(),
      MARKETS.map((marketId) => [marketId, dayBack(1), expected({ commodityId, marketId, date: dayBack(1) })]).sort(),
      `latest prices of ${commodityId} (seed ${seed})`,
    );
  }
  for (const marketId of MARKETS) {
    for (const d of [1, Math.ceil(DAYS / 2), DAYS]) {
      const bulletin = (await stack.deps.prices.approvedAtMarketOn(marketId, dayBack(d))).filter(
        (b) => b.kind === 'retail',
      );
      assert.deepEqual(
        bulletin.map((b) => [b.commodityId, b.priceFen]).sort(),
        COMMODITIES.map((commodityId) => [commodityId, expected({ commodityId, marketId, date: dayBack(d) })]).sort(),
        `bulletin of ${marketId} on ${dayBack(d)} (seed ${seed})`,
      );
    }
  }
  const app = createApp(stack.deps, { extraRoutes: localRoutes(stack.deps, { devTools: true }) });
  const res = await app.request(
    '/dev/sms',
    smsRequest({ from: `+86137${String(Math.floor(random() * 1e8)).padStart(8, '0')}`, text: 'PRICE BARLEY DONGGA' }),
  );
  const [reply] = ((await res.json()) as { replies: Array<{ text: string }> }).replies;
  const fen = expected({ commodityId: 'barley_qingke', marketId: 'mkt_lhasa_dongga', date: dayBack(1) })!;
  assert.ok(reply?.text.includes(formatFen(fen)), `SMS PRICE says ${formatFen(fen)}: ${reply?.text} (seed ${seed})`);
}

describe('a CSV import killed at a random point: after a restart, readers see the whole file or none of it', () => {
  test(`approved and pending imports, killed early, midway and late (seed ${seed})`, async () => {
    console.log(
      `seed ${seed} (replay: IMPORT_CRASH_SEED=${seed}); an uninterrupted import sends ${requests.approve} DynamoDB requests (approved), ${requests.submit} (pending)`,
    );
    const slices = 3;
    let finishedAtRestart = 0;
    for (let slice = 0; slice < slices; slice++) {
      for (const mode of ['approve', 'submit'] as const) {
        const file = 2 + slice;
        const rows = rowsOf(mode, file);
        // A request in this third of the import's requests.
        const killAt = 1 + Math.floor(requests[mode] * ((slice + random()) / slices));
        const childStarted = performance.now();
        const { finished } = await importAndKill(mode, rows, file, killAt);
        const childMs = Math.round(performance.now() - childStarted);
        const restarted = performance.now();
        const stack = await startLocalStack(config);
        const restartMs = Math.round(performance.now() - restarted);
        const checked = performance.now();
        try {
          const seen = await outcome(stack, mode, rows);
          if (seen === 'whole')
            for (const r of rows) (mode === 'approve' ? approved : pending).set(observationIdentity(r), r.priceFen);
          await approvedReadersAgree(stack);
          assert.deepEqual(
            (await stack.deps.priceImport.finishUnfinished()).finished,
            [],
            'nothing is left unfinished',
          );
          finishedAtRestart += stack.importsFinished;
          console.log(
            `${mode} file ${file}: killed at request ${killAt} of ${requests[mode]}${finished ? ' (it had finished)' : ''} → ${seen}${stack.importsFinished ? ', finished at restart' : ''} (child ${childMs} ms, restart ${restartMs} ms, checks ${Math.round(performance.now() - checked)} ms)`,
          );
        } finally {
          await stack.close();
        }
      }
    }
    assert.ok(finishedAtRestart > 0, `at least one import was killed mid-write and finished at restart (seed ${seed})`);
  });
});
