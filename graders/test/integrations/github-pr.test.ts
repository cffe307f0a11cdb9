/**
 * The pull-request script (npm run grade:pr) against a temporary git repository standing in for a
 * pull request: a base commit with two submissions, then a commit that changes one of them (whose
 * folder name needs escaping in annotations), adds one whose code prints workflow commands, and
 * touches a file outside submissions/. GITHUB_STEP_SUMMARY and GITHUB_OUTPUT point at temporary
 * files. Its stdout is read the way the Actions runner reads it, to prove that only the script's
 * own commands are issued.
 */

import { cpSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, withoutCommands, workflowCommand } from '../../src/integrations/workflow-commands.js';
import { partLine } from '../../src/integrations/annotations.js';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import type { ClassResult } from '../../src/trusted/result.js';
import { ROOT } from '../cli/run-grade.js';
import { runnerCommands } from '../hostile/readers.js';

/** Where the registry says part ID's code starts. */
const codeAt = (id: string): RegExp | undefined => assignment.parts.find((part) => part.id === id)?.codeAt;

const SCRIPT = join(ROOT, 'graders', 'src', 'integrations', 'github-pr.ts');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const ODD = 'odd:name,100%';
const FORGED = 'forged';
/** What the "printer" submission prints while it is graded: commands in both syntaxes. */
const PRINTED = [
  `::error file=README.md::${FORGED}`,
  `##[error]${FORGED} too`,
  '::add-mask::x',
  '::stop-commands::guess',
  `  ::warning::${FORGED} with spaces`,
].join('\\n');

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execa('git', ['-C', cwd, ...args])).stdout;
}

interface PrRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  summary: string;
  output: Record<string, string>;
}

async function runPr(repo: string, args: string[]): Promise<PrRun> {
  const dir = mkdtempSync(join(tmpdir(), 'gh-files-'));
  const summaryFile = join(dir, 'step-summary.md');
  const outputFile = join(dir, 'output');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const run = await execa(TSX, [SCRIPT, '--repo', repo, ...args], {
    cwd: ROOT,
    reject: false,
    env: { GITHUB_STEP_SUMMARY: summaryFile, GITHUB_OUTPUT: outputFile, GITHUB_BASE_REF: '' },
  });
  const output = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { exitCode: run.exitCode ?? -1, stdout: run.stdout, stderr: run.stderr, summary: readFileSync(summaryFile, 'utf8'), output };
}

describe('workflow commands', () => {
  it('escape data and properties as the runner unescapes them', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    expect(workflowCommand('error', { file: 'x:y,z', line: 3, title: undefined }, 'm\nn')).toBe('::error file=x%3Ay%2Cz,line=3::m%0An');
    const [command] = runnerCommands(workflowCommand('error', { file: ODD, title: 'a::b' }, '::error::inner\n##[error]x'));
    expect(command).toEqual({ name: 'error', properties: { file: ODD, title: 'a::b' }, data: '::error::inner\n##[error]x' });
  });

  it('stop commands around any text, with a token the text does not contain', () => {
    const block = withoutCommands(`::error::${FORGED}\n##[warning]${FORGED}\n`);
    expect(runnerCommands(block).map((c) => c.name)).toEqual(['stop-commands']);
    expect(block.split('\n')[0]).toMatch(/^::stop-commands::[0-9a-f]{32}$/);
  });
});

