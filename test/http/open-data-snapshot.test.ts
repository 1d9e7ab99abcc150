/**
 * The daily open-data snapshot on the real local stack (dynalite + s3rver): POST
 * /dev/jobs/open-data writes every approved price to the public bucket under the day's folder and
 * latest/; GET /open-data/* serves them as CloudFront does in AWS; the CSV is GET /prices.csv's
 * and its rows are the API's; SHA256SUMS verify; a rerun writes the same bytes; no path reaches
 * anything but the snapshot files; /open-data lists them, linked from the home page.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runJob } from '#core/alerts/jobs.ts';
import { shanghaiDay } from '#core/dates.ts';
import { localApp } from '#local/server.ts';
import { csvText, postCsv } from '#test/support/price-import.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
const HEADER = 'commodity,market,date,price,unit,grade,kind,source';
const FILES = ['prices.csv.gz', 'prices.jsonl.gz', 'dictionary.json', 'README.md', 'SHA256SUMS'];
const post: RequestInit = { method: 'POST', headers: { 'Content-Type': 'application/json' } };
type Report = {
  job: string;
  report: { date: string; rows: number; files: { name: string; bytes: number; sha256: string }[] };
};

beforeAll(async () => {
  stack = await startTestStack();
  local = localApp(stack.deps, { devTools: true });
  const staff = await priceStaff(stack);
  api = staff.api;
  const collector = await staff.member('+8613900000701', 'collector', ['pref_lhasa']);
  const d = (n: number) => day(stack, -n);
  const imported = await postCsv(
    api,
    csvText(
      HEADER,
      `butter,mkt_lhasa_barkhor,${d(3)},30.00,jin,一级,retail,bureau`,
      `butter,mkt_lhasa_barkhor,${d(2)},31.00,jin,"=1+1, quoted",retail,bureau`,
      `butter,mkt_lhasa_dongga,${d(2)},28.00,kg,,wholesale,bureau`,
      `barley_qingke,mkt_lhasa_barkhor,${d(3)},4.00,jin,,retail,bureau`,
      `barley_qingke,mkt_lhasa_dongga,${d(2)},4.50,jin,,retail,bureau`,
      `yak_meat,mkt_lhasa_dongga,${d(1)},45.00,jin,,retail,bureau`,
    ),
    staff.admin,
  );
  assert.equal(imported.status, 201, await imported.clone().text());
  // A collector's entry waits for review: never open data.
  const pending = await api(
    '/prices',
    postJson({ commodity: 'butter', market: 'mkt_lhasa_tromsikhang', date: d(2), price: '29.00', unit: 'jin' }),
    collector,
  );
  assert.equal(pending.status, 201);
});
afterAll(() => stack?.close());

/** Through the local server's app: /open-data/* stands in for CloudFront in front of the app, as /static/* does. */
let local: ReturnType<typeof localApp>;
const get = async (path: string, init?: RequestInit) =>
  local.request(path, init, { incoming: { socket: { remoteAddress: '198.51.100.1' } } });
const bytesOf = async (path: string) => {
  const res = await get(path);
  assert.equal(res.status, 200, path);
  return Buffer.from(await res.arrayBuffer());
};
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** Every object of a snapshot folder, by file name. */
const folder = async (name: string) =>
  Object.fromEntries(await Promise.all(FILES.map(async (f) => [f, await bytesOf(`/open-data/${name}/${f}`)] as const)));

