/**
 * `junit.xml`: the class in the JUnit XML format every CI system reads: a `<testsuite>` per
 * submission and a `<testcase>` per check (per part when the part could not run), with a
 * `<failure>` for a wrong answer, an `<error>` for a crash, a timeout or a part the grader failed
 * to judge, a `<skipped>` for points that wait for a TA, and a `<failure>` of type `no-answer` for a
 * text a TA would score that is no answer (the template unchanged). A folder without the assignment's files
 * is one `<failure>` of type `no-submission`. The suite's properties carry the total, the maximum
 * and the status.
 *
 * Student text (ids, messages, the captured output) is escaped for XML, and characters XML 1.0
 * cannot hold at all (most control characters, lone surrogates) become U+FFFD, so the file always
 * parses. No times or dates: the same ClassResult gives the same bytes.
 *
 * Each submission's suite is bounded (JUNIT_BOUNDS) and written on its own: one whose result
 * cannot be written becomes a suite with one error saying why, and the others are written.
 */
import { cutText } from '../cut-text.js';
import type { CheckResult, ClassResult, PartResult, SubmissionResult } from '../result.js';
import { sortedSubmissions } from './class-summary.js';
import { formatPoints } from './format-points.js';
import { PART_STATUS_LABEL, checkFinding, findingLines, pendingPoints } from './part-feedback.js';
import { noAnswerNote } from '../manual-answer.js';
import type { ReportFile } from './report-file.js';
import type { ReportOptions } from './report-formats.js';

export const JUNIT_REPORT_NAME = 'junit.xml';

/** The bounds of junit.xml (docs/security.md, "Bounds"), in characters before escaping (at most 6 bytes each after). */
export const JUNIT_BOUNDS = {
  /** Characters of a failure's or an error's message attribute (its text holds the whole finding). */
  messageChars: 1000,
  /** Characters of a failure's or an error's text. */
  textChars: 4000,
  /** Characters of the messages, texts and output of one submission's suite; the output gets what the test cases leave. */
  suiteChars: 128 * 1024,
} as const;

/** Text cut to at most `max` characters, taken from what is `left` of a suite's characters. */
class SuiteText {
  private left: number = JUNIT_BOUNDS.suiteChars;

  take(text: string, max: number): string {
    const room = Math.min(max, this.left);
    const kept = text.length <= room ? text : room < 40 ? (text === '' ? '' : '…') : cutText(text, room);
    this.left -= kept.length;
    return kept;
  }
}

const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes; line breaks and tabs as references, which parsers keep. */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

type Outcome = { kind: 'passed' } | { kind: 'failure' | 'error'; message: string; type: string; text: string } | { kind: 'skipped'; message: string };

interface TestCase {
  name: string;
  classname: string;
  file?: string;
  outcome: Outcome;
}

/** Whether a part that lost points is an error (it could not run, or the grader failed to judge it) rather than a failure. */
function isError(part: PartResult): boolean {
  return part.status === 'crashed' || part.status === 'timeout' || part.status === 'grader-error';
}

function checkOutcome(part: PartResult, check: CheckResult): Outcome {
  if (check.passed) return { kind: 'passed' };
  const kind = isError(part) ? 'error' : 'failure';
  return { kind, message: check.message, type: check.diagnosis ?? part.status, text: findingLines(checkFinding(check)).join('\n') };
}

function partCases(submission: SubmissionResult, part: PartResult, file: string | undefined): TestCase[] {
  const classname = `${submission.id}.${part.id}`;
  const base = { classname, ...(file ? { file } : {}) };
  const cases: TestCase[] = [];
  const unanswered = noAnswerNote(part);
  if (part.checks.length === 0) {
    // A part scored by a TA alone that waits for the TA is its TA review case below, nothing else.
    const message = part.reason ?? unanswered ?? PART_STATUS_LABEL[part.status];
    const kind = isError(part) ? 'error' : part.status === 'passed' ? 'passed' : 'failure';
    const outcome: Outcome = kind === 'passed' ? { kind } : { kind, message, type: part.status, text: message };
    if (part.status !== 'pending') cases.push({ ...base, name: part.title, outcome });
  } else {
    for (const check of part.checks) cases.push({ ...base, name: `${part.title}: ${check.name}`, outcome: checkOutcome(part, check) });
    const noAnswer: Outcome | null = unanswered === null ? null : { kind: 'failure', message: unanswered, type: 'no-answer', text: unanswered };
    if (noAnswer !== null) cases.push({ ...base, name: `${part.title}: TA review`, outcome: noAnswer });
  }
  const pending = pendingPoints(part);
  if (pending > 0) cases.push({ ...base, name: `${part.title}: TA review`, outcome: { kind: 'skipped', message: `${formatPoints(pending)} point(s) wait for a TA's score` } });
  return cases;
}