describe("partLine: where a part's code starts in the student's file", () => {
  it('finds the class, the method or the answer', () => {
    const ops = readFileSync(join(ROOT, 'skeleton', 'src', 'ops.ts'), 'utf8');
    expect(ops.split('\n')[partLine(codeAt('Q1b.Add'), ops) - 1]).toMatch(/class Add\b/);
    const conv = readFileSync(join(ROOT, 'skeleton', 'src', 'conv.ts'), 'utf8');
    expect(conv.split('\n')[partLine(codeAt('Q2.kernel'), conv) - 1]).toMatch(/^\s*kernelGradient\(/);
    const q3 = readFileSync(join(ROOT, 'skeleton', 'answers', 'q3.json'), 'utf8');
    expect(q3.split('\n')[partLine(codeAt('Q3.k2'), q3) - 1]).toContain('"k2"');
    expect(partLine(codeAt('Q1b.Add'), undefined)).toBe(1);
    expect(partLine(codeAt('Q1b.Add'), 'nothing here')).toBe(1);
  });
});

describe('npm run grade:pr on a pull request', () => {
  let repo: string;
  let base: string;
  let out: string;
  let run: PrRun;

  beforeAll(async () => {
    repo = join(mkdtempSync(join(tmpdir(), 'pr-')), 'repo');
    out = join(mkdtempSync(join(tmpdir(), 'pr-out-')), 'reports');
    await execa('git', ['init', '-q', '-b', 'main', repo]);
    await git(repo, 'config', 'user.email', 'ta@example.edu');
    await git(repo, 'config', 'user.name', 'TA');
    cpSync(join(ROOT, 'submissions', 'complete'), join(repo, 'submissions', 'alice'), { recursive: true });
    cpSync(join(ROOT, 'submissions', 'add-broadcast-not-summed'), join(repo, 'submissions', ODD), { recursive: true });
    writeFileSync(join(repo, 'README.md'), 'Course submissions\n');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'base');
    base = await git(repo, 'rev-parse', 'HEAD');

    // The pull request: one submission changed, one added (it prints commands), one other file.
    appendFileSync(join(repo, 'submissions', ODD, 'src', 'ops.ts'), '// tried again\n');
    cpSync(join(ROOT, 'submissions', 'complete'), join(repo, 'submissions', 'printer'), { recursive: true });
    const ops = join(repo, 'submissions', 'printer', 'src', 'ops.ts');
    writeFileSync(ops, `console.log("${PRINTED}");\n${readFileSync(ops, 'utf8')}`);
    appendFileSync(join(repo, 'README.md'), 'More\n');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'pull request');

    run = await runPr(repo, ['--base', base, '--out', out, '--fail-under', '95']);
  }, 300_000);

  it('grades only the changed submission folders and fails below --fail-under', () => {
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(1);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult;
    expect(results.submissions.map((s) => [s.id, s.total])).toEqual([
      [ODD, 16],
      ['printer', 17.5],
    ]);
    // Percentages of the 17.5 points graded automatically: the 2.5 waiting for a TA count neither way.
    expect(run.output).toEqual({ submissions: '2', reports: out, 'lowest-percent': '91.43', passed: 'false' });
    expect(run.stdout).toContain('printer: 17.5/20 (+2.5 pending), 100% of the points graded automatically');
    for (const file of ['index.html', 'results.json', 'summary.md', 'printer.html']) expect(existsSync(join(out, file)), file).toBe(true);
  });

  it('appends the score table and the failed checks with hints to the job summary', () => {
    expect(run.summary).toMatch(/^## Grades for this pull request\n/);
    expect(run.summary).toContain(`| ${ODD} | 16/20 | 2 | 1 | 0 ✗ |`);
    expect(run.summary).toContain('| printer | 17.5/20 |');
    expect(run.summary).toContain('- **Q1(b) Add.backwardRule** (0/1, failed)');
    expect(run.summary).toContain('Hint: The gradient for a has shape');
    expect(run.summary).toContain(
      '**1 changed submission(s) below 95% of the points graded automatically, or not graded: the check fails.**',
    );
    expect(run.summary).toContain("also changes 1 file(s) outside submissions/; grading used the base branch's grader");
  });

  it("annotates the student's file at the graded code, escaping the folder name", () => {
    const commands = runnerCommands(run.stdout);
    const errors = commands.filter((c) => c.name === 'error');
    const opsFile = `submissions/${ODD}/src/ops.ts`;
    const add = errors.find((c) => c.properties.title === 'Q1(b) Add.backwardRule (0/1)')!;
    expect(add.properties.file).toBe(opsFile);
    const source = readFileSync(join(repo, opsFile), 'utf8').split('\n');
    expect(source[Number(add.properties.line) - 1]).toMatch(/class Add\b/);
    // The shape comes from fast-check's shrunk counterexample: both operands broadcast, a first.
    expect(add.data).toMatch(/dL\/da has shape \[2,2\], expected \[2,1\]\n/);
    expect(add.data).toContain('Hint: The gradient for a has shape [2,2] but a has shape [2,1]');
    expect(run.stdout).toContain(`file=submissions/odd%3Aname%2C100%25/src/ops.ts,line=${add.properties.line},`);
    expect(errors.map((c) => c.properties.file)).toEqual([opsFile, `submissions/${ODD}/src/linear-regression.ts`]);
    expect(commands.filter((c) => c.name === 'notice').map((c) => c.properties.file)).toEqual([
      // The derivation and the plot's comment wait for a TA; the broken one's Q1d failed outright.
      `submissions/${ODD}/answers/q2.md`,
      'submissions/printer/answers/q1d.md',
      'submissions/printer/answers/q2.md',
    ]);
  });

  it('never lets a submission issue a workflow command', () => {
    // The printed commands reach the log, as text inside a stop-commands block.
    expect(run.stdout).toContain(`::error file=README.md::${FORGED}`);
    expect(run.stdout).toContain(`##[error]${FORGED} too`);
    const commands = runnerCommands(run.stdout);
    expect(
      commands.every((c) => ['group', 'endgroup', 'stop-commands', 'error', 'notice'].includes(c.name)),
      JSON.stringify(commands),
    ).toBe(true);
    expect(commands.filter((c) => c.data.includes(FORGED) || c.properties.file === 'README.md')).toEqual([]);
    expect(commands.filter((c) => c.name === 'group').length).toBe(commands.filter((c) => c.name === 'endgroup').length);
    // Every stop-commands block is closed: the last one ends before the output does.
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^::[0-9a-f]{32}::$/);
  });

  it('passes when every changed submission reaches the threshold (and regrades nothing unchanged)', async () => {
    const again = await runPr(repo, ['--base', base, '--out', out, '--fail-under', '50']);
    expect(again.exitCode).toBe(0);
    expect(again.output.passed).toBe('true');
    expect(again.summary).toContain('**Every changed submission reaches 50% of the points graded automatically.**');
    const timings = JSON.parse(readFileSync(join(out, 'timings.json'), 'utf8')) as Record<string, { cached: boolean }>;
    expect(Object.values(timings).every((t) => t.cached)).toBe(true);
  }, 120_000);

  it('grades nothing when no submission folder changed', async () => {
    const none = await runPr(repo, ['--base', 'HEAD', '--out', join(out, 'none')]);
    expect(none.exitCode).toBe(0);
    expect(none.output).toEqual({ submissions: '0', passed: 'true' });
    expect(none.summary).toContain('No submission folder under submissions/ changed; nothing was graded.');
  });

  it.each([
    [['--fail-under', '150'], '--fail-under expects a percentage from 0 to 100, got "150"'],
    [[], 'no base to compare with: pass --base <commit or ref>'],
    [['--base', 'no-such-branch'], 'check the pull request out with its history (actions/checkout with fetch-depth: 0)'],
  ])('%j is a usage error that says what to do', async (args, message) => {
    const bad = await runPr(repo, args);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(message);
  });
});