describe('the open-data job', () => {
  let first: Report;
  test('POST /dev/jobs/open-data writes every approved price under the Shanghai day and latest/', async () => {
    const res = await get('/dev/jobs/open-data', post);
    assert.equal(res.status, 200);
    first = (await res.json()) as Report;
    assert.equal(first.job, 'open-data');
    assert.equal(first.report.date, shanghaiDay(stack.deps.now()));
    assert.equal(first.report.rows, 6, 'the six approved prices, not the pending one');
    assert.deepEqual(first.report.files.map((f) => f.name).sort(), [...FILES].sort());
    const dated = await folder(first.report.date);
    const latest = await folder('latest');
    for (const f of FILES) assert.ok(dated[f]!.equals(latest[f]!), `${f}: latest/ holds the same bytes`);
  });

  test('/open-data/latest/prices.csv.gz: a gzip download, the CSV of GET /api/v1/prices.csv', async () => {
    const res = await get('/open-data/latest/prices.csv.gz');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/gzip');
    assert.equal(
      res.headers.get('content-encoding'),
      null,
      'never decoded on the way: the bytes are the checksummed ones',
    );
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /^attachment; filename="zhingdrok-\d{4}-\d{2}-\d{2}-prices\.csv\.gz"$/,
    );
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
    const gz = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...gz.subarray(0, 8)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0], 'gzip, no name, no mtime');
    const csv = gunzipSync(gz);
    // Bytes, not text(): a decoder would drop the BOM of both.
    const exported = Buffer.from(await (await get('/api/v1/prices.csv')).arrayBuffer());
    assert.equal(
      csv.toString('utf8'),
      exported.toString('utf8'),
      'the same bytes as the streamed export: it imports again',
    );
    assert.ok(csv.toString('utf8').startsWith('\uFEFFcommodity,market,date,price,unit,grade,kind,source\r\n'));
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 6);
    assert.ok(
      rows.some((r) => r.grade === "'=1+1, quoted"),
      'formula-like text guarded as in the export',
    );
    // A sample of items against the JSON API's answers.
    for (const r of rows.filter((_, i) => i % 2 === 0)) {
      const grade = r.grade!.replace(/^'/, '');
      const query = new URLSearchParams({ commodity: r.commodity!, market: r.market!, unit: r.unit!, kind: r.kind! });
      query.set('from', r.date!);
      query.set('to', r.date!);
      if (grade) query.set('grade', grade);
      const page = (await (await get(`/api/v1/prices?${query}`)).json()) as {
        items: Array<{ price: string; grade?: string; date: string }>;
      };
      const match = page.items.find((i) => (i.grade ?? '') === grade && i.date === r.date);
      assert.ok(match, `${r.commodity} ${r.market} ${r.date} in the API`);
      assert.equal(match.price, r.price);
    }
  });

  test('prices.jsonl.gz: one JSON object a line, the records GET /api/v1/prices answers', async () => {
    const lines = gunzipSync(await bytesOf('/open-data/latest/prices.jsonl.gz'))
      .toString('utf8')
      .split('\n');
    assert.equal(lines.pop(), '', 'LF-terminated');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const api = (await (await get('/api/v1/prices?limit=100')).json()) as { items: unknown[] };
    assert.deepEqual(records, api.items);
    for (const r of records) assert.equal(JSON.stringify(r).includes('+86'), false, 'no phone numbers');
  });

  test('SHA256SUMS verify every file, in both folders', async () => {
    for (const name of [first.report.date, 'latest']) {
      const sums = (await bytesOf(`/open-data/${name}/SHA256SUMS`)).toString('utf8');
      const lines = sums.trimEnd().split('\n');
      assert.deepEqual(
        lines.map((l) => l.split('  ')[1]),
        FILES.filter((f) => f !== 'SHA256SUMS'),
      );
      for (const line of lines) {
        const [hash, file] = line.split('  ') as [string, string];
        assert.match(hash, /^[0-9a-f]{64}$/);
        assert.equal(sha256(await bytesOf(`/open-data/${name}/${file}`)), hash, `${name}/${file}`);
      }
    }
  });

  test('the dictionary: columns, codes, licence, the day and the row count', async () => {
    const dictionary = JSON.parse((await bytesOf('/open-data/latest/dictionary.json')).toString('utf8'));
    expect(dictionary).toMatchObject({
      generatedOn: first.report.date,
      rows: 6,
      licence: { id: 'CC-BY-4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
      codes: { commodity: { list: '/api/v1/commodities' }, region: { list: '/api/v1/regions' } },
    });
    assert.deepEqual(
      dictionary.files['prices.csv.gz'].columns.map((c: { name: string }) => c.name),
      HEADER.split(','),
    );
    assert.match(dictionary.codes.region.description, /GB\/T 2260/);
    const readme = (await bytesOf('/open-data/latest/README.md')).toString('utf8');
    assert.match(readme, /CC BY 4\.0|Creative Commons Attribution 4\.0/);
    assert.match(readme, /\| price \| decimal \| CNY/);
  });

  test('a rerun of the same day writes the same objects, byte for byte', async () => {
    const before = { dated: await folder(first.report.date), latest: await folder('latest') };
    const again = (await (await get('/dev/jobs/open-data', post)).json()) as Report;
    assert.deepEqual(again, first);
    // And as the scheduler runs it, due later the same Shanghai day.
    const due = new Date(stack.deps.now().getTime() + 1000);
    if (shanghaiDay(due) === first.report.date) await runJob(stack.deps, 'open-data', due);
    const after = { dated: await folder(first.report.date), latest: await folder('latest') };
    for (const f of FILES) {
      assert.ok(after.dated[f]!.equals(before.dated[f]!), `dated ${f}`);
      assert.ok(after.latest[f]!.equals(before.latest[f]!), `latest ${f}`);
    }
  });

  test('only snapshot files are served: other names, folders and path tricks are 404', async () => {
    for (const path of [
      '/open-data/latest/other.txt',
      '/open-data/static/app.css',
      '/open-data/2026-13-99x/SHA256SUMS',
      '/open-data/latest/..%2F..%2Fstatic%2Fapp.css',
      '/open-data/..%2Fstatic/app.css',
      '/open-data/latest',
      '/open-data/1999-01-01/SHA256SUMS',
    ]) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
    }
  });

  test('/open-data lists the newest files with sizes and checksums; the home page links it', async () => {
    const res = await get('/open-data?lang=en');
    assert.equal(res.status, 200);
    const html = await res.text();
    for (const f of first.report.files) {
      assert.ok(html.includes(`href="/open-data/latest/${f.name}"`), f.name);
      assert.ok(html.includes(f.sha256), `${f.name} checksum`);
    }
    assert.match(html, /6 prices/);
    for (const lang of ['bo', 'zh', 'en']) {
      const home = await (await get(`/?lang=${lang}`)).text();
      assert.ok(home.includes('href="/open-data"'), lang);
    }
  });
});
