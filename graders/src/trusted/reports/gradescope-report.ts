/**
 * `gradescope/<stem>/results.json`: one file per submission in the format Gradescope's autograder
 * reads from `/autograder/results/results.json` (see docs/integrations.md, "Gradescope"): a test per
 * rubric part with its score, maximum, status and the findings as plain text, and the submission's
 * total as `score`. Nothing in it is rendered as HTML or Markdown (every `*_format` is "text"), so
 * a student's text shows as written. Deterministic: no execution time, no dates. An upload without
 * the assignment's files scores 0 and says so ("No submission"), with what was expected.
 *
 * Each text is bounded (GRADESCOPE_BOUNDS), and each submission's file is written on its own: one
 * whose result cannot be written gets a file that says so, with its score.
 */
import { cutText } from '../cut-text.js';
import type { ClassResult, PartResult, SubmissionResult } from '../result.js';
import { graderErrorParts } from './class-summary.js';
import { formatPoints } from './format-points.js';
import { submissionStems } from './page-names.js';
import { PART_STATUS_LABEL, earnedAutomaticPoints, findingLines, partFindings, pendingPoints, pointsOf } from './part-feedback.js';
import type { ReportFile } from './report-file.js';

export const GRADESCOPE_FOLDER = 'gradescope';

/** The bounds of a results.json (docs/security.md, "Bounds"), in characters (at most 6 bytes each in JSON). */
export const GRADESCOPE_BOUNDS = {
  /** Characters of each test's (part's) output. */
  testOutputChars: 4 * 1024,
  /** Characters of the submission's output, what its code printed included. */
  outputChars: 80 * 1024,
} as const;

export interface GradescopeTest {
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  name: string;
  name_format: 'text';
  number: string;
  output: string;
  output_format: 'text';
  tags: string[];
  visibility: 'visible';
  extra_data: { part: string; status: string };
}

export interface GradescopeResults {
  score: number;
  output: string;
  output_format: 'text';
  test_output_format: 'text';
  test_name_format: 'text';
  visibility: 'visible';
  stdout_visibility: 'hidden';
  extra_data: { id: string; status: string; seed: number; rubric: string };
  tests: GradescopeTest[];
}

/** The path of a submission's results.json inside the output folder. */
export function gradescopeResultsPath(stem: string): string {
  return `${GRADESCOPE_FOLDER}/${stem}/results.json`;
}

const NO_SUBMISSION_NOTE = "Upload the assignment's files (the folders of your copy of the skeleton, or a .zip of them) to be graded.";

/** A part's text when the submission was not graded. */
function notGraded(submission: SubmissionResult): string {
  if (submission.status === 'no-submission') return `Not graded: no submission (${submission.error ?? 'no file of the assignment found'}).`;
  return `Not graded: ${submission.error ?? 'this part did not run'}`;
}

const GRADER_ERROR_NOTE = 'That is a bug in the grader, not a judgement of your code: such a part shows 0 points for now, and your TA will check it.';

function partOutput(part: PartResult): string {
  const lines: string[] = [];
  if (earnedAutomaticPoints(part)) {
    // A part a TA scores alone has nothing to say until the TA has (the line below says it waits).
    if (part.checks.length > 0) lines.push(`Every check passed (${part.checks.map((c) => c.name).join('; ')}).`);
    else if (part.status !== 'pending') lines.push('Passed.');
  } else {
    lines.push(`${PART_STATUS_LABEL[part.status]}.`);
    if (part.status === 'grader-error') lines.push(GRADER_ERROR_NOTE);
    for (const finding of partFindings(part)) lines.push('', ...findingLines(finding));
  }
  const pending = pendingPoints(part);
  if (pending > 0) lines.push(...(lines.length > 0 ? [''] : []), `${formatPoints(pending)} point(s) of this part are scored by a TA (${part.review?.file ?? 'your written answer'}).`);
  if (part.manual) lines.push('', `TA: ${formatPoints(part.manual.points)} point(s)${part.manual.comment ? `, "${part.manual.comment}"` : ''}.`);
  return lines.join('\n');
}

