/**
 * Grades one submission, a folder or a .zip (intake/submission-source.ts): reads its files and,
 * unless the result cache already holds the result for exactly these files, grades its parts
 * (grade-parts.ts, loaded on first need). One with none of the assignment's files is
 * `no-submission`, with nothing run. A result that depends on the machine's load or on a grader's
 * failure is not kept (result-cache.ts).
 */
import { openSubmission } from './intake/submission-source.js';
import { readSubmission, type Intake } from './intake.js';
import type { SubmissionResult } from './result.js';
import type { GradeOptions, SubmissionTimings } from './grade-options.js';
import { forgetCachedResult, isCacheable, readCachedResult, resultCacheKey, writeCachedResult } from './result-cache.js';
import { roundPoints } from './points.js';
import { submissionId } from './submission-ids.js';

export type { GradeOptions, SubmissionTimings } from './grade-options.js';

export interface GradedSubmission {
  result: SubmissionResult;
  timings: SubmissionTimings;
  /** Taken from the result cache: nothing ran. */
  cached: boolean;
}

export async function gradeSubmission(folder: string, options: GradeOptions): Promise<GradedSubmission> {
  const id = submissionId(folder);
  const timings: SubmissionTimings = { intakeMs: 0, bundleMs: 0, childStartMs: 0, partsMs: {}, childCpuMs: {} };
  const parts = options.rubric.parts.filter((p) => options.only.length === 0 || options.only.includes(p.id));
  const max = parts.reduce((sum, p) => sum + p.max, 0);
  const started = performance.now();
  const source = await openSubmission(folder, options.assignment, options.rubric.limits);
  if (source.kind !== 'folder') {
    const [status, error] = source.kind === 'refused' ? (['error', source.error] as const) : (['no-submission', source.reason] as const);
    timings.intakeMs = performance.now() - started;
    return { result: { id, total: 0, max, status, error, intake: [], isolation: [], output: '', parts: [] }, timings, cached: false };
  }
  let read;
  try {
    read = readSubmission(source.folder, options.assignment, options.rubric.limits.fileKiB * 1024);
  } finally {
    source.release();
  }
  const intake: Intake = { ...read, problems: [...read.problems, ...source.problems], id };
  timings.intakeMs = performance.now() - started;
  const cacheKey = options.cacheDir === undefined ? undefined : resultCacheKey(intake, options);
  const cached = cacheKey === undefined || options.force ? null : readCachedResult(options.cacheDir!, cacheKey);
  if (cached) return { result: cached, timings, cached: true };

  const { gradeParts } = await import('./grade-parts.js');
  const graded = await gradeParts(
    options.strykerActiveMutant === undefined ? intake : withActiveMutant(intake, options.strykerActiveMutant),
    parts,
    options,
    timings,
  );
  const result: SubmissionResult = {
    id,
    total: roundPoints(graded.parts.reduce((sum, p) => sum + p.points, 0)),
    max,
    status: 'graded',
    intake: intake.problems,
    isolation: graded.isolation,
    output: graded.output,
    parts: graded.parts,
  };
  if (cacheKey !== undefined) {
    // A result the machine's load decided (a time limit, the budget) or a grader's failure is graded again next time.
    if (!graded.dependsOnLoad && isCacheable(result)) await writeCachedResult(options.cacheDir!, cacheKey, result);
    else forgetCachedResult(options.cacheDir!, cacheKey);
  }
  return { result, timings, cached: false };
}

/** The intake with a first line in every student module that makes `mutant` Stryker's active mutant. */
function withActiveMutant(intake: Intake, mutant: string): Intake {
  const banner = `globalThis.__stryker__ = Object.assign(globalThis.__stryker__ ?? {}, { activeMutant: ${JSON.stringify(mutant)} });\n`;
  const files = new Map([...intake.files].map(([path, text]) => [path, /^src\/.*\.ts$/.test(path) ? banner + text : text]));
  return { ...intake, files };
}
