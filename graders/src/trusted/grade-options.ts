/**
 * What grading a submission is given, and the timings it reports: types only, kept apart so that
 * the modules that grade, cache and report can share them without importing one another.
 */
import type { AssignmentDefinition } from './assignment.js';
import type { Rubric } from './rubric.js';

export interface GradeOptions {
  /** The assignment's registry of parts, which the rubric was checked against. */
  assignment: AssignmentDefinition;
  rubric: Rubric;
  seed: number;
  /** Part ids to grade; all when empty. */
  only: string[];
  /** Where results are kept by content (see result-cache.ts); none when undefined. */
  cacheDir?: string;
  /** Grade even when the cache holds a result (which is then replaced). */
  force?: boolean;
  /** Put the expected values of exact-answer parts in the results, for students to see (`--release-answers`). */
  releaseAnswers?: boolean;
  /**
   * Mutation testing only (graders/test/mutation, `npm run mutation`): the id of Stryker's active
   * mutant. The submission's files then hold Stryker's mutant-switching code, which reads the
   * active mutant from `globalThis.__stryker__`; the child has neither the test's globals nor its
   * environment, so each student module is given a first line that sets it there. The grade
   * command never sets this option.
   */
  strykerActiveMutant?: string;
  /**
   * Called as each part starts being graded, with its id, and with null once every part is judged
   * and the child is being stopped, so that the command line can say what a slow submission is
   * waiting on. Not part of the result, and not of the cache key.
   */
  onPartStarted?: (partId: string | null) => void;
}

export interface SubmissionTimings {
  intakeMs: number;
  bundleMs: number;
  childStartMs: number;
  partsMs: Record<string, number>;
  /**
   * CPU time of the children's process trees, read from /proc by the parent (never reported by a
   * child): to start and be ready, and in all. Empty where /proc is not there.
   */
  childCpuMs: { start?: number; total?: number };
  /** Runs sent to the children: in the first message, and one at a time later (almost all of them to shrink a failure). */
  childRuns?: { planned: number; later: number };
}
