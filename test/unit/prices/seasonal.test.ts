import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { addDays } from '#core/dates.ts';
import { SEASON_WINDOW_DAYS, seasonalAnomaly, seasonWindows } from '#core/prices/seasonal.ts';

const at = (date: string, priceFen: number) => ({ date, priceFen });

describe('seasonalAnomaly', () => {
  // Two earlier years around 10 June at about 4.00; the rule's band is then max(25%, 3·MAD).
  const earlier = [
    at('2024-06-01', 390),
    at('2024-06-10', 400),
    at('2024-06-20', 410),
    at('2025-06-05', 400),
    at('2025-06-15', 420),
  ];

  test('flags a price beyond max(25% of the seasonal median, 3·MAD), high or low', () => {
    const high = seasonalAnomaly([...earlier, at('2026-06-10', 520)], '2026-06-10');
    assert.deepEqual(high, { flag: 'high', normFen: 400, bandFen: 100, years: 2, changePct: 30 });
    assert.equal(seasonalAnomaly([...earlier, at('2026-06-10', 290)], '2026-06-10')?.flag, 'low');
  });

  test('within the band is not flagged (the edge included)', () => {
    assert.equal(seasonalAnomaly([...earlier, at('2026-06-10', 500)], '2026-06-10')?.flag, undefined);
    assert.equal(seasonalAnomaly([...earlier, at('2026-06-10', 300)], '2026-06-10')?.flag, undefined);
    assert.equal(seasonalAnomaly([...earlier, at('2026-06-10', 430)], '2026-06-10')?.flag, undefined);
  });

  test('a volatile item needs a bigger move: the band widens to 3 median absolute deviations', () => {
    const swinging = [
      at('2024-06-01', 200),
      at('2024-06-12', 600),
      at('2024-06-20', 400),
      at('2025-06-05', 300),
      at('2025-06-15', 500),
    ];
    const check = seasonalAnomaly([...swinging, at('2026-06-10', 650)], '2026-06-10')!;
    assert.equal(check.normFen, 400);
    assert.equal(check.bandFen, 300, 'MAD 100 × 3 beats 25% of 400');
    assert.equal(check.flag, undefined);
    assert.equal(seasonalAnomaly([...swinging, at('2026-06-10', 701)], '2026-06-10')!.flag, 'high');
  });

  test('needs 2 earlier years with prices in the ±15-day window', () => {
    const oneYear = [at('2025-06-05', 400), at('2025-06-15', 420), at('2025-06-25', 410)];
    assert.equal(seasonalAnomaly([...oneYear, at('2026-06-10', 900)], '2026-06-10'), undefined);
    // Outside the window (16 days off) does not count as the same season.
    const offSeason = [...oneYear, at(addDays('2024-06-10', SEASON_WINDOW_DAYS + 1), 400)];
    assert.equal(seasonalAnomaly([...offSeason, at('2026-06-10', 900)], '2026-06-10'), undefined);
    const onEdge = [...oneYear, at(addDays('2024-06-10', SEASON_WINDOW_DAYS), 400)];
    assert.equal(seasonalAnomaly([...onEdge, at('2026-06-10', 900)], '2026-06-10')?.flag, 'high');
  });

  test('the current year and later prices are never part of the norm; no price on the date → undefined', () => {
    const withRecent = [...earlier, at('2026-05-30', 900), at('2026-06-10', 520)];
    assert.equal(seasonalAnomaly(withRecent, '2026-06-10')?.normFen, 400);
    assert.equal(seasonalAnomaly(earlier, '2026-06-10'), undefined);
  });

  test('29 February looks at 28 February in common years', () => {
    const history = [at('2023-02-28', 400), at('2022-02-28', 400), at('2024-02-29', 800)];
    assert.equal(seasonalAnomaly(history, '2024-02-29')?.flag, 'high');
  });

  test('seasonWindows lists the earlier years oldest first, ±15 days', () => {
    assert.deepEqual(seasonWindows('2026-06-10'), [
      { from: '2023-05-26', to: '2023-06-25' },
      { from: '2024-05-26', to: '2024-06-25' },
      { from: '2025-05-26', to: '2025-06-25' },
    ]);
  });
});
