/**
 * Manual items: the Q1d comment waits for a TA; a score in the TAs' CSV file is merged into the
 * totals and the reports; a malformed file is refused with its name and line, and so are an
 * unknown id (with "did you mean") and two rows for one item, in a run over the whole class or in
 * `grade merge` (a shard only warns); `grade` writes the items still pending as a file to fill in.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { isPendingReview } from '../../src/trusted/reports/class-summary.js';
import { ROOT, foldersIn, runGrade } from './run-grade.js';

const complete = join(ROOT, 'submissions', 'complete');
const skeleton = join(ROOT, 'submissions', 'untouched-skeleton');
const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');
const HEADER = 'id,part,points,comment\n';

/** `grade merge` through the real command. */
async function runMerge(args: string[]) {
  const run = await execa(process.execPath, [GRADE, 'merge', ...args], { cwd: ROOT, reject: false, env: { NO_COLOR: '1' } });
  return { exitCode: run.exitCode ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** The rows of a pending file below its header, as [id, part, points, comment]; it must end each line with CRLF. */
function pendingRows(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  const [header, ...rows] = text.slice(0, -2).split('\r\n');
  expect(header).toBe('id,part,points,comment');
  return rows.map((row) => row.split(','));
}

describe('grade --manual', () => {
  it('keeps Q1d and the Q2 derivation pending without a TA score, and merges one when given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manual-'));
    const out = join(dir, 'reports');
    const pending = await runGrade(['--manual', join(dir, 'none.csv'), complete], { out });
    const before = pending.results().submissions[0];
    expect(before.total).toBe(17.5);
    expect(before.parts.find((p) => p.id === 'Q1d')).toMatchObject({ points: 0.5, status: 'pending' });
    expect(before.parts.find((p) => p.id === 'Q2.derivation')).toMatchObject({ points: 0, max: 2, status: 'pending' });

    const csv = join(dir, 'manual-grades.csv');
    writeFileSync(
      csv,
      'id,part,points,comment\ncomplete,Q1d,0.5,"explains the noise floor, ""well"" done"\ncomplete,Q2.derivation,2,both convolutions\n',
    );
    const graded = await runGrade(['--manual', csv, complete], { out });
    const after = graded.results().submissions[0];
    expect(after.total).toBe(20);
    expect(after.parts.find((p) => p.id === 'Q1d')).toMatchObject({
      points: 1,
      status: 'passed',
      manual: { points: 0.5, comment: 'explains the noise floor, "well" done' },
    });
    expect(after.parts.find((p) => p.id === 'Q2.derivation')).toMatchObject({
      points: 2,
      status: 'passed',
      manual: { points: 2, comment: 'both convolutions' },
    });
    expect(readFileSync(join(out, 'grades.csv'), 'utf8')).toMatch(/complete,.*,20,20,graded/);
    expect(readFileSync(join(out, 'complete.html'), 'utf8')).toContain('explains the noise floor');
  }, 120_000);

  it('refuses a score outside the rubric with the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manual-bad-'));
    const csv = join(dir, 'manual-grades.csv');
    writeFileSync(csv, 'id,part,points,comment\ncomplete,Q1d,0.5,ok\ncomplete,Q1d,3,too many\n');
    const run = await runGrade(['--manual', csv, complete], { out: join(dir, 'reports') });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${csv}:3: points "3" must be a number from 0 to 0.5 for Q1d`);
  }, 60_000);
});

describe('grade --manual checks the file against the class', () => {
  it('refuses an unknown id in a run over the whole class, with the line and the closest id (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manual-unknown-'));
    const csv = join(dir, 'manual-grades.csv');
    writeFileSync(csv, `${HEADER}complete,Q1d,0.5,fine\ncompelte,Q1d,0.5,typo\nnobody-like-this,Q1d,0,\n`);
    const run = await runGrade(['--manual', csv, complete, skeleton], { out: join(dir, 'reports') });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${csv}:3: no submission has the id "compelte" (did you mean "complete"?)`);
    // No id is close to this one: no suggestion, but still the line.
    expect(run.stderr).toContain(`${csv}:4: no submission has the id "nobody-like-this"; an id is a submission folder's name`);
    expect(existsSync(join(dir, 'reports', 'results.json'))).toBe(false);
  }, 60_000);

  it('refuses two rows for the same id and part, naming both lines (exit 2), even when one is still pending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manual-twice-'));
    const csv = join(dir, 'manual-grades.csv');
    writeFileSync(csv, `${HEADER}complete,Q1d,0.5,first\nuntouched-skeleton,Q1d,0,\ncomplete,Q1d,0.25,second\nuntouched-skeleton,Q1d,,\n`);
    const run = await runGrade(['--manual', csv, complete, skeleton], { out: join(dir, 'reports') });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${csv}:4: a second row for "complete" Q1d (the first is line 2)`);
    expect(run.stderr).toContain(`${csv}:5: a second row for "untouched-skeleton" Q1d (the first is line 3)`);
  }, 60_000);

  it('reads a file as a spreadsheet saves it (a byte order mark, CRLF, a comment over two lines), counting lines as an editor does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manual-saved-'));
    const csv = join(dir, 'manual-grades.csv');
    writeFileSync(csv, '\uFEFFid,part,points,comment\r\ncomplete,Q1d,0.5,"first line\r\nsecond line"\r\ncomplete,Q1d,0.5,again\r\n');
    const twice = await runGrade(['--manual', csv, complete], { out: join(dir, 'reports') });
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toContain(`${csv}:4: a second row for "complete" Q1d (the first is line 2)`);
    writeFileSync(csv, 'id,part,points,comment\ncomplete,Q1d,0.5,ok\nuntouched-skeleton,Q1d,0,"not closed\n');
    const unclosed = await runGrade(['--manual', csv, complete, skeleton], { out: join(dir, 'reports') });
    expect(unclosed.exitCode).toBe(2);
    expect(unclosed.stderr).toContain(`${csv}:3: a quoted field is not closed (a " is missing)`);
  }, 60_000);

  it('warns in a shard run; grade merge, which sees the whole class, refuses the file (exit 2) and a file the shards did not use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manual-shards-'));
    const typo = join(dir, 'typo.csv');
    writeFileSync(typo, `${HEADER}complete,Q1d,0.5,fine\ncompelte,Q1d,0.5,typo\n`);
    const shard = (k: number, csv: string) =>
      runGrade(['--shard', `${k}/2`, '--manual', csv, complete, skeleton], { out: join(dir, `shard-${k}`) });
    for (const k of [1, 2]) {
      const run = await shard(k, typo);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toContain(
        `grade: warning: ${typo}:3: no submission given to this run has the id "compelte" (did you mean "complete"?)`,
      );
    }
    const shards = [join(dir, 'shard-1'), join(dir, 'shard-2')];
    const refused = await runMerge(['--manual', typo, '--out', join(dir, 'merged'), ...shards]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      `grade merge: error E_MANUAL_GRADES_ROWS: ${typo}:3: no submission has the id "compelte" (did you mean "complete"?)`,
    );
    expect(existsSync(join(dir, 'merged', 'results.json'))).toBe(false);

    // Without the typo's row, the file is the one the shards applied: the merge goes through.
    const fixed = join(dir, 'fixed.csv');
    writeFileSync(fixed, `${HEADER}complete,Q1d,0.5,fine\n`);
    const merged = await runMerge(['--manual', fixed, '--out', join(dir, 'merged'), ...shards]);
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'merged', 'results.json'), 'utf8')).submissions[0]).toMatchObject({
      id: 'complete',
      total: 18,
    }); // its Q2 derivation waits for a TA

    // With the row corrected to another student, the shards' results lack that score: grade them again.
    const corrected = join(dir, 'corrected.csv');
    writeFileSync(corrected, `${HEADER}complete,Q1d,0.5,fine\nuntouched-skeleton,Q1d,0,empty\n`);
    const stale = await runMerge(['--manual', corrected, '--out', join(dir, 'merged'), ...shards]);
    expect(stale.exitCode).toBe(2);
    expect(stale.stderr).toContain(`${corrected}:3: "untouched-skeleton" Q1d gives 0 ("empty"), but the shards' results have no score`);
    expect(stale.stderr).toContain(`grade them again with this one (--manual ${corrected})`);
    for (const k of [1, 2]) expect((await shard(k, corrected)).exitCode).toBe(0);
    expect((await runMerge(['--manual', corrected, '--out', join(dir, 'merged'), ...shards])).exitCode).toBe(0);
  }, 240_000);
});

