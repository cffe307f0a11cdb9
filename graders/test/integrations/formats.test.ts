/**
 * The report formats for other systems, each validated against its format: Gradescope's
 * results.json and GitHub Classroom's grader result against zod schemas written from their
 * specifications, JUnit XML parsed with fast-xml-parser and checked structurally, and the Markdown
 * summary's table shape. Rendered from the reports' fixture (full marks, partial credit with
 * hints, a submission the harness could not grade) and from a copy with hostile text in it.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatPoints,
  markdownSummary,
  markdownText,
  partFilesOf,
  renderClassroomReport,
  renderGradescopeReport,
  renderJunitReport,
  renderMarkdownReport,
  submissionStems,
  writeReports,
} from '../../src/trusted/reports/index.js';
import type { ClassResult } from '../../src/trusted/result.js';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { loadRubric } from '../../src/trusted/load-rubric.js';
import { classResultFixture, HOSTILE_ID, SCRIPT } from '../reports/class-result-fixture.js';
import { classroomPointsLine, classroomResultSchema, decodeClassroomResult, gradescopeResultsSchema } from './format-schemas.js';

const PART_FILES = partFilesOf(loadRubric(assignment));
const COMMAND = '::error file=x,line=1::forged';

/** The fixture with text that tries to break every format: line breaks, workflow commands, control and XML-hostile characters. */
function hostileFixture(): ClassResult {
  const result = classResultFixture();
  const ben = result.submissions.find((s) => s.id === 'ben')!;
  ben.id = `ben\n${COMMAND}|</testsuite>`;
  ben.output = `\u0000\u001b[31mred\u001b[0m\r\n${COMMAND}\n]]><x/>\ud800`;
  const failed = ben.parts.flatMap((p) => p.checks).find((c) => !c.passed)!;
  failed.message = `line one\n${COMMAND}\r\n| a | b |\n<img src=x onerror=alert(1)> [link](http://e.example) \u0007`;
  return result;
}

const sum = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;

describe('gradescope: a results.json per submission', () => {
  it('validates against the Gradescope schema, with a test per part and the total as the score', () => {
    const result = classResultFixture();
    const files = renderGradescopeReport(result);
    const stems = submissionStems(result.submissions.map((s) => s.id));
    expect(files.map((f) => f.name).sort()).toEqual(result.submissions.map((s) => `gradescope/${stems.get(s.id)}/results.json`).sort());
    for (const submission of result.submissions) {
      const file = files.find((f) => f.name === `gradescope/${stems.get(submission.id)}/results.json`)!;
      const parsed = gradescopeResultsSchema.parse(JSON.parse(file.content));
      expect(parsed.tests!.map((t) => t.name)).toEqual(result.rubric.parts.map((p) => p.title));
      expect(sum(parsed.tests!.map((t) => t.max_score!))).toBe(result.rubric.max);
      expect(parsed.score).toBe(submission.status === 'error' ? 0 : submission.total);
      expect(sum(parsed.tests!.map((t) => t.score!))).toBeCloseTo(parsed.score!, 2);
    }
  });

  it('says what failed, with the hint, and marks the parts that passed', () => {
    const result = classResultFixture();
    const ben = gradescopeResultsSchema.parse(
      JSON.parse(renderGradescopeReport(result).find((f) => f.name === 'gradescope/ben/results.json')!.content),
    );
    const q1a = ben.tests!.find((t) => t.name === 'Q1(a) Tensor.backward')!;
    expect(q1a).toMatchObject({ status: 'failed', score: 1.5, max_score: 2 });
    expect(q1a.output).toContain('diamond: In a diamond');
    expect(q1a.output).toContain('Hint: backward visits a before');
    const passedPart = result.submissions.find((s) => s.id === 'ben')!.parts.find((p) => p.status === 'passed')!;
    expect(ben.tests!.find((t) => t.name === passedPart.title)!).toMatchObject({ status: 'passed', score: passedPart.max });
    const error = JSON.parse(renderGradescopeReport(result).find((f) => f.name.includes('cmd'))!.content);
    expect(error.output).toContain('could not be graded');
  });

  it('keeps hostile text as plain text in valid JSON, every format "text"', () => {
    for (const file of renderGradescopeReport(hostileFixture())) {
      const parsed = gradescopeResultsSchema.parse(JSON.parse(file.content));
      expect(
        [parsed.output_format, parsed.test_output_format, parsed.test_name_format, ...parsed.tests!.map((t) => t.output_format)].every(
          (f) => f === 'text',
        ),
      ).toBe(true);
      expect(file.name).toMatch(/^gradescope\/[A-Za-z0-9._-]+\/results\.json$/);
    }
  });
});

