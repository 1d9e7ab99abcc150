import { describe, expect, test } from 'vitest';
import { normaliseCode } from '#core/exchange/codes.ts';

describe('normaliseCode', () => {
  test.each([
    ['L4821', 'L4821'],
    ['l4821', 'L4821'],
    ['4821', 'L4821'],
    ['Ｌ４８２１', 'L4821'],
    ['༤༨༢༡', 'L4821'],
    ['L 4821', 'L4821'],
    ['l-482100', 'L482100'],
    ['a1234', 'A1234'],
    ['A123456', 'A123456'],
  ])('%s → %s', (typed, code) => expect(normaliseCode(typed)).toBe(code));

  test.each(['', 'L', 'L123', '123', 'L1234567', 'B4821', 'L48a1', '4.821', 'yes', 'L4821 x'])(
    '%j is not a code',
    (typed) => expect(normaliseCode(typed)).toBeUndefined(),
  );
});
