/**
 * Input that does not fit is printed through the real command with its stable code before the
 * message (`grade: error E_RUBRIC_INVALID: ...`) and exit code 2: a usage error, a rubric, the
 * TAs' manual grades file, a shard output for `grade merge`. Each code printed is one docs/cli.md
 * explains.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT, runGrade } from './run-grade.js';

const complete = join(ROOT, 'submissions', 'complete');
const HINT = '\n\nRun "grade --help" for the options.';
const documented = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');

/** The code of the error `stderr` reports, after checking that docs/cli.md explains it. */
function printedCode(stderr: string): string {
  const code = /^grade(?: merge)?: error (E_[A-Z0-9_]+): /.exec(stderr)?.[1];
  expect(code, stderr).toBeDefined();
  expect(documented, code).toContain(`| \`${code}\` |`);
  return code!;
}

describe('an error in what grade is given', () => {
  it('is a usage error with its code: an unknown option', async () => {
    const run = await runGrade(['--fresj', complete]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`grade: error E_USAGE_UNKNOWN_OPTION: unknown option --fresj; did you mean --fresh?${HINT}`);
    expect(printedCode(run.stderr)).toBe('E_USAGE_UNKNOWN_OPTION');
    expect(run.stdout).toBe('');
  });

  it('is a usage error with its code: no submissions', async () => {
    const run = await runGrade([]);
    expect(run.exitCode).toBe(2);
    const message = 'no submission folders given; pass them as arguments, e.g. grade submissions/*';
    expect(run.stderr).toBe(`grade: error E_USAGE_NO_SUBMISSIONS: ${message}${HINT}`);
  });

  it('names a rubric whose points do not add up with E_RUBRIC_INVALID, before anything is graded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codes-rubric-'));
    const rubric = JSON.parse(readFileSync(join(ROOT, 'graders', 'rubric.json'), 'utf8')) as { parts: { id: string; max: number }[] };
    rubric.parts[0].max += 1;
    const file = join(dir, 'rubric.json');
    writeFileSync(file, JSON.stringify(rubric));
    const run = await runGrade(['--rubric', file, complete], { out: join(dir, 'out') });
    expect(run.exitCode).toBe(2);
    const [first, second] = run.stderr.split('\n');
    expect(first).toBe(`grade: error E_RUBRIC_INVALID: the rubric ${file} is not valid:`);
    const { id, max } = rubric.parts[0];
    expect(second).toMatch(new RegExp(`^ {2}- parts\\.0: ${id}: its checks \\(.+\\) must add up to max \\(${max}\\)$`));
    expect(run.stderr.endsWith(HINT)).toBe(true);
    expect(printedCode(run.stderr)).toBe('E_RUBRIC_INVALID');
  });

  it('names a rubric that does not fit the assignment with E_RUBRIC_MISMATCH', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codes-mismatch-'));
    const rubric = JSON.parse(readFileSync(join(ROOT, 'graders', 'rubric.json'), 'utf8')) as { parts: { id: string }[] };
    rubric.parts[0].id = 'Q9';
    const file = join(dir, 'rubric.json');
    writeFileSync(file, JSON.stringify(rubric));
    const run = await runGrade(['--rubric', file, complete], { out: join(dir, 'out') });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(`grade: error E_RUBRIC_MISMATCH: the rubric ${file} does not fit Assignment 11:`);
  });

  it('names a manual grades file without its header, or with a score out of range, with E_MANUAL_GRADES_...', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codes-manual-'));
    const csv = join(dir, 'manual-grades.csv');
    writeFileSync(csv, 'name,score\ncomplete,1\n');
    const header = await runGrade(['--manual', csv, complete], { out: join(dir, 'out') });
    expect(header.exitCode).toBe(2);
    const expected = `${csv}:1: expected the header "id,part,points,comment", found "name,score"`;
    expect(header.stderr).toBe(`grade: error E_MANUAL_GRADES_HEADER: ${expected}${HINT}`);
    expect(printedCode(header.stderr)).toBe('E_MANUAL_GRADES_HEADER');

    writeFileSync(csv, 'id,part,points,comment\ncomplete,Q1d,7,too many\n');
    const points = await runGrade(['--manual', csv, complete], { out: join(dir, 'out') });
    expect(points.exitCode).toBe(2);
    const range = 'a number from 0 to 0.5 for Q1d (or empty while it is pending)';
    expect(points.stderr).toBe(`grade: error E_MANUAL_GRADES_POINTS: ${csv}:2: points "7" must be ${range}${HINT}`);
  });

  it('names a folder without results for grade merge with E_MERGE_NO_RESULTS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codes-merge-'));
    const run = await execa(process.execPath, [join(ROOT, 'graders', 'bin', 'grade.js'), 'merge', '--out', join(dir, 'out'), dir], {
      reject: false,
      env: { NO_COLOR: '1' },
    });
    expect(run.exitCode).toBe(2);
    const message = `${dir} has no results.json; pass the --out folders of the shard runs (grade --shard K/N --out DIR ...)`;
    expect(run.stderr.split('\n')[0]).toBe(`grade merge: error E_MERGE_NO_RESULTS: ${message}`);
    expect(printedCode(run.stderr)).toBe('E_MERGE_NO_RESULTS');
  });
});
