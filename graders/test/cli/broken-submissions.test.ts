/**
 * Submissions that crash, hang, do not compile or hold malformed answers: each loses its own
 * part with a reason, everything else is graded as usual, and the run completes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { BROKEN_VARIANTS, DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import { foldersIn, fullMarks, pointsByPart, runGrade, type GradeRun } from './run-grade.js';

describe('grade on broken submissions', () => {
  let run: GradeRun;
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'broken-'));
    for (const variant of BROKEN_VARIANTS) writeSubmission(variant, join(folder, variant.id));
    // Tampering with given files, package.json or node_modules changes nothing.
    const tampered = join(folder, 'tampered-given-files');
    writeSubmission(DEMO_VARIANTS[0], tampered);
    writeFileSync(join(tampered, 'src', 'ndarray.ts'), 'export const broken = true;\n');
    writeFileSync(join(tampered, 'package.json'), '{ "scripts": { "test": "echo all passed" } }\n');
    mkdirSync(join(tampered, 'node_modules', 'fast-check'), { recursive: true });
    writeFileSync(join(tampered, 'node_modules', 'fast-check', 'index.js'), 'throw new Error("planted")\n');
    // A missing file scores its part 0 with "file not found".
    const missing = join(folder, 'missing-losses');
    writeSubmission(DEMO_VARIANTS[0], missing);
    rmSync(join(missing, 'src', 'losses.ts'));
    // 20 s per run: well above what an honest part takes on a loaded machine, so only the hang times out.
    run = await runGrade(['--timeout', '20', ...foldersIn(folder)]);
  }, 300_000);

  it('completes with exit code 0', () => {
    expect(run.stderr).not.toMatch(/grade: /);
    expect(run.exitCode).toBe(0);
  });

  for (const variant of BROKEN_VARIANTS) {
    it(`${variant.id}: ${variant.mistake}`, () => {
      const result = run.results();
      expect(pointsByPart(result, variant.id)).toEqual({ ...fullMarks(result), ...variant.expectedPoints });
    });
  }

  it('names the reason: crashed, timed out, could not compile, not JSON', () => {
    const part = (id: string, partId: string) =>
      run
        .results()
        .submissions.find((s) => s.id === id)!
        .parts.find((p) => p.id === partId)!;
    expect(part('crashes-in-sigmoid', 'Q1b.Sigmoid')).toMatchObject({
      status: 'crashed',
      reason: expect.stringMatching(/exited with code 3/),
    });
    expect(part('hangs-in-relu', 'Q1b.ReLU')).toMatchObject({ status: 'timeout', reason: expect.stringMatching(/no answer within 20 s/) });
    expect(part('syntax-error-in-conv', 'Q2.kernel')).toMatchObject({
      status: 'crashed',
      reason: expect.stringMatching(/could not compile: src\/conv\.ts:\d+:\d+/),
    });
    expect(part('malformed-q3', 'Q3.k1').reason).toMatch(/answers\/q3\.json is not valid JSON/);
    expect(part('missing-losses', 'Q1c')).toMatchObject({ points: 0, status: 'missing', reason: 'src/losses.ts: file not found' });
  });

  it('ignores edits to given files, package.json and node_modules', () => {
    const result = run.results();
    expect(pointsByPart(result, 'tampered-given-files')).toEqual(fullMarks(result));
  });
});

describe('grade usage', () => {
  it('exits 2 with the help when no folder is given', async () => {
    const run = await runGrade([]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/no submission folders given/);
  });

  it('exits 2 and lists the parts for an unknown --only', async () => {
    const run = await runGrade(['--only', 'Q9', 'submissions/complete']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--only Q9: no such part; the parts are Q1a, /);
  });

  it('prints the help with examples', async () => {
    const run = await runGrade(['--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/Examples:\n {2}grade submissions\/\*/);
  });
});