describe('classroom: GitHub Classroom grader results', () => {
  it('decodes from base64 to a valid result whose Points line is the total', () => {
    const result = classResultFixture();
    const files = renderClassroomReport(result, { partFiles: PART_FILES });
    expect(files).toHaveLength(3);
    for (const file of files) {
      expect(file.content).toMatch(/^[A-Za-z0-9+/]+=*\n$/);
      const parsed = classroomResultSchema.parse(decodeClassroomResult(file.content));
      const stem = file.name.slice('classroom/'.length, -'.b64'.length);
      const submission = result.submissions.find((s) => submissionStems([s.id]).get(s.id) === stem)!;
      expect(parsed.max_score).toBe(20);
      expect(parsed.tests).toHaveLength(result.rubric.parts.length);
      expect(classroomPointsLine(parsed)).toBe(`Points ${submission.status === 'error' ? 0 : formatPoints(submission.total)}/20`);
      expect(parsed.status).toBe(submission.status === 'error' ? 'error' : submission.total === 20 ? 'pass' : 'fail');
      expect(parsed.tests.find((t) => t.name === 'Q1(b) Add.backwardRule')!.filename).toBe('src/ops.ts');
    }
  });

  it('keeps every name and message on one line, so the reporter never prints student text at the start of a line', () => {
    for (const file of renderClassroomReport(hostileFixture())) {
      const parsed = classroomResultSchema.parse(decodeClassroomResult(file.content));
      for (const test of parsed.tests) {
        expect(test.name).not.toMatch(/[\r\n\u2028\u2029]/);
        // eslint-disable-next-line no-control-regex -- the control characters are what the test looks for
        expect(test.message).not.toMatch(/[\r\n\u2028\u2029\u0000-\u001f]/);
      }
    }
  });
});

describe('junit: JUnit XML', () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    htmlEntities: true,
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => ['testsuite', 'testcase', 'property', 'failure', 'error'].includes(name),
  });

  interface Case {
    name: string;
    classname: string;
    file?: string;
    failure?: { message: string; type: string; '#text': string }[];
    error?: { message: string }[];
    skipped?: { message: string };
  }
  interface Suite {
    name: string;
    tests: string;
    failures: string;
    errors: string;
    skipped: string;
    properties: { property: { name: string; value: string }[] };
    testcase: Case[];
    'system-out'?: string;
  }

  function parse(xml: string): { testsuites: { name: string; tests: string; failures: string; testsuite: Suite[] } } {
    expect(XMLValidator.validate(xml)).toBe(true);
    return parser.parse(xml);
  }

  it('has a testsuite per submission and a testcase per check, with counts that match', () => {
    const result = classResultFixture();
    const [file] = renderJunitReport(result, { partFiles: PART_FILES });
    expect(file.name).toBe('junit.xml');
    const { testsuites } = parse(file.content);
    expect(testsuites.testsuite.map((s) => s.name)).toEqual(result.submissions.map((s) => s.id).sort());
    let tests = 0;
    for (const suite of testsuites.testsuite) {
      const cases = suite.testcase;
      tests += cases.length;
      expect(Number(suite.tests)).toBe(cases.length);
      expect(Number(suite.failures)).toBe(cases.filter((c) => c.failure).length);
      expect(Number(suite.errors)).toBe(cases.filter((c) => c.error).length);
      expect(Number(suite.skipped)).toBe(cases.filter((c) => c.skipped !== undefined).length);
      for (const c of cases) {
        expect(c.name.length).toBeGreaterThan(0);
        expect(c.classname.startsWith(suite.name)).toBe(true);
      }
      const submission = result.submissions.find((s) => s.id === suite.name)!;
      expect(suite.properties.property.find((p) => p.name === 'total')!.value).toBe(formatPoints(submission.total));
    }
    expect(Number(testsuites.tests)).toBe(tests);
    const ben = testsuites.testsuite.find((s) => s.name === 'ben')!;
    const diamond = ben.testcase.find((c) => c.name === 'Q1(a) Tensor.backward: diamond')!;
    expect(diamond.file).toBe('src/tensor.ts');
    expect(diamond.failure![0]).toMatchObject({ type: 'backward-not-topological' });
    expect(diamond.failure![0]['#text']).toContain('Hint: backward visits a before');
    expect(ben.testcase.filter((c) => c.failure === undefined && c.error === undefined && c.skipped === undefined).length).toBeGreaterThan(
      5,
    );
    const error = testsuites.testsuite.find((s) => s.name === HOSTILE_ID)!;
    expect(error.testcase).toHaveLength(1);
    expect(error.testcase[0].error![0].message).toContain('could not be compiled');
  });

  it('stays well-formed with hostile text, keeping it as text', () => {
    const result = hostileFixture();
    const { testsuites } = parse(renderJunitReport(result)[0].content);
    const ben = testsuites.testsuite.find((s) => s.name.startsWith('ben'))!;
    expect(ben.name).toBe(result.submissions.find((s) => s.id.startsWith('ben'))!.id);
    const failure = ben.testcase.flatMap((c) => c.failure ?? [])[0];
    expect(failure.message).toContain(`line one\n${COMMAND}\r\n| a | b |`);
    expect(failure.message).toContain('<img src=x onerror=alert(1)>');
    expect(ben['system-out']).toContain(']]><x/>');
  });
});

