/**
 * `junit.xml`: the class in the JUnit XML format every CI system reads: a `<testsuite>` per
 * submission and a `<testcase>` per check (per part when the part could not run), with a
 * `<failure>` for a wrong answer, an `<error>` for a crash or a timeout and a `<skipped>` for
 * points that wait for a TA. The suite's properties carry the total and the maximum.
 *
 * Student text (ids, messages, the captured output) is escaped for XML, and characters XML 1.0
 * cannot hold at all (most control characters, lone surrogates) become U+FFFD, so the file always
 * parses. No times or dates: the same ClassResult gives the same bytes.
 */
import type { CheckResult, ClassResult, PartResult, SubmissionResult } from '../result.js';
import { sortedSubmissions } from './class-summary.js';
import { formatPoints } from './format-points.js';
import { PART_STATUS_LABEL, checkFinding, findingLines, pendingPoints } from './part-feedback.js';
import type { ReportFile } from './report-file.js';
import type { ReportOptions } from './report-formats.js';

export const JUNIT_REPORT_NAME = 'junit.xml';

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

function checkOutcome(part: PartResult, check: CheckResult): Outcome {
  if (check.passed) return { kind: 'passed' };
  const kind = part.status === 'crashed' || part.status === 'timeout' ? 'error' : 'failure';
  return { kind, message: check.message, type: check.diagnosis ?? part.status, text: findingLines(checkFinding(check)).join('\n') };
}

function partCases(submission: SubmissionResult, part: PartResult, file: string | undefined): TestCase[] {
  const classname = `${submission.id}.${part.id}`;
  const base = { classname, ...(file ? { file } : {}) };
  const cases: TestCase[] = [];
  if (part.checks.length === 0) {
    const message = part.reason ?? PART_STATUS_LABEL[part.status];
    const kind = part.status === 'crashed' || part.status === 'timeout' ? 'error' : part.status === 'passed' ? 'passed' : 'failure';
    cases.push({ ...base, name: part.title, outcome: kind === 'passed' ? { kind } : { kind, message, type: part.status, text: message } });
  } else {
    for (const check of part.checks) cases.push({ ...base, name: `${part.title}: ${check.name}`, outcome: checkOutcome(part, check) });
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
  return result.rubric.parts.flatMap((rubricPart) => {
    const part = submission.parts.find((p) => p.id === rubricPart.id);
    return part ? partCases(submission, part, options.partFiles?.[part.id]) : [];
  });
}

function testCaseXml(test: TestCase): string {
  const attributes = `name="${xmlAttribute(test.name)}" classname="${xmlAttribute(test.classname)}"${test.file ? ` file="${xmlAttribute(test.file)}"` : ''}`;
  const o = test.outcome;
  if (o.kind === 'passed') return `    <testcase ${attributes}/>`;
  if (o.kind === 'skipped') return `    <testcase ${attributes}>\n      <skipped message="${xmlAttribute(o.message)}"/>\n    </testcase>`;
  return `    <testcase ${attributes}>\n      <${o.kind} message="${xmlAttribute(o.message)}" type="${xmlAttribute(o.type)}">${xmlText(o.text)}</${o.kind}>\n    </testcase>`;
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

export function renderJunitReport(result: ClassResult, options: ReportOptions = {}): ReportFile[] {
  const suites = sortedSubmissions(result).map((submission) => ({ submission, cases: submissionCases(result, submission, options) }));
  const total = count(suites.flatMap((s) => s.cases));
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xmlAttribute(result.rubric.name)}" ${countAttributes(total)}>`];
  for (const { submission, cases } of suites) {
    lines.push(`  <testsuite name="${xmlAttribute(submission.id)}" ${countAttributes(count(cases))}>`);
    lines.push('    <properties>');
    const properties: [string, string][] = [
      ['total', formatPoints(submission.total)],
      ['max', formatPoints(submission.max)],
      ['status', submission.status],
      ['seed', String(result.seed)],
      ['rubric', result.rubric.version],
    ];
    for (const [name, value] of properties) lines.push(`      <property name="${name}" value="${xmlAttribute(value)}"/>`);
    lines.push('    </properties>');
    lines.push(...cases.map(testCaseXml));
    if (submission.output !== '') lines.push(`    <system-out>${xmlText(submission.output)}</system-out>`);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return [{ name: JUNIT_REPORT_NAME, content: `${lines.join('\n')}\n` }];
}
