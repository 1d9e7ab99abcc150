/**
 * The open-data files as pure functions of their input: deterministic gzip (however the text is
 * cut into pieces), sha256sum's format, the dictionary with no wall-clock time in it, the keys
 * that may be served, and the snapshot's time an hour after the digest.
 */

import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  dataDictionary,
  gzipWriter,
  isOpenDataKey,
  openDataKey,
  openPriceCsvLine,
  openPriceJsonLine,
  readme,
  sha256,
  sha256sums,
} from '#core/prices/open-data-export.ts';
import { openDataTime } from '#core/prices/open-data-publish.ts';
import type { PriceRecord } from '#core/prices/ports.ts';

const record: PriceRecord = {
  commodityId: 'butter',
  marketId: 'mkt_lhasa_barkhor',
  regionId: 'cty_lhasa_chengguan',
  date: '2026-05-20',
  priceFen: 3100,
  unit: 'jin',
  grade: '=HYPERLINK("x")',
  kind: 'retail',
  source: 'bureau',
  collector: '+8613900000001',
  submittedAt: '2026-05-20T02:00:00.000Z',
  status: 'approved',
  version: 1,
  reviewedBy: '+8613900000002',
  reviewedAt: '2026-05-20T03:00:00.000Z',
} as PriceRecord;

async function gzipOf(pieces: string[]) {
  const w = gzipWriter();
  for (const p of pieces) await w.write(p);
  return w.finish();
}

describe('gzip', () => {
  test('the same text gives the same bytes, however it was cut, with no name and no time in the header', async () => {
    const text = `${'commodity,market\r\n'.repeat(2000)}བོད་ཡིག 青稞\r\n`;
    const whole = await gzipOf([text]);
    const pieces = await gzipOf([text.slice(0, 7), text.slice(7, 5000), text.slice(5000)]);
    expect(pieces.bytes.equals(whole.bytes)).toBe(true);
    expect(pieces.sha256).toBe(whole.sha256);
    expect(whole.sha256).toBe(sha256(whole.bytes));
    expect([...whole.bytes.subarray(0, 8)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    expect(gunzipSync(whole.bytes).toString('utf8')).toBe(text);
  });
});

describe('lines', () => {
  test('a CSV line in the template columns, formula text guarded; a JSON line with no phone number', () => {
    expect(openPriceCsvLine(record)).toBe(
      `butter,mkt_lhasa_barkhor,2026-05-20,31.00,jin,"'=HYPERLINK(""x"")",retail,bureau\r\n`,
    );
    const line = openPriceJsonLine(record);
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual({
      identity: expect.any(String),
      commodityId: 'butter',
      marketId: 'mkt_lhasa_barkhor',
      date: '2026-05-20',
      price: '31.00',
      priceFen: 3100,
      unit: 'jin',
      grade: '=HYPERLINK("x")',
      kind: 'retail',
      source: 'bureau',
      approvedAt: '2026-05-20T03:00:00.000Z',
    });
    expect(line).not.toContain('+86');
  });
});

describe('SHA256SUMS', () => {
  test('sha256sum format: hex, two spaces, the name, LF', () => {
    expect(sha256sums([{ name: 'a.gz', sha256: sha256('x') }])).toBe(
      '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881  a.gz\n',
    );
  });
});

describe('the dictionary', () => {
  const facts = {
    date: '2026-05-20',
    rows: 3,
    dataAsOf: '2026-05-20T03:00:00.000Z',
    firstDate: '2026-05-01',
    lastDate: '2026-05-20',
  };
  test('the same facts give the same text: no clock in it', () => {
    expect(JSON.stringify(dataDictionary(facts))).toBe(JSON.stringify(dataDictionary({ ...facts })));
    expect(readme(facts)).toBe(readme({ ...facts }));
    expect(dataDictionary(facts)).toMatchObject({ generatedOn: '2026-05-20', rows: 3, licence: { id: 'CC-BY-4.0' } });
  });
  test('an empty snapshot still says what it is', () => {
    const empty = dataDictionary({
      date: '2026-05-20',
      rows: 0,
      dataAsOf: undefined,
      firstDate: undefined,
      lastDate: undefined,
    });
    expect(empty).toMatchObject({ rows: 0, dataAsOf: null, dates: { first: null, last: null } });
    expect(
      readme({ date: '2026-05-20', rows: 0, dataAsOf: undefined, firstDate: undefined, lastDate: undefined }),
    ).toContain('0 approved prices');
  });
});

describe('keys', () => {
  test('only the snapshot files of a dated or latest folder', () => {
    expect(openDataKey('latest', 'prices.csv.gz')).toBe('open-data/latest/prices.csv.gz');
    for (const ok of [
      'open-data/latest/SHA256SUMS',
      'open-data/2026-05-20/prices.jsonl.gz',
      'open-data/2026-05-20/README.md',
    ])
      expect(isOpenDataKey(ok), ok).toBe(true);
    for (const bad of [
      'open-data/latest/../static/app.css',
      'open-data/latest/other.txt',
      'static/app.css',
      'open-data/2026-5-20/SHA256SUMS',
      'open-data/latest/SHA256SUMS/x',
      'open-data//SHA256SUMS',
    ])
      expect(isOpenDataKey(bad), bad).toBe(false);
  });
});

describe('the schedule', () => {
  test('an hour after the digest, across midnight too', () => {
    expect(openDataTime('18:00')).toBe('19:00');
    expect(openDataTime('20:30')).toBe('21:30');
    expect(openDataTime('23:45')).toBe('00:45');
  });
});
