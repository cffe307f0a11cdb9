/**
 * Interrupting `grade` (Ctrl-C, kill) while a child runs: the grader kills its children, removes
 * their scratch folders and exits with 128 + the signal's number, and the reports of the previous
 * run stay byte for byte as they were. Killed with SIGKILL, it cannot clean up, but its children
 * still die with it where the machine allows (the "dies-with-grader" layer).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import type { ClassResult } from '../../src/trusted/result.js';
import { ROOT } from '../cli/run-grade.js';

const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');

/** Every file under `folder` with its content. */
function contents(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of readdirSync(folder, { recursive: true }) as string[]) {
    if (statSync(join(folder, file)).isFile()) files[file] = readFileSync(join(folder, file), 'utf8');
  }
  return files;
}

/** Live (not zombie) processes whose command line contains `text`, as "pid stat args". */
function processesWith(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes(text) && !/^\d+ Z/.test(line) && !line.includes('ps -eo'));
}

/**
 * The previous run's files, byte for byte; besides them only whole entries of the result cache
 * (each submission's result is kept as soon as it is graded, so that the next run completes the
 * class), and no temporary file.
 */
function expectPreviousReports(out: string, previous: Record<string, string>): void {
  const now = contents(out);
  for (const [file, text] of Object.entries(previous)) expect(now[file], file).toBe(text);
  for (const file of Object.keys(now).filter((f) => !(f in previous))) {
    expect(file).toMatch(/^\.cache\/[0-9a-f]{64}\.json$/);
    expect(() => JSON.parse(now[file]), file).not.toThrow();
  }
}

/** Waits for `condition`; the bound only keeps a broken run from hanging the suite, however loaded the machine. */
async function until(condition: () => boolean, what: string, ms = 240_000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('an interrupted grade', () => {
  let submissions: string;
  let layers: string[];

  beforeAll(() => {
    submissions = mkdtempSync(join(tmpdir(), 'interrupted-'));
    writeSubmission(DEMO_VARIANTS[0], join(submissions, 'honest'));
    // Never returns from ReLU's rule: a child is certainly running when the signal comes.
    writeSubmission(
      {
        id: 'hangs',
        mistake: '',
        patches: [
          { file: 'src/ops.ts', find: 'return [upstream.map((g, i) => (this.x.value.data[i] > 0 ? g : 0))];', replace: 'for (;;) {}' },
        ],
        expectedPoints: {},
      },
      join(submissions, 'hangs'),
    );
  });

  afterAll(() => rmSync(submissions, { recursive: true, force: true }));

  /** Grades the honest submission into a new reports folder, then starts a regrade of both. */
  async function startRegrade(): Promise<{
    out: string;
    scratchRoot: string;
    previous: Record<string, string>;
    run: ResultPromise;
    stderr: () => string;
  }> {
    const out = mkdtempSync(join(tmpdir(), 'interrupted-out-'));
    const scratchRoot = mkdtempSync(join(tmpdir(), 'interrupted-scratch-'));
    chmodSync(scratchRoot, 0o755);
    const env = { TMPDIR: scratchRoot, NO_COLOR: '1' };
    await execa(process.execPath, [GRADE, '--out', out, join(submissions, 'honest')], { env });
    layers = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult).submissions[0].isolation;
    const previous = contents(out);
    const run = execa(
      process.execPath,
      [GRADE, '--force', '--timeout', '600', '--out', out, join(submissions, 'hangs'), join(submissions, 'honest')],
      { env, reject: false },
    );
    let stderr = '';
    run.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Both done with their first parts, the honest one finished: the hanging child is in its loop.
    await until(() => /\[1\/2\] honest/.test(stderr), 'the honest submission to be graded');
    await until(() => processesWith(scratchRoot).length > 0, 'a running child');
    return { out, scratchRoot, previous, run, stderr: () => stderr };
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: stops every child, removes the scratch folders, exits ${128 + constants.signals[signal]} and leaves the previous reports as they were`, async () => {
      const { out, scratchRoot, previous, run, stderr } = await startRegrade();
      run.kill(signal);
      const ended = await run;
      // Stopped by the signal, not by the hanging run's own time limit: that would have graded it.
      expect(ended.exitCode).toBe(128 + constants.signals[signal]);
      expect(stderr()).not.toMatch(/\] hangs: /);
      expect(stderr()).toMatch(new RegExp(`interrupted by ${signal}`));
      expectPreviousReports(out, previous);
      expect(readdirSync(scratchRoot).filter((name) => name.startsWith('grade-'))).toEqual([]);
      expect(processesWith(scratchRoot)).toEqual([]);
      rmSync(out, { recursive: true, force: true });
      rmSync(scratchRoot, { recursive: true, force: true });
    }, 300_000);
  }

  it('SIGKILL: the children die with the grader where the machine allows', async () => {
    const { out, scratchRoot, previous, run } = await startRegrade();
    run.kill('SIGKILL');
    await run;
    expectPreviousReports(out, previous);
    if (layers.includes('dies-with-grader')) await until(() => processesWith(scratchRoot).length === 0, 'the children to die');
    // Nothing could stop the children or remove the scratch folders of a grader killed outright
    // on a machine without that layer: the test does, by the children's own process ids.
    for (const line of processesWith(scratchRoot)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    rmSync(out, { recursive: true, force: true });
    rmSync(scratchRoot, { recursive: true, force: true });
  }, 300_000);
});
