/**
 * What `grade` prints on the terminal: each submission's line stays and, on a terminal, the progress
 * bar is redrawn below it (never over it); without a terminal, no control code at all. Totals keep
 * the points a TA has still to score apart ("19.5/20 (+0.5 pending)"); a closing summary counts the
 * submissions by what is left to do, with their names, escaped and bounded; a submission that takes
 * long is named with the part it is waiting on; an unknown option gets "did you mean".
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { BROKEN_VARIANTS, DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import { ProgressDisplay } from '../../src/cli/progress-display.js';
import { closingSummary } from '../../src/cli/closing-summary.js';
import type { PartResult, SubmissionResult } from '../../src/trusted/result.js';
import { ROOT, runGrade } from './run-grade.js';

const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');
const ESC = '\u001b';
const variant = (id: string) => [...DEMO_VARIANTS, ...BROKEN_VARIANTS].find((v) => v.id === id)!;

/** Whether util-linux `script`, which gives a command a pseudo-terminal, is here. */
function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * What a terminal shows after `output`: carriage returns go back to the start of the line, ESC [K
 * clears the rest of it, line feeds start a new one, other text overwrites.
 */
function screen(output: string): string[] {
  const lines = [''];
  let column = 0;
  // eslint-disable-next-line no-control-regex
  for (const token of output.match(/\u001b\[K|\r|\n|[^\r\n\u001b]+|\u001b/g) ?? []) {
    const row = lines.length - 1;
    if (token === '\r') column = 0;
    else if (token === '\n') {
      lines.push('');
      column = 0;
    } else if (token === `${ESC}[K`) lines[row] = lines[row].slice(0, column);
    else {
      lines[row] = lines[row].slice(0, column) + token + lines[row].slice(column + token.length);
      column += token.length;
    }
  }
  return lines;
}

describe('the progress display', () => {
  it('on a terminal, keeps every line and draws the bar below the last one, then removes it', () => {
    let output = '';
    const display = new ProgressDisplay({ write: (text: string) => (output += text) }, 2, true);
    display.start();
    expect(screen(output)).toEqual([`[${'-'.repeat(24)}] 0/2`]);
    display.graded('[1/2] alice: 19.5/20 (+0.5 pending)', 1);
    display.line('bob: still running Q2.kernel after 10 s');
    expect(screen(output)).toEqual([
      '[1/2] alice: 19.5/20 (+0.5 pending)',
      'bob: still running Q2.kernel after 10 s',
      `[${'#'.repeat(12)}${'-'.repeat(12)}] 1/2`,
    ]);
    display.graded('[2/2] bob: 18/20 (+0.5 pending)', 2);
    display.end();
    expect(screen(output)).toEqual([
      '[1/2] alice: 19.5/20 (+0.5 pending)',
      'bob: still running Q2.kernel after 10 s',
      '[2/2] bob: 18/20 (+0.5 pending)',
      '',
    ]);
  });

  it('without terminal codes, writes the lines only', () => {
    let output = '';
    const display = new ProgressDisplay({ write: (text: string) => (output += text) }, 2, false);
    display.start();
    display.graded('[1/2] alice: 20/20', 1);
    display.line('bob: still compiling after 10 s');
    display.graded('[2/2] bob: 1/20', 2);
    display.end();
    expect(output).toBe('[1/2] alice: 20/20\nbob: still compiling after 10 s\n[2/2] bob: 1/20\n');
  });
});

describe('the closing summary', () => {
  const part = (status: PartResult['status'], extra: Partial<PartResult> = {}): PartResult => ({
    id: 'P1',
    title: 'P1',
    points: 1,
    max: 1,
    status,
    checks: [],
    ...extra,
  });
  const submission = (id: string, status: string, parts: PartResult[] = [part('passed')]): SubmissionResult =>
    ({ id, total: 1, max: 1, status, intake: [], isolation: [], output: '', parts }) as unknown as SubmissionResult;

  it('counts each submission once, by what is left to do, and names all but the graded, escaped and bounded', () => {
    const pending = Array.from({ length: 7 }, (_, i) =>
      submission(`p${i}`, 'graded', [part('pending', { review: { file: 'a.md', text: 'x' } })]),
    );
    const lines = closingSummary([
      submission('done', 'graded'),
      ...pending,
      submission(`evil${ESC}[2J`, 'no-submission', []),
      submission('broken', 'error', []),
      submission('judged-badly', 'graded', [part('grader-error', { id: 'Q1b.Add' })]),
    ]);
    expect(lines).toEqual([
      '11 submission(s): 1 graded, 7 pending review, 1 no submission, 1 error, 1 grader error',
      '  pending review: p0, p1, p2, p3, p4 and 2 more',
      '  no submission: evil\\u001b[2J',
      '  error: broken',
      '  grader error: judged-badly (Q1b.Add)',
    ]);
  });
});

describe('grade on the terminal', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'terminal-'));
    writeSubmission(variant('complete'), join(dir, 'class', 'complete'));
    writeSubmission(variant('untouched-skeleton'), join(dir, 'class', 'untouched-skeleton'));
    writeSubmission(variant('complete'), join(dir, 'class', `evil${ESC}]0;title\u0007`));
    writeSubmission(variant('hangs-in-relu'), join(dir, 'hangs', 'hangs'));
  });

  it('shows pending points apart from the total, closes with a summary, and prints no control code off a terminal', async () => {
    const folders = ['complete', 'untouched-skeleton', `evil${ESC}]0;title\u0007`].map((id) => join(dir, 'class', id));
    const run = await runGrade(folders);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^\[\d\/3\] complete: 17\.5\/20 \(\+2\.5 pending\)$/m);
    // The skeleton's answers are its templates: no answer, nothing pending.
    expect(run.stderr).toMatch(/^\[\d\/3\] untouched-skeleton: 0\/20$/m);
    expect(run.stderr).toMatch(/^3 submission\(s\): 1 graded, 2 pending review, 0 no submission, 0 errors, 0 grader errors$/m);
    expect(run.stderr.split('\n')).toContain('  pending review: complete, evil\\u001b]0;title\\u0007');
    expect(run.stderr + run.stdout).not.toContain(ESC);
    expect(run.stderr + run.stdout).not.toContain('\r');
  }, 180_000);

  it.runIf(hasScript())(
    'on a terminal (a pseudo-terminal made by script), keeps each line and redraws the bar below it',
    async () => {
      const folders = ['complete', 'untouched-skeleton'].map((id) => join(dir, 'class', id));
      const command = [
        process.execPath,
        GRADE,
        '--only',
        'Q3.k1',
        '--jobs',
        '1',
        '--out',
        mkdtempSync(join(tmpdir(), 'terminal-out-')),
        ...folders,
      ]
        .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
        .join(' ');
      // No note on a slow machine between the two lines: the interval is longer than the run.
      const env: NodeJS.ProcessEnv = { ...process.env, GRADE_STILL_RUNNING_SECONDS: '600' };
      delete env.NO_COLOR;
      const run = await execa('script', ['-qec', command, '/dev/null'], { env, extendEnv: false, reject: false });
      expect(run.exitCode, run.stdout).toBe(0);
      // The pseudo-terminal turns each line feed into CR LF; the bar is drawn with ESC [K.
      expect(run.stdout).toContain(`${ESC}[K`);
      const shown = screen(run.stdout.replaceAll('\r\n', '\n'));
      expect(shown).toContain('[1/2] complete: 2/2');
      expect(shown).toContain('[2/2] untouched-skeleton: 0/2');
      expect(shown.indexOf('[2/2] untouched-skeleton: 0/2')).toBe(shown.indexOf('[1/2] complete: 2/2') + 1);
      // Redrawn after the first line, then removed: no bar is left on the screen.
      expect(run.stdout).toMatch(/\[1\/2\] complete: 2\/2\r?\n\[#{12}-{12}\] 1\/2/);
      expect(shown.some((line) => /^\[[#-]{24}\]/.test(line))).toBe(false);
      expect(shown).toContain('2 submission(s): 2 graded, 0 pending review, 0 no submission, 0 errors, 0 grader errors');
    },
    120_000,
  );

  it('names the part a submission still running is waiting on', async () => {
    // ReLU's rule never returns: the run waits on Q1b.ReLU until its time limit (60 s), far longer than the note's 0.2 s.
    const run = execa(process.execPath, [GRADE, '--out', mkdtempSync(join(tmpdir(), 'terminal-out-')), join(dir, 'hangs', 'hangs')], {
      env: { NO_COLOR: '1', GRADE_STILL_RUNNING_SECONDS: '0.2' },
      reject: false,
    });
    let stderr = '';
    const noted = new Promise<void>((resolve) => {
      run.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/^hangs: still running Q1b\.ReLU after [\d.]+ s$/m.test(stderr)) resolve();
      });
      void run.finally(() => resolve());
    });
    await noted;
    run.kill('SIGINT');
    const ended = await run;
    expect(stderr, ended.stdout).toMatch(/^hangs: still running Q1b\.ReLU after [\d.]+ s$/m);
    // Stopped before ReLU's time limit ran out: the note came while it was waiting.
    expect(ended.exitCode).toBe(130);
  }, 180_000);

  it('refuses a note interval that is not a number of seconds', async () => {
    const run = await runGrade([join(dir, 'class', 'complete')], { env: { GRADE_STILL_RUNNING_SECONDS: 'soon' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('GRADE_STILL_RUNNING_SECONDS expects a number of seconds above 0, got "soon"');
  });
});

describe('an unknown option', () => {
  const grade = 'grade: error E_USAGE_UNKNOWN_OPTION: unknown option';
  const merge = 'grade merge: error E_USAGE_UNKNOWN_OPTION: unknown option';
  it.each([
    [['--fresj', 'submissions/complete'], `${grade} --fresj; did you mean --fresh?\n`],
    [['--jbos', '2', 'submissions/complete'], `${grade} --jbos; did you mean --jobs?\n`],
    [['--release', 'submissions/complete'], `${grade} --release; did you mean --release-answers?\n`],
    [['--zzzzzz', 'submissions/complete'], `${grade} --zzzzzz\n`],
    [['merge', '--outt', 'shard-1'], `${merge} --outt; did you mean --out?\n`],
    [['merge', '--seed', '7', 'shard-1'], `${merge} --seed (an option of grade, not of grade merge)\n`],
  ])('%j is a usage error that suggests the option meant', async (args, message) => {
    const run = await execa(process.execPath, [GRADE, ...args], { reject: false, env: { NO_COLOR: '1' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Run "grade --help" for the options.');
  });
});
