/**
 * A second assignment, graded by the same harness: graders/test/fixtures/assignment-mini (a
 * property-checked function, an exact answer in a JSON file and a text a TA scores) goes through
 * the real `grade --assignment` command, with every report format, the same isolation as
 * Assignment 11, the result cache, and help examples drawn from its own parts.
 */
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSkeleton } from '../../../tools/assign/generate-skeleton.js';
import type { ClassResult, PartResult } from '../../src/trusted/result.js';
import { judgeDet } from '../fixtures/assignment-mini/trusted/det.js';
import { ROOT, foldersIn, runGrade, type GradeRun } from './run-grade.js';

const MINI = join(ROOT, 'graders', 'test', 'fixtures', 'assignment-mini');
const SUBMISSIONS = foldersIn(join(MINI, 'submissions'));
const FORMATS = ['--format', 'html,csv,json,junit,markdown,gradescope,classroom'];
/** The files of a submission that the mini assignment reads. */
const SUBMITTED = ['src/vector.ts', 'answers/det.json', 'answers/essay.md'];

/** The summary `grade --json` prints. */
interface Summary {
  counts: { submissions: number; run: number; cached: number };
  files: string[];
  submissions: { id: string; cached: boolean; reports: Record<string, string> }[];
  reportsWritten: boolean;
}
const summaryOf = (run: GradeRun): Summary => JSON.parse(run.stdout) as Summary;

function part(result: ClassResult, id: string, partId: string): PartResult {
  const found = result.submissions.find((s) => s.id === id)?.parts.find((p) => p.id === partId);
  if (!found) throw new Error(`no part ${partId} of ${id} in the results`);
  return found;
}

const text = (folder: string, file: string): string => readFileSync(join(folder, file), 'utf8');

describe("the mini assignment's fixture", () => {
  it('has a skeleton that is what the generator makes of its reference', () => {
    const lines: string[] = [];
    expect(
      generateSkeleton(
        { root: MINI, check: true },
        (line) => lines.push(line),
        (line) => lines.push(line),
      ),
      lines.join('\n'),
    ).toBe(0);
  });

  it('has a blank submission that is the skeleton, and a correct one that is the reference without its markers', () => {
    for (const file of SUBMITTED) {
      expect(text(join(MINI, 'submissions', 'blank'), file), file).toBe(text(join(MINI, 'skeleton'), file));
      const reference = text(join(MINI, 'reference'), file).replace(/^.*\b(BEGIN|END) SOLUTION\b.*\n/gm, '');
      expect(text(join(MINI, 'submissions', 'correct'), file), file).toBe(reference);
    }
  });
});

