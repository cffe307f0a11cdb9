/**
 * Manual items: the Q1d comment waits for a TA; a score in the TAs' CSV file is merged into the
 * totals and the reports; a malformed file is refused with its name and line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runGrade } from './run-grade.js';

const complete = join(ROOT, 'submissions', 'complete');

describe('grade --manual', () => {
  it('keeps Q1d pending without a TA score, and merges one when given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manual-'));
    const out = join(dir, 'reports');
    const pending = await runGrade(['--manual', join(dir, 'none.csv'), complete], { out });
    const before = pending.results().submissions[0];
    expect(before.total).toBe(19.5);
    expect(before.parts.find((p) => p.id === 'Q1d')).toMatchObject({ points: 0.5, status: 'pending' });

    const csv = join(dir, 'manual-grades.csv');
    writeFileSync(csv, 'id,part,points,comment\ncomplete,Q1d,0.5,"explains the noise floor, ""well"" done"\n');
    const graded = await runGrade(['--manual', csv, complete], { out });
    const after = graded.results().submissions[0];
    expect(after.total).toBe(20);
    expect(after.parts.find((p) => p.id === 'Q1d')).toMatchObject({ points: 1, status: 'passed', manual: { points: 0.5, comment: 'explains the noise floor, "well" done' } });
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
