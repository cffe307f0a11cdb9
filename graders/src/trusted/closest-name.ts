/**
 * "Did you mean ...?": the known name closest to a mistyped one, by edit distance (insertions,
 * deletions, substitutions and swaps of two neighbours, so `compelte` is one edit from `complete`),
 * ignoring case. A name is suggested only when it is close: at most a third of the typed name's
 * length in edits (at least one), so a short typo never suggests an unrelated name.
 */

/** Optimal string alignment distance between `a` and `b`, case ignored. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  // rows[i][j]: the distance between the first i characters of x and the first j of y.
  const rows: number[][] = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const substitution = rows[i - 1][j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1);
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, substitution);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[x.length][y.length];
}

/** The name of `known` closest to `typed` when one is close enough, else undefined; ties go to the first in code-unit order. */
export function closestName(typed: string, known: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(typed.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of [...known].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (name === typed) continue;
    const distance = editDistance(typed, name);
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
