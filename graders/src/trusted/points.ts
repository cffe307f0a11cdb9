/** Points are kept to two decimals, so sums of halves and thirds print as a TA would write them. */
export function roundPoints(points: number): number {
  return Math.round(points * 100) / 100;
}
