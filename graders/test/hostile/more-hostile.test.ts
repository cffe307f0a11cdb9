/**
 * The rest of the hostile corpus: output floods, disk fills, native addons and the inspector,
 * shape-shifting gradients, a source folder that is a link to elsewhere, and an interrupted run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import type { ClassResult } from '../../src/trusted/result.js';
import { ROOT, foldersIn, fullMarks, pointsByPart } from '../cli/run-grade.js';
import { MORE_HOSTILE_VARIANTS } from './more-hostile-variants.js';

const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');

describe('grade on more hostile submissions', () => {
  let folder: string;
  let result: ClassResult;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hostile-more-'));
    for (const variant of MORE_HOSTILE_VARIANTS) writeSubmission(variant, join(folder, variant.id));
    // A submission whose src/ is a link to the reference solution's folder.
    const linked = join(folder, 'linked-src');
    writeSubmission(DEMO_VARIANTS[1], linked);
    rmSync(join(linked, 'src'), { recursive: true });
    symlinkSync(join(ROOT, 'reference', 'src'), join(linked, 'src'));
    const out = mkdtempSync(join(tmpdir(), 'hostile-more-out-'));
    // The rubric's time limit: nothing here loops, and every attack is judged by what stopped it.
    const run = await execa(process.execPath, [GRADE, '--out', out, ...foldersIn(folder)], { reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult;
  }, 600_000);

  for (const variant of MORE_HOSTILE_VARIANTS) {
    it(`${variant.id}: ${variant.mistake}: loses exactly its own parts`, () => {
      expect(pointsByPart(result, variant.id)).toEqual({ ...fullMarks(result), ...variant.expectedPoints });
    });
  }

  it('caps the output it keeps and writes no file anywhere', () => {
    const flood = result.submissions.find((s) => s.id === 'output-flood')!;
    expect(flood.output.length).toBeLessThanOrEqual(64 * 1024);
    expect(existsSync('/tmp/grade-fill.bin')).toBe(false);
    expect(existsSync(join(folder, 'fills-the-disk', 'fill.bin'))).toBe(false);
    expect(result.submissions.find((s) => s.id === 'fills-the-disk')!.output).toMatch(/Access to this API has been restricted/);
  });

  it('refuses addons and the inspector', () => {
    expect(result.submissions.find((s) => s.id === 'native-and-inspector')!.output).toMatch(/Access to this API has been restricted/);
  });

  it('does not read the solution through a linked source folder', () => {
    const linked = result.submissions.find((s) => s.id === 'linked-src')!;
    expect(linked.intake.map((p) => p.problem)).toContain(
      'lies outside the submission folder (through a linked folder); submit the file itself',
    );
    expect(pointsByPart(result, 'linked-src')['Q1b.Add']).toBe(0);
    expect(linked.total).toBeLessThan(4); // the untouched answers (Q3 nulls) earn nothing either
  });
});

describe('an interrupted grade', () => {
  it('leaves the previous reports whole, and the next run completes them', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'interrupt-'));
    const out = mkdtempSync(join(tmpdir(), 'interrupt-out-'));
    for (const [i, variant] of [DEMO_VARIANTS[0], DEMO_VARIANTS[2]].entries()) writeSubmission(variant, join(folder, `s${i}`));
    await execa(process.execPath, [GRADE, '--out', out, ...foldersIn(folder)]);
    const before = readFileSync(join(out, 'results.json'), 'utf8');

    // A larger class, interrupted while it is being graded.
    for (let i = 2; i < 8; i++) writeSubmission(DEMO_VARIANTS[i % 2 === 0 ? 0 : 2], join(folder, `s${i}`));
    const args = ['--jobs', '1', '--out', out, ...foldersIn(folder)];
    const run = execa(process.execPath, [GRADE, ...args], { reject: false, env: { NO_COLOR: '1' } });
    // Interrupted once the first new submission is graded (s0 and s1 come from the cache): s3..s7 are not.
    let progress = '';
    await new Promise<void>((resolve) => {
      run.stderr?.on('data', (chunk: Buffer) => {
        progress += chunk.toString();
        if (/\[3\/8\] s2: /.test(progress)) resolve();
      });
      void run.finally(() => resolve());
    });
    run.kill('SIGINT');
    const interrupted = await run;
    expect(interrupted.exitCode, interrupted.stderr).toBe(130);
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe(before);
    JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));

    const resumed = await execa(process.execPath, [GRADE, '--out', out, ...foldersIn(folder)]);
    expect(resumed.stdout).toMatch(/graded 8 submission\(s\)/);
    const after = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult;
    expect(after.submissions.map((s) => s.id)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7']);
  }, 300_000);
});