describe('grade --assignment graders/test/fixtures/assignment-mini', () => {
  let first: GradeRun;
  let result: ClassResult;

  beforeAll(async () => {
    first = await runGrade(['--assignment', MINI, ...FORMATS, '--json', ...SUBMISSIONS]);
    expect(first.stderr).toContain('grading 3 submission(s)');
    result = first.results();
  });

  it("grades every submission (exit 0) against the mini's rubric, with titles from its registry", () => {
    expect(first.exitCode).toBe(0);
    expect(result.rubric.name).toBe('Mini assignment');
    expect(result.rubric.parts).toEqual([
      { id: 'dot', title: 'DOT dot(a, b)', max: 3 },
      { id: 'det', title: 'DET determinant of [[1, 2], [3, 4]]', max: 1 },
      { id: 'essay', title: 'ESSAY why a · a is never negative', max: 2 },
    ]);
    expect(result.submissions.map((s) => [s.id, s.status])).toEqual([
      ['blank', 'graded'],
      ['correct', 'graded'],
      ['wrong', 'graded'],
    ]);
  });

  it('gives the correct submission every automatic point, and leaves the essay to a TA', () => {
    expect(result.submissions.find((s) => s.id === 'correct')?.total).toBe(4);
    expect(part(result, 'correct', 'dot')).toMatchObject({ points: 3, status: 'passed' });
    expect(part(result, 'correct', 'det')).toMatchObject({ points: 1, status: 'passed' });
    const essay = part(result, 'correct', 'essay');
    expect(essay).toMatchObject({ points: 0, max: 2, status: 'pending', checks: [] });
    expect(essay.review).toEqual({ file: 'answers/essay.md', text: text(join(MINI, 'submissions', 'correct'), 'answers/essay.md') });
  });

  it('takes from the wrong submission exactly the parts it got wrong, naming each mistake', () => {
    const dot = part(result, 'wrong', 'dot');
    expect(dot).toMatchObject({ points: 0, status: 'failed' });
    expect(dot.checks[0].message).toMatch(/^dot\(a, b\) returned -?\d+, expected -?\d+ /);
    expect(dot.checks[0].message).toContain('(|difference| > 1e-9 + 1e-9 * sum of |a[i] b[i]|)');
    expect(dot.checks[0].diagnosis).toBe('skips-last-entry');
    expect(dot.checks[0].hint).toContain('The loop stops one entry early');
    // The smallest failing case, one pair of entries, fits skipping the first entry as well as the
    // last: the case shown is a redrawn one of three pairs, on which only the last is skipped.
    const counterexample = dot.checks[0].counterexample!;
    expect(counterexample).toMatchObject({ shapes: { a: [3], b: [3] }, redrawn: true });
    const { a, b } = counterexample.inputs as { a: number[]; b: number[] };
    expect(counterexample.got).toBe(a[0] * b[0] + a[1] * b[1]);
    expect(dot.checks[0].replay?.path).toBeTruthy();
    // Every report says what the case is: not the smallest one.
    const page = text(first.out, 'wrong.html');
    expect(page).toContain('<h4>Failing case (the smallest one&#x27;s shapes, new values)</h4>');
    expect(page).not.toContain('<h4>Smallest failing case</h4>');
    expect(text(first.out, 'summary.md')).toContain(
      "    - Failing case (the smallest one's shapes, new values): dot(a, b) with a: \\[3\\], b: \\[3\\]",
    );

    const det = part(result, 'wrong', 'det');
    expect(det).toMatchObject({ points: 0, status: 'failed', reason: '2 is not the determinant of [[1, 2], [3, 4]]' });
    expect(det.checks[0]).toMatchObject({ diagnosis: 'subtracted-the-wrong-way', hint: expect.stringContaining('The sign is wrong') });
    // The right value is withheld until the answers are released.
    expect(JSON.stringify(det)).not.toContain('-2');

    expect(part(result, 'wrong', 'essay')).toMatchObject({ points: 0, status: 'pending' });
    expect(result.submissions.find((s) => s.id === 'wrong')?.total).toBe(0);
  });

  it('finds nothing implemented in the blank submission, and gives it no point', () => {
    expect(result.submissions.find((s) => s.id === 'blank')?.total).toBe(0);
    const notImplemented = (reason: string) => ({ points: 0, status: 'not-implemented', reason });
    expect(part(result, 'blank', 'dot')).toMatchObject(notImplemented('DOT dot(a, b) is not implemented yet'));
    expect(part(result, 'blank', 'det')).toMatchObject(notImplemented('"det" in answers/det.json is not filled in yet'));
    // The essay left as the skeleton's template is no answer: worth 0, and no TA is asked to read it.
    expect(part(result, 'blank', 'essay')).toMatchObject({
      points: 0,
      status: 'no-answer',
      review: { file: 'answers/essay.md', noAnswer: 'template' },
    });
  });

  it('writes every report format', () => {
    const summary = summaryOf(first);
    const files = [
      ...['index.html', 'grades.csv', 'results.json', 'junit.xml', 'summary.md'],
      ...['blank', 'correct', 'wrong'].flatMap((id) => [`${id}.html`, `gradescope/${id}/results.json`, `classroom/${id}.b64`]),
    ];
    for (const file of files) expect(existsSync(join(first.out, file)), file).toBe(true);
    const listed = [...summary.files, ...summary.submissions.flatMap((s) => Object.values(s.reports))];
    expect(listed.length).toBe(5 + 3 * 3);
    for (const file of listed) expect(existsSync(file), file).toBe(true);
    expect(readFileSync(join(first.out, 'grades.csv'), 'utf8').split('\r\n')[0]).toBe('id,dot,det,essay,total,max,status');
    expect(readFileSync(join(first.out, 'summary.md'), 'utf8')).toContain('| Submission | Total | dot | det | essay | Status |');
    expect(readFileSync(join(first.out, 'junit.xml'), 'utf8')).toContain('DOT dot(a, b)');
  });

  it('runs the submissions under the same isolation layers as Assignment 11', async () => {
    const assignment11 = await runGrade(['--format', 'json', join(ROOT, 'submissions', 'complete')]);
    expect(assignment11.exitCode).toBe(0);
    const layers = assignment11.results().submissions[0].isolation;
    expect(layers.length).toBeGreaterThan(0);
    for (const submission of result.submissions) expect(submission.isolation, submission.id).toEqual(layers);
  });

  it('serves a second run from the cache, with the same results.json byte for byte', async () => {
    const resultsText = first.resultsText();
    const second = await runGrade(['--assignment', MINI, ...FORMATS, '--json', ...SUBMISSIONS], { out: first.out });
    expect(second.exitCode).toBe(0);
    const summary = summaryOf(second);
    expect(summary.counts).toMatchObject({ submissions: 3, run: 0, cached: 3 });
    expect(summary.submissions.every((s) => s.cached)).toBe(true);
    expect(second.resultsText()).toBe(resultsText);
  });

  it("shows the mini's part ids in the examples of grade --help", async () => {
    const help = await runGrade(['--help', '--assignment', MINI]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('grade --only dot --only det submissions/alice');
    expect(help.stdout).toContain('--only PART      grade only this part id, e.g. dot');
    expect(help.stdout).not.toContain('Q1b');
  });
});

describe('the cache fingerprint of an assignment given with --assignment', () => {
  it("changes when a file of the assignment's trusted code changes", async () => {
    // A copy at the same depth below a folder whose graders/src is the harness, so that its
    // relative imports of the harness still resolve; the repository stays as it is.
    const root = mkdtempSync(join(tmpdir(), 'assignment-copy-'));
    const copy = join(root, 'graders', 'test', 'fixtures', 'assignment-mini');
    mkdirSync(join(root, 'graders', 'test', 'fixtures'), { recursive: true });
    symlinkSync(join(ROOT, 'graders', 'src'), join(root, 'graders', 'src'));
    cpSync(MINI, copy, { recursive: true });
    const out = mkdtempSync(join(tmpdir(), 'assignment-copy-out-'));
    const grade = async (): Promise<{ cached: boolean; result: ClassResult; reportsUnchanged: boolean }> => {
      const run = await runGrade(['--assignment', copy, '--format', 'json,html', '--json', join(copy, 'submissions', 'correct')], { out });
      expect(run.exitCode, run.stderr).toBe(0);
      return { cached: summaryOf(run).submissions[0].cached, result: run.results(), reportsUnchanged: !summaryOf(run).reportsWritten };
    };

    try {
      const fresh = await grade();
      expect(fresh.cached).toBe(false);
      expect(fresh.result.submissions[0].total).toBe(4);
      expect(fresh.reportsUnchanged).toBe(false);
      expect(await grade()).toMatchObject({ cached: true, reportsUnchanged: true });
      appendFileSync(join(copy, 'trusted', 'dot.ts'), "// a comment changes the judge's file\n");
      const afterEdit = await grade();
      expect(afterEdit.cached).toBe(false);
      expect(afterEdit.result).toEqual(fresh.result);
      // The same grades from another grader: its reports are rendered again.
      expect(afterEdit.reportsUnchanged).toBe(false);
    } finally {
      // The link first, so that removing the copy cannot reach the harness it points to.
      unlinkSync(join(root, 'graders', 'src'));
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the judge of answers/det.json', () => {
  const someText = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.json(),
    fc.jsonValue().map((det) => JSON.stringify({ det })),
    fc.constantFrom('{"det": -2}', '{"det": -2.0}', '{"det": "-2"}', '{"__proto__": {"det": -2}}', '{"det": 1e400}', 'null', '[-2]', ''),
  );

  it('never throws, and gives the point for -2 alone', () => {
    fc.assert(
      fc.property(someText, fc.boolean(), (text, release) => {
        const outcome = judgeDet(text, 1, release);
        let value: unknown;
        try {
          value = (JSON.parse(text) as { det?: unknown } | null)?.det;
        } catch {
          value = undefined;
        }
        const right = value === -2;
        expect(outcome.check.points).toBe(right ? 1 : 0);
        expect(outcome.status).toBe(right ? 'passed' : value === null ? 'not-implemented' : 'failed');
      }),
      { numRuns: 500 },
    );
  });

  it('says what the file should hold, and the right value only once the answers are released', () => {
    expect(judgeDet('{ "det": 2 ', 1, false).reason).toBe('answers/det.json is not valid JSON; expected { "det": <a number> }');
    expect(judgeDet('{ "det": "-2" }', 1, false).reason).toBe('"det" in answers/det.json is the text "-2"; expected a number');
    const added = judgeDet('{ "det": 10 }', 1, false).check;
    expect(added).toMatchObject({ message: '10 is not the determinant of [[1, 2], [3, 4]]', diagnosis: 'added-the-products' });
    expect(judgeDet('{ "det": 7 }', 1, false).check.diagnosis).toBeUndefined();
    expect(judgeDet('{ "det": 2 }', 1, true).reason).toBe('2 is not the determinant of [[1, 2], [3, 4]]; it is -2');
  });
});
