/**
 * The two-digit number each commodity has on the printed village price sheet, pressed on the
 * phone instead of a menu. Stable: a sheet printed last year still works, so a number is never
 * changed or reused; a new commodity takes a free number in its group's decade. Grains first,
 * then vegetables, fruit, live animals, animal products, fungi, farm inputs.
 */
export const sheetNumbers: Readonly<Record<string, number>> = {
  // 10–19 grains
  barley_qingke: 10,
  wheat: 11,
  peas: 12,
  rapeseed: 13,
  buckwheat: 14,
  tsampa: 15,
  // 20–29 vegetables
  potato: 20,
  radish: 21,
  turnip: 22,
  cabbage: 23,
  // 30–39 fruit
  walnut: 30,
  apple: 31,
  // 40–49 live animals
  yak_live: 40,
  sheep_live: 41,
  goat_live: 42,
  cattle: 43,
  dzo: 44,
  horse: 45,
  // 50–69 animal products
  yak_meat: 50,
  mutton: 51,
  butter: 52,
  dried_cheese_chura: 53,
  milk: 54,
  yogurt: 55,
  yak_wool: 56,
  sheep_wool: 57,
  cashmere: 58,
  yak_hide: 59,
  // 70–79 fungi
  cordyceps: 70,
  matsutake: 71,
  // 80–89 farm inputs
  fertilizer: 80,
  barley_seed: 81,
  fodder_hay: 82,
};

const bySheetNumber = new Map(Object.entries(sheetNumbers).map(([id, n]) => [n, id]));

/** The commodity a sheet number stands for, or undefined for a number no commodity has. */
export function commodityOfSheetNumber(n: number): string | undefined {
  return bySheetNumber.get(n);
}
