/**
 * fast-check options for the public tests: fewer runs than the grader makes, and the reason for a
 * failure printed right under the counterexample. Seed and path are printed by fc.assert itself.
 */
export function runs(numRuns = 30): { numRuns: number; includeErrorInReport: true } {
  return { numRuns, includeErrorInReport: true };
}
