/**
 * Grades many submissions, `jobs` at a time (each in its own child process), and assembles the
 * class result in a stable order (by id), so the output does not depend on which finished first.
 * A submission that the harness cannot grade gets status "error" with the reason; the others go on.
 */
import type { ClassResult, SubmissionResult } from './result.js';
import type { GradeOptions, SubmissionTimings } from './grade-options.js';
import { gradeSubmission } from './grade-submission.js';
import { repeatedIds, submissionId } from './submission-ids.js';
import { applyManualGrades, type ManualGrades } from './manual-grades.js';
import { rubricMax } from './rubric.js';

export interface ClassGradeOptions extends GradeOptions {
  jobs: number;
  /** TA scores for manual items, merged into every result. */
  manual: ManualGrades;
  /** Where each submission is: started (with the id its folder gives), on a part, graded. `index` is its folder's place in the list. */
  progress?: ClassProgress;
}

export interface ClassProgress {
  started?: (index: number, id: string) => void;
  /** `partId` null: every part is judged, and the submission's child is being stopped. */
  partStarted?: (index: number, partId: string | null) => void;
  graded?: (index: number, result: SubmissionResult, done: number, total: number) => void;
}

export interface GradedClass {
  result: ClassResult;
  timings: Record<string, SubmissionTimings & { totalMs: number; cached: boolean }>;
}

export async function gradeClass(folders: string[], options: ClassGradeOptions): Promise<GradedClass> {
  const repeated = repeatedIds(folders);
  if (repeated.length > 0)
    throw new Error(`two submission folders have the same name "${repeated[0].id}": ${repeated[0].folders.join(' and ')}`);
  const submissions: SubmissionResult[] = new Array(folders.length);
  const timings: GradedClass['timings'] = {};
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < folders.length) {
      const index = next++;
      const started = performance.now();
      try {
        options.progress?.started?.(index, submissionId(folders[index]));
        const partStarted = options.progress?.partStarted;
        const graded = await gradeSubmission(
          folders[index],
          partStarted ? { ...options, onPartStarted: (part) => partStarted(index, part) } : options,
        );
        submissions[index] = applyManualGrades(graded.result, options.manual, options.rubric);
        timings[graded.result.id] = { ...graded.timings, totalMs: performance.now() - started, cached: graded.cached };
      } catch (error) {
        const id = submissionId(folders[index]);
        submissions[index] = {
          id,
          total: 0,
          max: rubricMax(options.rubric),
          status: 'error',
          error: `the grader failed on this submission: ${(error as Error).message}`,
          intake: [],
          isolation: [],
          output: '',
          parts: [],
        };
      }
      done++;
      options.progress?.graded?.(index, submissions[index], done, folders.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, folders.length)) }, worker));
  const parts = options.rubric.parts.filter((p) => options.only.length === 0 || options.only.includes(p.id));
  return {
    result: {
      seed: options.seed,
      rubric: {
        name: options.rubric.name,
        version: options.rubric.version,
        max: parts.reduce((sum, p) => sum + p.max, 0),
        parts: parts.map((p) => ({ id: p.id, title: p.title, max: p.max })),
      },
      submissions: submissions.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    },
    timings,
  };
}
