/**
 * The result model: what grading one class produces. `results.json` is exactly a `ClassResult`;
 * every report (HTML, CSV, ...) is rendered from it and from nothing else.
 *
 * Only deterministic data lives here (no timings, no absolute paths), so the same submissions and
 * seed give the same results.json byte for byte. Timings go to a separate `timings.json`.
 */

/**
 * How a submission's grading ended:
 * - `graded`: its parts were graded (each part says how it did);
 * - `no-submission`: the folder or zip holds none of the assignment's files (an empty folder, one
 *   with only notes): nothing to grade, worth 0, and `error` says what was expected;
 * - `error`: the harness could not grade it at all (a zip it refused to unpack, an internal
 *   failure), and `error` says why.
 */
export type SubmissionStatus = 'graded' | 'no-submission' | 'error';

/**
 * How a part ended:
 * - `passed`: every check passed; `partial`: some did; `failed`: none did;
 * - `not-implemented`: the student's code still throws NotImplemented for this part;
 * - `crashed` / `timeout`: the isolated child died or ran out of time while running this part;
 * - `missing`: a file this part needs is not in the submission;
 * - `pending`: a manual item still waiting for a TA's score;
 * - `no-answer`: a manual item with nothing to score (its file missing, empty, or the template as
 *   handed out): worth 0, not waiting for a TA (a TA's row in manual-grades.csv still counts);
 * - `grader-error`: the grader itself failed while judging this part (a bug in the grader, not in
 *   the submission): no points given or taken (0 until a TA looks), flagged for a TA, `reason` says what failed.
 */
export type PartStatus =
  'passed' | 'partial' | 'failed' | 'not-implemented' | 'crashed' | 'timeout' | 'missing' | 'pending' | 'no-answer' | 'grader-error';

/** Why a text for a TA is no answer: its file is not in the submission, holds only whitespace, or is the template unchanged. */
export type NoAnswer = 'missing' | 'empty' | 'template';

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
  /**
   * fast-check's replay options of the hidden property that failed. The property is the grader's, not in the
   * student's project, so only the grader replays it; the counterexample's `localReplay` is the student's way.
   */
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
  /**
   * True when this is not the shrunk case itself but a case of its structure with new values,
   * drawn because the smallest one could not tell the known mistakes apart (the hint was
   * confirmed on this case). The hidden check's `replay` still reproduces the smallest one.
   */
  redrawn?: boolean;
  /**
   * The same case written in the student's own code, to run on their machine (the hidden check
   * that found it is the grader's and is not in the student's project): `code`, a short snippet
   * that builds it with the public API, and `test`, a vitest test file to save as `file` (a path
   * in the student's project), which fails on this case and passes with a correct solution.
   */
  localReplay?: LocalReplay;
}

/** A failing case as the student can run it: a snippet and a test file of the assignment's own making. */
export interface LocalReplay {
  /** Where to save the test in the student's project, e.g. "test/replay.test.ts". */
  file: string;
  /** A short snippet that builds the case with the student's classes. */
  code: string;
  /** The whole test file: it imports the student's code and the public tests' helpers. */
  test: string;
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
  /**
   * Manual review: the text a TA reads (a comment, a derivation), escaped when rendered, and
   * `noAnswer` when it is none (see NoAnswer): then its manual points are 0 and it waits for no TA.
   * Results written before `noAnswer` existed lack it.
   */
  review?: { file: string; text: string | null; noAnswer?: NoAnswer };
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
  /** Why the submission could not be graded (status "error"), or what was expected and not found (status "no-submission"). */
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
