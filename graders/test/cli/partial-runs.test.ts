/**
 * A run over part of a class keeps the rest: `--only` some parts, or some of the students, merges
 * its results by id into the class already in the output folder (its results.json), every report
 * shows the whole class, and the run says what it kept. `--fresh` starts over; a shard writes its
 * slice only; results graded otherwise (another seed or rubric) or a results.json that cannot be
 * read are refused, naming the file. When nothing changed, the merged results.json is the one a
 * run over the whole class writes, byte for byte.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import type { ClassResult } from '../../src/trusted/result.js';
import { ROOT, runGrade, type GradeRun } from './run-grade.js';

const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');
const variant = (id: string) => DEMO_VARIANTS.find((v) => v.id === id)!;

describe('a run over part of the class', () => {
  let dir: string;
  /** One result cache for every run: a submission graded once is not run again. */
  let cache: string;
  let alice: string;
  let bob: string;
  let carol: string;
  /** The whole class, graded in one run: what every partial run is compared with. */
  let full: GradeRun;
  const read = (out: string, file: string): string => readFileSync(join(out, file), 'utf8');
  /** A copy of the whole class's output folder to run in. */
  const classOut = (): string => {
    const out = mkdtempSync(join(dir, 'out-'));
    cpSync(full.out, out, { recursive: true });
    return out;
  };
  const grade = (args: string[], out: string): Promise<GradeRun> =>
    runGrade(['--cache', cache, '--manual', join(dir, 'none.csv'), ...args], { out });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'partial-runs-'));
    cache = join(dir, 'cache');
    [alice, bob, carol] = ['alice', 'bob', 'carol'].map((id) => join(dir, 'class', id));
    writeSubmission(variant('add-broadcast-not-summed'), alice);
    writeSubmission(variant('complete'), bob);
    writeSubmission(variant('untouched-skeleton'), carol);
    full = await grade([alice, bob, carol], mkdtempSync(join(dir, 'full-')));
    expect(full.exitCode, full.stderr).toBe(0);
    expect(full.results().submissions.map((s) => s.id)).toEqual(['alice', 'bob', 'carol']);
  }, 300_000);

  it("--only one part of one student keeps the others and the other parts, and says so; nothing changed, so results.json is byte for byte the full run's", async () => {
    const out = classOut();
    const run = await grade(['--only', 'Q1b.Add', alice], out);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `kept 2 submission(s) and 13 part(s) from the previous results in ${out}/ (the class has 3; --fresh starts over)`,
    );
    expect(run.resultsText()).toBe(full.resultsText());
    expect(read(out, 'grades.csv')).toBe(read(full.out, 'grades.csv'));
    expect(read(out, 'grades.csv').trim().split('\r\n')).toHaveLength(4);
    const index = read(out, 'index.html');
    for (const page of ['alice.html', 'bob.html', 'carol.html']) {
      expect(index).toContain(`href="${page}"`);
      expect(read(out, page), page).toBe(read(full.out, page));
    }
  }, 120_000);

  it('--only on a changed submission replaces that part only, and adds its total up again', async () => {
    const out = classOut();
    // Alice fixes Add; Q1d, which her bug also broke, is not graded again with --only Q1b.Add.
    const fixed = join(dir, 'fixed', 'alice');
    writeSubmission(variant('complete'), fixed);
    const run = await grade(['--only', 'Q1b.Add', fixed], out);
    expect(run.exitCode, run.stderr).toBe(0);
    const before = full.results();
    const after = run.results();
    const aliceBefore = before.submissions.find((s) => s.id === 'alice')!;
    const aliceAfter = after.submissions.find((s) => s.id === 'alice')!;
    expect(aliceAfter.parts.map((p) => p.id)).toEqual(before.rubric.parts.map((p) => p.id));
    expect(aliceAfter.parts.find((p) => p.id === 'Q1b.Add')).toMatchObject({ points: 1, status: 'passed' });
    expect(aliceAfter.parts.filter((p) => p.id !== 'Q1b.Add')).toEqual(aliceBefore.parts.filter((p) => p.id !== 'Q1b.Add'));
    expect(aliceAfter.total).toBe(aliceBefore.total + 1);
    expect(aliceAfter.max).toBe(20);
    expect(after.rubric).toEqual(before.rubric);
    expect(after.submissions.filter((s) => s.id !== 'alice')).toEqual(before.submissions.filter((s) => s.id !== 'alice'));
    expect(read(out, 'grades.csv')).toMatch(/\r\nalice,2,1,1,1,1,1,1,1,0,2,2,0,2,2,17,20,pending\r\n/);
  }, 120_000);

  it('a run over some of the students keeps the others', async () => {
    const out = classOut();
    const run = await grade([bob], out);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(`kept 2 submission(s) from the previous results in ${out}/`);
    expect(run.stdout).toMatch(/graded 1 submission\(s\)/);
    expect(run.resultsText()).toBe(full.resultsText());
  }, 120_000);

  it('applies the current manual grades to the submissions it keeps, as a run over the whole class does', async () => {
    const out = classOut();
    const csv = join(dir, 'manual-grades.csv');
    writeFileSync(csv, 'id,part,points,comment\nbob,Q1d,0.5,clear\nbob,Q2.derivation,2,both convolutions\n');
    const subset = await runGrade(['--cache', cache, '--manual', csv, alice], { out });
    expect(subset.exitCode, subset.stderr).toBe(0);
    const whole = await runGrade(['--cache', cache, '--manual', csv, alice, bob, carol], { out: classOut() });
    expect(subset.results().submissions.find((s) => s.id === 'bob')).toMatchObject({
      total: 20,
      parts: expect.arrayContaining([
        expect.objectContaining({ id: 'Q1d', status: 'passed' }),
        expect.objectContaining({ id: 'Q2.derivation', status: 'passed' }),
      ]),
    });
    expect(subset.resultsText()).toBe(whole.resultsText());
    // The score taken out of the file again: bob is pending once more, as in the first run.
    writeFileSync(csv, 'id,part,points,comment\n');
    const again = await runGrade(['--cache', cache, '--manual', csv, alice], { out });
    expect(again.resultsText()).toBe(full.resultsText());
  }, 180_000);

  it('--fresh starts the class over and removes the pages of the submissions it dropped, saying so', async () => {
    const out = classOut();
    const run = await grade(['--fresh', bob], out);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.results().submissions.map((s) => s.id)).toEqual(['bob']);
    expect(run.stdout).toContain(
      `started over (--fresh): 2 submission(s) of the previous results in ${out}/ are not in this class, and their reports are removed: alice, carol`,
    );
    expect(existsSync(join(out, 'alice.html'))).toBe(false);
    expect(existsSync(join(out, 'carol.html'))).toBe(false);
    expect(read(out, 'index.html')).not.toContain('alice.html');
    expect(read(out, 'grades.csv').trim().split('\r\n')).toHaveLength(2);
  }, 120_000);

  it('refuses to keep results graded with another seed or rubric, naming the file and both; --fresh starts over instead', async () => {
    const out = classOut();
    const file = join(out, 'results.json');
    const seeded = await grade(['--seed', '7', bob], out);
    expect(seeded.exitCode).toBe(2);
    expect(seeded.stderr).toContain(`${file} holds results graded otherwise than this run: seed 20260122 there, 7 in this run.`);
    expect(seeded.stderr).toContain('keep 2 submission(s) from it (alice, carol)');
    expect(seeded.stderr).toContain('--fresh');
    expect(seeded.resultsText()).toBe(full.resultsText());

    const rubric = JSON.parse(readFileSync(join(ROOT, 'graders', 'rubric.json'), 'utf8')) as { version: string };
    rubric.version = '2';
    const rubricFile = join(dir, 'rubric-v2.json');
    writeFileSync(rubricFile, JSON.stringify(rubric));
    const versioned = await grade(['--rubric', rubricFile, '--only', 'Q3.k1', bob], out);
    expect(versioned.exitCode).toBe(2);
    expect(versioned.stderr).toContain('rubric "Assignment 11" version "1" there, "Assignment 11" version "2" in this run');
    expect(versioned.stderr).toContain('keep 2 submission(s) from it (alice, carol, bob)');

    const fresh = await grade(['--fresh', '--rubric', rubricFile, '--only', 'Q3.k1', bob], out);
    expect(fresh.exitCode, fresh.stderr).toBe(0);
    expect(fresh.results().rubric).toMatchObject({ version: '2', parts: [{ id: 'Q3.k1' }] });
  }, 180_000);

  it('refuses to keep results whose answers were released in a run that withholds them', async () => {
    const out = mkdtempSync(join(dir, 'released-'));
    const released = await grade(['--release-answers', '--only', 'Q3.k1', alice, bob], out);
    expect(released.exitCode, released.stderr).toBe(0);
    expect(released.results().submissions[1].parts[0].checks[0].matrix?.expected).toBeDefined();
    const withheld = await grade(['--only', 'Q3.k1', alice], out);
    expect(withheld.exitCode).toBe(2);
    expect(withheld.stderr).toContain('the answers released there (--release-answers), withheld in this run');
    expect(withheld.resultsText()).toBe(released.resultsText());
  }, 180_000);

  it('refuses a results.json it cannot read, naming the file and the field; --fresh ignores it', async () => {
    const out = classOut();
    const file = join(out, 'results.json');
    writeFileSync(file, '{"seed": 1, "rubric":');
    const cut = await grade([bob], out);
    expect(cut.exitCode).toBe(2);
    expect(cut.stderr).toContain(`grade: error E_CLASS_RESULTS_INVALID_JSON: ${file} is not valid JSON (`);
    expect(cut.stderr).toContain('--fresh');

    const edited = full.results() as unknown as { submissions: { parts: { points: unknown; status: unknown }[] }[] };
    edited.submissions[1].parts[2].points = '1';
    writeFileSync(file, JSON.stringify(edited));
    const wrongType = await grade([bob], out);
    expect(wrongType.exitCode).toBe(2);
    expect(wrongType.stderr).toContain(
      `grade: error E_CLASS_RESULTS_FORMAT: ${file} is not a results.json this grader can read (submissions[1].parts[2].points: `,
    );

    edited.submissions[1].parts[2].points = 1;
    edited.submissions[1].parts[2].status = '\u001b[2Jhacked';
    writeFileSync(file, JSON.stringify(edited));
    const hostile = await grade([bob], out);
    expect(hostile.exitCode).toBe(2);
    expect(hostile.stderr).toContain('submissions[1].parts[2].status: ');
    expect(hostile.stderr).not.toContain('\u001b');

    const fresh = await grade(['--fresh', bob], out);
    expect(fresh.exitCode, fresh.stderr).toBe(0);
    expect(fresh.results().submissions.map((s) => s.id)).toEqual(['bob']);
  }, 180_000);

  it('a --shard run writes its slice only; grade merge keeps the class in its --out and replaces what the shards have', async () => {
    const shard = classOut();
    const sliced = await grade(['--shard', '1/3', alice, bob, carol], shard);
    expect(sliced.exitCode, sliced.stderr).toBe(0);
    expect(sliced.results().submissions.map((s) => s.id)).toEqual(['alice']);
    expect(sliced.stdout).toContain('started over (a --shard run writes its slice only): 2 submission(s)');

    const out = classOut();
    const merge = await execa(process.execPath, [GRADE, 'merge', '--out', out, '--manual', join(dir, 'none.csv'), shard], {
      reject: false,
      env: { NO_COLOR: '1' },
    });
    expect(merge.stderr).toBe('');
    expect(merge.exitCode).toBe(0);
    expect(merge.stdout).toContain(`kept 2 submission(s) from the previous results in ${out}/`);
    expect(read(out, 'results.json')).toBe(full.resultsText());

    const fresh = await execa(process.execPath, [GRADE, 'merge', '--fresh', '--out', out, '--manual', join(dir, 'none.csv'), shard], {
      reject: false,
      env: { NO_COLOR: '1' },
    });
    expect(fresh.exitCode, fresh.stderr).toBe(0);
    expect((JSON.parse(read(out, 'results.json')) as ClassResult).submissions.map((s) => s.id)).toEqual(['alice']);
    expect(existsSync(join(out, 'bob.html'))).toBe(false);
  }, 180_000);
});