function submissionCases(result: ClassResult, submission: SubmissionResult, options: ReportOptions): TestCase[] {
  if (submission.status === 'error') {
    const message = submission.error ?? 'the harness could not grade this submission';
    return [{ name: 'grading', classname: submission.id, outcome: { kind: 'error', message, type: 'not-graded', text: message } }];
  }
  if (submission.status === 'no-submission') {
    // The student's to fix, not the harness's: a failure, of a type of its own.
    const message = `no submission: ${submission.error ?? 'no file of the assignment found'}`;
    return [{ name: 'submission', classname: submission.id, outcome: { kind: 'failure', message, type: 'no-submission', text: message } }];
  }
  return result.rubric.parts.flatMap((rubricPart) => {
    const part = submission.parts.find((p) => p.id === rubricPart.id);
    return part ? partCases(submission, part, options.partFiles?.[part.id]) : [];
  });
}

function testCaseXml(test: TestCase, budget: SuiteText): string {
  const attributes = `name="${xmlAttribute(test.name)}" classname="${xmlAttribute(test.classname)}"${test.file ? ` file="${xmlAttribute(test.file)}"` : ''}`;
  const o = test.outcome;
  if (o.kind === 'passed') return `    <testcase ${attributes}/>`;
  if (o.kind === 'skipped') return `    <testcase ${attributes}>\n      <skipped message="${xmlAttribute(o.message)}"/>\n    </testcase>`;
  const message = budget.take(o.message, JUNIT_BOUNDS.messageChars);
  const text = budget.take(o.text, JUNIT_BOUNDS.textChars);
  return `    <testcase ${attributes}>\n      <${o.kind} message="${xmlAttribute(message)}" type="${xmlAttribute(o.type)}">${xmlText(text)}</${o.kind}>\n    </testcase>`;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function count(cases: TestCase[]): Counts {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome.kind === 'failure').length,
    errors: cases.filter((c) => c.outcome.kind === 'error').length,
    skipped: cases.filter((c) => c.outcome.kind === 'skipped').length,
  };
}

const countAttributes = (c: Counts) => `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;

/** The suite of one submission: its test cases and lines; one error case saying why when they cannot be made. */
function submissionSuite(result: ClassResult, submission: SubmissionResult, options: ReportOptions): { cases: TestCase[]; lines: string[] } {
  try {
    const cases = submissionCases(result, submission, options);
    return { cases, lines: suiteLines(result, submission, cases) };
  } catch (error) {
    const message = `this submission's result could not be written here: ${cutText(error instanceof Error ? error.message : String(error), JUNIT_BOUNDS.messageChars)}`;
    const cases: TestCase[] = [{ name: 'report', classname: String(submission.id), outcome: { kind: 'error', message, type: 'report-error', text: message } }];
    return { cases, lines: suiteLines(result, { ...submission, output: '' }, cases) };
  }
}

function suiteLines(result: ClassResult, submission: SubmissionResult, cases: TestCase[]): string[] {
  const budget = new SuiteText();
  const lines = [`  <testsuite name="${xmlAttribute(submission.id)}" ${countAttributes(count(cases))}>`, '    <properties>'];
  const properties: [string, string][] = [
    ['total', formatPoints(submission.total)],
    ['max', formatPoints(submission.max)],
    ['status', submission.status],
    ['seed', String(result.seed)],
    ['rubric', result.rubric.version],
  ];
  for (const [name, value] of properties) lines.push(`      <property name="${name}" value="${xmlAttribute(value)}"/>`);
  lines.push('    </properties>');
  lines.push(...cases.map((test) => testCaseXml(test, budget)));
  const output = budget.take(submission.output, Number.POSITIVE_INFINITY);
  if (output !== '') lines.push(`    <system-out>${xmlText(output)}</system-out>`);
  lines.push('  </testsuite>');
  return lines;
}

export function renderJunitReport(result: ClassResult, options: ReportOptions = {}): ReportFile[] {
  const suites = sortedSubmissions(result).map((submission) => submissionSuite(result, submission, options));
  const total = count(suites.flatMap((s) => s.cases));
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xmlAttribute(result.rubric.name)}" ${countAttributes(total)}>`];
  for (const suite of suites) lines.push(...suite.lines);
  lines.push('</testsuites>');
  return [{ name: JUNIT_REPORT_NAME, content: `${lines.join('\n')}\n` }];
}
