/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition, each substring
 * edited once) over any sequence, with an optional substitution cost in [0, 1].
 *
 * Written here rather than taken from fastest-levenshtein because we need what it lacks:
 * transpositions (the commonest phone typo: "barely" for "barley"), code points rather than
 * UTF-16 units, and sequences of Tibetan syllables with a graded cost for a misspelt syllable.
 * Our strings are SMS words against a few thousand names, so O(n·m) is ample.
 *
 * @example editDistance([...'barly'], [...'barley']) // 1
 */
export function editDistance<T>(
  a: readonly T[],
  b: readonly T[],
  substitution: (x: T, y: T) => number = (x, y) => (x === y ? 0 : 1),
): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rows suffice: transposition looks back two.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const x = a[i - 1]!;
      const y = b[j - 1]!;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + substitution(x, y));
      if (i > 1 && j > 1 && x === b[j - 2] && a[i - 2] === y && x !== y) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/**
 * Distance between two Tibetan syllable sequences, where swapping one syllable for another
 * costs the share of its letters that differ: རྒྱལ་རྩ for རྒྱལ་རྩེ costs 1/3, not 1.
 */
export function syllableDistance(a: readonly string[], b: readonly string[]): number {
  return editDistance(a, b, (x, y) => {
    if (x === y) return 0;
    const xs = [...x];
    const ys = [...y];
    return editDistance(xs, ys) / Math.max(xs.length, ys.length);
  });
}
