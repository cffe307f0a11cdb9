/**
 * `classroom/<stem>.b64`: a submission's result for GitHub Classroom, as its grader actions give it
 * to `classroom-resources/autograding-grading-reporter`: base64 of
 * `{ version: 1, status, max_score, tests: [...] }` with one test per rubric part, whose `score`
 * is the part's points. The reporter adds up the tests' scores into the run's `Points X/Y`, so that
 * line shows the same total as every other report. (Its console table instead scores a grader as
 * passed tests / all tests × max_score, which ignores partial credit; only the Points line counts.)
 * No submission (none of the assignment's files) fails, every test saying "no submission" and why;
 * a submission the harness could not grade is an error.
 *
 * The reporter prints each test's name and message at the start of a log line, so both are kept
 * on one line: student text inside them can never start a line of its own, where the runner would
 * read it as a workflow command.
 */
import type { ClassResult, PartResult, SubmissionResult } from '../result.js';
import { formatPoints } from './format-points.js';
import { submissionStems } from './page-names.js';
import { earnedAutomaticPoints, findingLines, partFindings, pendingPoints, pointsOf } from './part-feedback.js';
import type { ReportFile } from './report-file.js';
import type { ReportOptions } from './report-formats.js';

export const CLASSROOM_FOLDER = 'classroom';

export interface ClassroomTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  score: number;
  message: string;
  test_code: string;
  filename: string;
  line_no: number;
  duration: number;
}

export interface ClassroomResult {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: ClassroomTest[];
}

export function classroomResultPath(stem: string): string {
  return `${CLASSROOM_FOLDER}/${stem}.b64`;
}

/** Text on one line: line breaks and other control characters become spaces. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').trim();
}

function partMessage(part: PartResult): string {
  const pending = pendingPoints(part);
  const waiting = pending > 0 ? ` ${formatPoints(pending)} point(s) wait for a TA's score.` : '';
  if (earnedAutomaticPoints(part)) {
    const checked = part.checks.length > 0 ? ' every check passed.' : part.status === 'pending' ? '' : ' passed.';
    return oneLine(`${pointsOf(part.points, part.max)}:${checked}${waiting}`);
  }
  const findings = partFindings(part).map((finding) => findingLines(finding).join(' '));
  return oneLine(`${pointsOf(part.points, part.max)}: ${findings.join(' | ')}${waiting}`);
}

/** A test's message when the submission was not graded. */
function notGraded(submission: SubmissionResult): string {
  if (submission.status === 'no-submission') return `no submission: ${submission.error ?? 'no file of the assignment found'}`;
  return `not graded: ${submission.error ?? 'this part did not run'}`;
}

function partStatus(part: PartResult): ClassroomTest['status'] {
  if (earnedAutomaticPoints(part)) return 'pass';
  // A part that could not run, or that the grader failed to judge, is an error rather than the student's failure.
  return part.status === 'crashed' || part.status === 'timeout' || part.status === 'grader-error' ? 'error' : 'fail';
}

export function classroomResult(result: ClassResult, submission: SubmissionResult, options: ReportOptions = {}): ClassroomResult {
  const tests = result.rubric.parts.map((rubricPart): ClassroomTest => {
    const part = submission.parts.find((p) => p.id === rubricPart.id);
    return {
      name: oneLine(rubricPart.title),
      status: part ? partStatus(part) : submission.status === 'no-submission' ? 'fail' : 'error',
      score: part?.points ?? 0,
      message: part ? partMessage(part) : oneLine(notGraded(submission)),
      test_code: `grade --only ${rubricPart.id}`,
      filename: options.partFiles?.[rubricPart.id] ?? '',
      line_no: 0,
      duration: 0,
    };
  });
  // No submission is the student's to fix (fail); a submission the harness could not grade is an error.
  const status = submission.status === 'error' ? 'error' : submission.status === 'graded' && tests.every((t) => t.status === 'pass') ? 'pass' : 'fail';
  return { version: 1, status, max_score: result.rubric.max, tests };
}

export function encodeClassroomResult(value: ClassroomResult): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

export function renderClassroomReport(result: ClassResult, options: ReportOptions = {}): ReportFile[] {
  const stems = submissionStems(result.submissions.map((s) => s.id));
  return [...result.submissions]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((submission) => ({ name: classroomResultPath(stems.get(submission.id)!), content: `${encodeClassroomResult(classroomResult(result, submission, options))}\n` }));
}