describe('markdown: the summary table', () => {
  /** The cells of a table row: split at pipes that are not backslash-escaped. */
  const cells = (line: string) =>
    line
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split(/(?<!\\)\|/);

  function table(markdown: string): string[] {
    const lines = markdown.split('\n');
    const start = lines.findIndex((l) => l.startsWith('| Submission |'));
    const rows: string[] = [];
    for (let i = start; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i]);
    return rows;
  }

  it('has a header, a separator and a row per submission, all with the same columns', async () => {
    const result = classResultFixture();
    const [file] = renderMarkdownReport(result);
    expect(file.name).toBe('summary.md');
    const rows = table(file.content);
    const width = result.rubric.parts.length + 3;
    expect(rows).toHaveLength(2 + result.submissions.length);
    for (const row of rows) expect(cells(row), row).toHaveLength(width);
    expect(cells(rows[1]).every((c) => /^ ?-+:? ?$/.test(c.trim() === '' ? '-' : c.trim()))).toBe(true);
    expect(rows.find((row) => row.startsWith('| ada |'))).toMatch(/^\| ada \| 20\/20 \| 2 \| 1 \|/);
    expect(file.content).toContain('#### ben (');
    expect(file.content).toContain('Hint: backward visits a before');
  });

  it('escapes student text: one row per submission, no HTML, no links', () => {
    const result = hostileFixture();
    const markdown = markdownSummary(result);
    const rows = table(markdown);
    expect(rows).toHaveLength(2 + result.submissions.length);
    for (const row of rows) expect(cells(row)).toHaveLength(result.rubric.parts.length + 3);
    expect(markdown).not.toContain('<img');
    expect(markdown).not.toContain(SCRIPT);
    expect(markdown).not.toMatch(/[^\\]\]\(http/);
    expect(markdown.split('\n').some((line) => line.trimStart().startsWith('::'))).toBe(false);
    expect(markdownText('a|b*c_[d](e) <f> & `g`')).toBe('a\\|b\\*c\\_\\[d\\](e) &lt;f&gt; &amp; \\`g\\`');
  });
});

describe('writeReports with every format', () => {
  let outDir: string;
  beforeEach(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'formats-'));
  });
  afterEach(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('writes the per-submission formats into their folders', async () => {
    const result = classResultFixture();
    await writeReports(outDir, result, ['gradescope', 'classroom', 'junit', 'markdown'], { partFiles: PART_FILES });
    const stems = [...submissionStems(result.submissions.map((s) => s.id)).values()].sort();
    expect((await readdir(outDir)).sort()).toEqual(['classroom', 'gradescope', 'junit.xml', 'summary.md']);
    expect((await readdir(join(outDir, 'gradescope'))).sort()).toEqual(stems);
    expect((await readdir(join(outDir, 'classroom'))).sort()).toEqual(stems.map((s) => `${s}.b64`));
    gradescopeResultsSchema.parse(JSON.parse(await readFile(join(outDir, 'gradescope', 'ada', 'results.json'), 'utf8')));
  });
});
