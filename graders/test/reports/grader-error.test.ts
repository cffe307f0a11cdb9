/**
 * A part the grader failed to judge (`grader-error`) shows as such in every output: flagged for the
 * TA on the class page and in the summaries, explained on the student's page, an error (not a
 * failure) in JUnit and GitHub Classroom, and 0 points everywhere until a TA looks.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonSummary } from '../../src/cli/json-summary.js';
import { graderErrorNote } from '../../src/trusted/reports/class-summary.js';
import { REPORT_FORMATS, partFilesOf, submissionStems, writeReports } from '../../src/trusted/reports/index.js';
import type { ClassResult, SubmissionResult } from '../../src/trusted/result.js';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { loadRubric } from '../../src/trusted/load-rubric.js';
import { decodeClassroomResult, gradescopeResultsSchema } from '../integrations/format-schemas.js';
import { classResultFixture } from './class-result-fixture.js';

const FAILURE = "TypeError: Cannot read properties of undefined (reading 'id')";
const REASON = `the grader failed while judging this part: ${FAILURE}`;

/** The fixture and "cy": full marks but for Q1(b) Add, which the grader failed to judge. */
function withGraderError(): ClassResult {
  const result = classResultFixture();
  const cy = structuredClone(result.submissions.find((s) => s.id === 'ada')!) as SubmissionResult;
  cy.id = 'cy';
  const add = cy.parts.find((p) => p.id === 'Q1b.Add')!;
  add.points = 0;
  add.status = 'grader-error';
  add.reason = REASON;
  add.checks = add.checks.map((check) => ({ ...check, passed: false, points: 0, message: `the grader failed while judging this check: ${FAILURE}` }));
  cy.total = 19;
  result.submissions.push(cy);
  return result;
}

let outDir: string;
beforeEach(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'grader-error-reports-'));
  await writeReports(outDir, withGraderError(), REPORT_FORMATS, { partFiles: partFilesOf(loadRubric(assignment)) });
});
afterEach(async () => {
  await rm(outDir, { recursive: true, force: true });
});
const read = (name: string) => readFile(join(outDir, name), 'utf8');

describe('a part the grader failed to judge', () => {
  it('is flagged on the class page: the count, the row and the part cell', async () => {
    const index = await read('index.html');
    expect(index).toContain('<dt>Grader errors (TA to check)</dt><dd>1</dd>');
    const row = index.slice(index.indexOf('<a href="cy.html">cy</a>'));
    const rowEnd = row.indexOf('</tr>');
    expect(row.slice(0, rowEnd)).toContain('<span class="badge badge--grader-error">grader error</span>');
    expect(row.slice(0, rowEnd)).toContain('cell cell--grader-error" data-sort-value="0">0<span class="cell-note">grader error</span>');
    // The others are not flagged.
    expect(index.match(/class="badge badge--grader-error"/g)).toHaveLength(1);
  });

  it("is explained on the student's page, with the reason, as the grader's failure", async () => {
    const page = await read('cy.html');
    expect(page).toContain('The grader failed on part of this submission');
    expect(page).toContain('<li>Q1(b) Add.backwardRule</li>');
    expect(page).toContain('<span class="badge badge--grader-error"><span aria-hidden="true">⚠ </span>grader error</span>');
    expect(page).toContain(REASON.replace(/'/g, '&#x27;'));
    expect(await read('ada.html')).not.toContain('The grader failed');
  });

  it('says grader-error in grades.csv and results.json, with 0 points for the part', async () => {
    const csv = (await read('grades.csv')).split('\r\n');
    const header = csv[0].split(',');
    const cy = csv.find((line) => line.startsWith('cy,'))!.split(',');
    expect(cy[header.indexOf('Q1b.Add')]).toBe('0');
    expect(cy[header.indexOf('total')]).toBe('19');
    expect(cy[header.indexOf('status')]).toBe('grader-error');
    const results = JSON.parse(await read('results.json')) as ClassResult;
    const add = results.submissions.find((s) => s.id === 'cy')!.parts.find((p) => p.id === 'Q1b.Add');
    expect(add).toMatchObject({ status: 'grader-error', points: 0, reason: REASON });
  });

  it('is an error in JUnit, not a failure', async () => {
    const xml = await read('junit.xml');
    expect(XMLValidator.validate(xml)).toBe(true);
    const lists = ['testsuite', 'testcase', 'error', 'failure'];
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, isArray: (name) => lists.includes(name) });
    type Case = { name: string; error?: { message: string; type: string }[]; failure?: unknown[] };
    const suites = parser.parse(xml).testsuites.testsuite as { name: string; errors: string; failures: string; testcase: Case[] }[];
    const cy = suites.find((suite) => suite.name === 'cy')!;
    const add = cy.testcase.find((c) => c.name.startsWith('Q1(b) Add.backwardRule'))!;
    expect(add.failure).toBeUndefined();
    expect(add.error![0]).toMatchObject({ type: 'grader-error', message: `the grader failed while judging this check: ${FAILURE}` });
    expect(cy).toMatchObject({ errors: '1', failures: '0' });
  });

  it('is marked in the Markdown summary: the table, its status and the finding', async () => {
    const summary = await read('summary.md');
    const row = summary.split('\n').find((line) => line.startsWith('| cy |'))!;
    expect(row).toContain('| 0 ⚠ |');
    expect(row).toMatch(/\| grader error: a TA will check it \|$/);
    expect(summary).toContain('⚠ a part the grader failed to judge (0 until a TA checks it)');
    expect(summary).toContain('- **Q1(b) Add.backwardRule** (0/1, grader error (a TA will check it))');
  });

  it("tells the student on Gradescope that it is the grader's failure, and is an error for GitHub Classroom", async () => {
    const stem = submissionStems(['cy']).get('cy')!;
    const gradescope = gradescopeResultsSchema.parse(JSON.parse(await read(`gradescope/${stem}/results.json`)));
    const add = (gradescope.tests ?? []).find((test) => test.name === 'Q1(b) Add.backwardRule')!;
    expect(add).toMatchObject({ score: 0, status: 'failed', extra_data: { status: 'grader-error' } });
    expect(add.output).toContain('That is a bug in the grader, not a judgement of your code');
    expect(gradescope.output).toContain('The grader failed while judging Q1b.Add.');
    const classroom = decodeClassroomResult(await read(`classroom/${stem}.b64`)) as { tests: { name: string; status: string }[] };
    expect(classroom.tests.find((test) => test.name === 'Q1(b) Add.backwardRule')!.status).toBe('error');
  });

  it("is named after the score in the terminal line and listed in grade --json's summary", () => {
    const result = withGraderError();
    const cy = result.submissions.find((s) => s.id === 'cy')!;
    expect(graderErrorNote(cy)).toBe(' (grader error in Q1b.Add)');
    expect(graderErrorNote(result.submissions.find((s) => s.id === 'ada')!)).toBe('');
    const input = { command: 'grade', version: '0', out: outDir, formats: ['json'], result, cached: new Set<string>(), reportsWritten: true, seconds: 1 } as const;
    const summary = jsonSummary(input) as { submissions: { id: string; graderErrors?: string[] }[] };
    expect(summary.submissions.find((s) => s.id === 'cy')!.graderErrors).toEqual(['Q1b.Add']);
    expect(summary.submissions.find((s) => s.id === 'ada')!.graderErrors).toBeUndefined();
  });
});