function submissionOutput(result: ClassResult, submission: SubmissionResult): string {
  const lines = [`${result.rubric.name} (rubric version ${result.rubric.version}, seed ${result.seed})`];
  if (submission.status === 'error') {
    lines.push('', `Your submission could not be graded: ${submission.error ?? 'the grader failed'}`, 'Ask your TA; nothing here is a judgement of your code.');
  } else if (submission.status === 'no-submission') {
    lines.push('', `No submission, 0 points: ${submission.error ?? 'no file of the assignment found'}.`, NO_SUBMISSION_NOTE);
  } else {
    lines.push(`Automatic score: ${pointsOf(submission.total, submission.max)}.`);
    const failed = graderErrorParts(submission);
    if (failed.length > 0) lines.push(`The grader failed while judging ${failed.join(', ')}. ${GRADER_ERROR_NOTE}`);
  }
  for (const problem of submission.intake) lines.push(`${problem.file} was not read: ${problem.problem}`);
  if (submission.output.trim() !== '') lines.push('', 'What your code printed while it was graded:', submission.output);
  return lines.join('\n');
}

export function gradescopeResults(result: ClassResult, submission: SubmissionResult): GradescopeResults {
  const tests = result.rubric.parts.map((rubricPart, index): GradescopeTest => {
    const part = submission.parts.find((p) => p.id === rubricPart.id);
    const passed = part !== undefined && earnedAutomaticPoints(part);
    return {
      score: part?.points ?? 0,
      max_score: rubricPart.max,
      status: passed ? 'passed' : 'failed',
      name: rubricPart.title,
      name_format: 'text',
      number: String(index + 1),
      output: cutText(part ? partOutput(part) : notGraded(submission), GRADESCOPE_BOUNDS.testOutputChars),
      output_format: 'text',
      tags: [/^Q\d+/.exec(rubricPart.id)?.[0] ?? rubricPart.id],
      visibility: 'visible',
      extra_data: { part: rubricPart.id, status: part?.status ?? (submission.status === 'no-submission' ? 'no-submission' : 'not-graded') },
    };
  });
  return {
    score: submission.status === 'graded' ? submission.total : 0,
    output: cutText(submissionOutput(result, submission), GRADESCOPE_BOUNDS.outputChars),
    output_format: 'text',
    test_output_format: 'text',
    test_name_format: 'text',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    extra_data: { id: submission.id, status: submission.status, seed: result.seed, rubric: result.rubric.version },
    tests,
  };
}

/** The results of a submission whose result cannot be written as tests: its score and why. */
function unwrittenResults(result: ClassResult, submission: SubmissionResult, error: unknown): GradescopeResults {
  const reason = cutText(error instanceof Error ? error.message : String(error), 2000);
  return {
    score: submission.status !== 'graded' || !Number.isFinite(submission.total) ? 0 : submission.total,
    output: `Your results could not be written here (${reason}). Ask your TA; nothing here is a judgement of your code.`,
    output_format: 'text',
    test_output_format: 'text',
    test_name_format: 'text',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    extra_data: { id: String(submission.id), status: String(submission.status), seed: result.seed, rubric: result.rubric.version },
    tests: [],
  };
}

function resultsOrWhyNot(result: ClassResult, submission: SubmissionResult): GradescopeResults {
  try {
    return gradescopeResults(result, submission);
  } catch (error) {
    return unwrittenResults(result, submission, error);
  }
}

export function renderGradescopeReport(result: ClassResult): ReportFile[] {
  const stems = submissionStems(result.submissions.map((s) => s.id));
  return [...result.submissions]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((submission) => ({ name: gradescopeResultsPath(stems.get(submission.id)!), content: `${JSON.stringify(resultsOrWhyNot(result, submission), null, 2)}\n` }));
}
