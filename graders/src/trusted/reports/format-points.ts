/**
 * Points as people write them: at most two decimals and no float noise (1.5, not 1.5000000001;
 * 2, not 2.00). Shared by the CSV and the HTML reports so both show the same numbers.
 */
export function formatPoints(points: number): string {
  if (!Number.isFinite(points)) return '';
  const rounded = Math.round(points * 100) / 100;
  return String(rounded === 0 ? 0 : rounded); // no "-0"
}