describe('manual-grades.pending.csv', () => {
  it("lists exactly the demo class's pending items; filled in and passed to --manual, they are graded, an empty row stays pending", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manual-pending-'));
    const out = join(dir, 'reports');
    const first = await runGrade(['--manual', join(dir, 'none.csv'), ...foldersIn(join(ROOT, 'submissions'))], { out });
    expect(first.exitCode, first.stderr).toBe(0);
    const pendingFile = join(out, 'manual-grades.pending.csv');
    const text = readFileSync(pendingFile, 'utf8');
    const manualParts = ['Q1d', 'Q2.derivation'];
    // Every demo but the untouched skeleton writes a Q1(d) comment and a Q2 derivation for the TA, so
    // each has both manual items pending, sorted by id; the skeleton's templates are no answer.
    const ids = DEMO_VARIANTS.map((variant) => variant.id)
      .filter((id) => id !== 'untouched-skeleton')
      .sort();
    expect(pendingRows(text)).toEqual(ids.flatMap((id) => manualParts.map((part) => [id, part, '', ''])));
    const pendingInResults = first.results().submissions.flatMap((s) => s.parts.filter(isPendingReview).map((p) => [s.id, p.id, '', '']));
    expect(pendingRows(text)).toEqual(pendingInResults);

    // The TA fills in all but one row of the file as it is, and grades again.
    const filled = join(dir, 'manual-grades.csv');
    const leftOut = 'complete';
    const score = (part: string) => (part === 'Q1d' ? '0.5' : '1.5');
    writeFileSync(
      filled,
      text.replace(/^([^,\r\n]+),(Q1d|Q2\.derivation),,\r$/gm, (row, id: string, part: string) =>
        id === leftOut && part === 'Q2.derivation' ? row : `${id},${part},${score(part)},"seen, fine"\r`,
      ),
    );
    const second = await runGrade(['--manual', filled, ...foldersIn(join(ROOT, 'submissions'))], { out });
    expect(second.exitCode, second.stderr).toBe(0);
    for (const submission of second.results().submissions.filter((s) => s.id !== 'untouched-skeleton')) {
      for (const partId of manualParts) {
        const part = submission.parts.find((candidate) => candidate.id === partId)!;
        const left = submission.id === leftOut && partId === 'Q2.derivation';
        if (left) expect(part.manual).toBeUndefined();
        else expect(part.manual, `${submission.id} ${partId}`).toEqual({ points: Number(score(partId)), comment: 'seen, fine' });
        expect(isPendingReview(part), `${submission.id} ${partId}`).toBe(left);
      }
    }
    expect(readFileSync(pendingFile, 'utf8')).toBe(`id,part,points,comment\r\n${leftOut},Q2.derivation,,\r\n`);
  }, 240_000);

  it('writes ids that are formulas, hold commas, quotes, spaces or a line break as text, and reads them back as themselves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manual-pending-ids-'));
    const ids = ['=HYPERLINK("x"),a;b', ' spaced ', '@SUM(1)', 'two\nlines'];
    for (const id of ids)
      writeSubmission(
        DEMO_VARIANTS.find((v) => v.id === 'complete')!,
        join(dir, 'class', id),
      );
    const out = join(dir, 'reports');
    const folders = ids.map((id) => join(dir, 'class', id));
    const first = await runGrade(['--manual', join(dir, 'none.csv'), ...folders], { out });
    expect(first.exitCode, first.stderr).toBe(0);
    const text = readFileSync(join(out, 'manual-grades.pending.csv'), 'utf8');
    const rows = (id: string) => `${id},Q1d,,\r\n${id},Q2.derivation,,\r\n`;
    expect(text).toBe(
      `id,part,points,comment\r\n${rows('" spaced "')}${rows('"\'=HYPERLINK(""x""),a;b"')}${rows("'@SUM(1)")}${rows('"two\nlines"')}`,
    );
    const filled = join(dir, 'manual-grades.csv');
    writeFileSync(filled, text.replaceAll(',Q1d,,', ',Q1d,0.5,ok').replaceAll(',Q2.derivation,,', ',Q2.derivation,2,ok'));
    const second = await runGrade(['--manual', filled, ...folders], { out });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.results().submissions.map((s) => [s.id, s.total])).toEqual([...ids].sort().map((id) => [id, 20]));
    expect(readFileSync(join(out, 'manual-grades.pending.csv'), 'utf8')).toBe('id,part,points,comment\r\n');
  }, 120_000);
});
