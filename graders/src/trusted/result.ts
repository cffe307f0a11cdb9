/**
 * The result model: what grading one class produces. `results.json` is exactly a `ClassResult`;
 * every report (HTML, CSV, ...) is rendered from it and from nothing else.
 *
 * Only deterministic data lives here (no timings, no absolute paths), so the same submissions and
 * seed give the same results.json byte for byte. Timings go to a separate `timings.json`.
 */

/** How a submission's grading ended. `error` means the harness could not grade it at all. */
export type SubmissionStatus = 'graded' | 'error';

/**
 * How a part ended:
 * - `passed`: every check passed; `partial`: some did; `failed`: none did;
 * - `not-implemented`: the student's code still throws NotImplemented for this part;
 * - `crashed` / `timeout`: the isolated child died or ran out of time while running this part;
 * - `missing`: a file this part needs is not in the submission;
 * - `pending`: a manual item still waiting for a TA's score;
 * - `grader-error`: the grader itself failed while judging this part (a bug in the grader, not in
 *   the submission): no points given or taken (0 until a TA looks), flagged for a TA, `reason` says what failed.
 */
export type PartStatus = 'passed' | 'partial' | 'failed' | 'not-implemented' | 'crashed' | 'timeout' | 'missing' | 'pending' | 'grader-error';

export interface CheckResult {
  /** Short, stable name, e.g. "gradient, random upstream". */
  name: string;
  passed: boolean;
  /** Points this check earned (0 when failed) and could earn. */
  points: number;
  max: number;
  /** One or two sentences: what was checked and, on failure, what went wrong. */
  message: string;
  /** A sentence naming the likely mistake and how to fix it, when the failure is recognised. */
  hint?: string;
  /** The recognised mistake's stable id, e.g. "add-broadcast-not-summed". */
  diagnosis?: string;
  /** The smallest failing case, as plain data (op, shapes, inputs, expected vs. got). */
  counterexample?: Counterexample;
  /** How to replay the failing property locally with fast-check. */
  replay?: { seed: number; path: string };
  /** For an exact-answer matrix: the submitted one with wrong entries marked, and the expected one when released. */
  matrix?: MatrixComparison;
}

export interface Counterexample {
  /** What was run, e.g. "Add(a, b)" or "mse(prediction, target)". */
  expression: string;
  /** The input shapes, by name. */
  shapes: Record<string, number[]>;
  /** Everything needed to reproduce it: inputs and upstream gradient as nested lists. */
  inputs: Record<string, unknown>;
  /** Where the first difference is, e.g. "dL/db[1]". */
  where?: string;
  expected?: unknown;
  got?: unknown;
}

export interface MatrixComparison {
  /**
   * The right answer, only when a TA released the answers (`grade --release-answers`, after the
   * deadline). Absent by default, so that no output a student sees holds it: `wrong` marks the
   * entries that differ, without saying what they should be.
   */
  expected?: number[][];
  /** What the student submitted (null entries where the value is missing or not a number). */
  got: (number | null)[][] | null;
  /** wrong[i][j] is true where got differs from expected. */
  wrong: boolean[][] | null;
}

export interface PartResult {
  /** Part id from the rubric, as the assignment defines it. */
  id: string;
  /** Human title, from the assignment's registry. */
  title: string;
  points: number;
  max: number;
  status: PartStatus;
  /** For a part that could not run: why, in one sentence. */
  reason?: string;
  checks: CheckResult[];
  /** Manual review: the text a TA reads (a comment, a derivation), escaped when rendered. */
  review?: { file: string; text: string | null };
  /** TA-entered score for a manual item, merged from manual-grades.csv. */
  manual?: { points: number; comment: string };
  /**
   * What the part's assignment keeps beyond the checks, as plain JSON, for its own views (a
   * training run to plot, counts of calls to show the TA); the assignment reads it back with its
   * own type guard. Results written before this field existed kept the same data at the part's
   * top level (`training`, `usedPrimitives`); `grade merge` moves it here.
   */
  extension?: Record<string, unknown>;
}

export interface SubmissionResult {
  /** The submission folder's name. */
  id: string;
  total: number;
  max: number;
  status: SubmissionStatus;
  /** Why the submission could not be graded (status "error"). */
  error?: string;
  /** Problems found while reading the submission's files, one per file. */
  intake: { file: string; problem: string }[];
  /** Sandbox layers used for this run, e.g. ["permission-model", "process-group-kill"]. */
  isolation: string[];
  /** What the child wrote on stdout/stderr, truncated; never interpreted. */
  output: string;
  parts: PartResult[];
}

export interface ClassResult {
  /** The fast-check seed every property used. */
  seed: number;
  /** Rubric name and version, and the per-part maxima. */
  rubric: { name: string; version: string; max: number; parts: { id: string; title: string; max: number }[] };
  submissions: SubmissionResult[];
}
