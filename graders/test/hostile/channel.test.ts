/**
 * Attacks on the channel between the grader and its child, through the real CLI: a line that is
 * not JSON, a 64 MiB line with no newline, a handle sent along, a forged answer, terminal escape
 * codes in the output and in an exception. Each is graded in one run beside submissions/complete:
 * the run completes and the grader exits by itself (the outer time-out is only a safety net; the
 * verdict is the exit code), every report is written, each attack loses exactly its own parts with
 * the reason named, complete gets full marks, and no raw ESC byte reaches the grader's output.
 * Then: a harness failure while children run (injected with --import) leaves no scratch folder and
 * prints its message escaped, and `npm run grade:pr` prints the attacks' output escaped too.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { MESSAGE_BYTES } from '../../src/trusted/answer-channel.js';
import type { ClassResult, SubmissionResult } from '../../src/trusted/result.js';
import { ANSWER_FD } from '../../src/shared/protocol.js';
import { ROOT, fullMarks, pointsByPart } from '../cli/run-grade.js';
import { inAdd, inReLU, inSigmoid, type HostileVariant } from './hostile-variants.js';

const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');
const PR_SCRIPT = join(ROOT, 'graders', 'src', 'integrations', 'github-pr.ts');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const COMPLETE = join(ROOT, 'submissions', 'complete');
/** A run that has not ended by then never will: the test fails on the exit code, not on the time. */
const OUTER_TIMEOUT_MS = 540_000;
const ESC = '\x1b';

/** Escape sequences as a submission's source writes them: clear screen, hide text, OSC 52 (clipboard), a title, CR, cursor up. */
const ESCAPES = String.raw`\x1b[2J\x1b[8mhidden\x1b]52;c;cHduZWQ=\x07\x1b]0;title\x07\r\x1b[1A`;

const VARIANTS: HostileVariant[] = [
  inAdd(
    'garbage-on-the-channel',
    'writes a line that is not JSON, with escape codes, on the answer channel',
    `try { writeSync(${ANSWER_FD}, 'not json ${ESCAPES}\\n'); } catch {}`,
    "import { writeSync } from 'node:fs';",
    { 'Q1b.Add': /wrote a line that is not JSON on its answer channel, not the answer asked for; it was stopped/ },
  ),
  inReLU(
    'endless-line',
    'writes 64 MiB on the answer channel without a newline, 1 MiB at a time',
    `const chunk = Buffer.alloc(1 << 20, 0x78);
    for (let i = 0; i < 64; i++) {
      try { writeSync(${ANSWER_FD}, chunk); } catch { break; }
    }`,
    "import { writeSync } from 'node:fs';",
    { 'Q1b.ReLU': new RegExp(`wrote a message longer than ${MESSAGE_BYTES / (1 << 20)} MiB on its answer channel`) },
  ),
  inSigmoid(
    'sends-a-handle',
    'listens on a port and sends the server along with process.send, then names it on the answer channel',
    `console.log('process.send is', typeof process.send, 'and process.channel is', typeof process.channel);
    const server = createServer();
    server.on('error', () => undefined);
    type Sender = { send?: (message: unknown, handle: unknown) => void };
    server.listen(0, '127.0.0.1', () => (process as unknown as Sender).send?.({ note: 1 }, server));
    try { writeSync(${ANSWER_FD}, JSON.stringify({ type: 'answer', handle: 'server' }) + '\\n'); } catch {}`,
    "import { writeSync } from 'node:fs';\nimport { createServer } from 'node:net';",
    { 'Q1b.Sigmoid': /not the answer asked for \(forged, incomplete or malformed\)/ },
  ),
  inReLU(
    'forged-nonce',
    'writes a well-formed answer with a guessed nonce on the answer channel',
    `const forged = { type: 'answer', nonce: 'f'.repeat(32), bundle: 'q1b/oracle.js', responses: [{ result: { passed: true } }] };
    try { writeSync(${ANSWER_FD}, JSON.stringify(forged) + '\\n'); } catch {}`,
    "import { writeSync } from 'node:fs';",
    { 'Q1b.ReLU': /not the answer asked for \(forged, incomplete or malformed\)/ },
  ),
  inAdd(
    'prints-escape-codes',
    'prints escape codes on stdout and stderr and throws an error whose message holds more',
    `console.log('out ${ESCAPES} end');
    process.stderr.write('err ${ESCAPES} end\\n');
    throw new Error('boom ${ESCAPES}');`,
  ),
];

/** Processes still running (not zombies) whose command line contains `text`. */
function processesWith(text: string): string[] {
  return execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.trim().startsWith('Z') && !line.includes('ps -eo'));
}

/** The scratch folders left in `root`. */
const scratchLeft = (root: string): string[] => readdirSync(root).filter((name) => name.startsWith('grade-'));

describe('grade on attacks against the answer channel', () => {
  let base: string;
  let out: string;
  let scratchRoot: string;
  let run: { exitCode?: number; signal?: string; stdout: string; stderr: string };
  let result: ClassResult;
  const submission = (id: string): SubmissionResult => result.submissions.find((s) => s.id === id)!;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'channel-'));
    out = join(base, 'reports');
    scratchRoot = join(base, 'scratch');
    mkdirSync(scratchRoot);
    chmodSync(scratchRoot, 0o755);
    chmodSync(base, 0o755);
    for (const variant of VARIANTS) writeSubmission(variant, join(base, 'submissions', variant.id));
    const folders = [COMPLETE, ...VARIANTS.map((v) => join(base, 'submissions', v.id))];
    run = await execa(process.execPath, [GRADE, '--force', '--out', out, ...folders], {
      reject: false,
      timeout: OUTER_TIMEOUT_MS,
      env: { TMPDIR: scratchRoot, NO_COLOR: '1' },
    });
    // No results.json: every test below fails, the first one with the grader's stderr.
    const written = join(out, 'results.json');
    result = (existsSync(written) ? JSON.parse(readFileSync(written, 'utf8')) : { submissions: [] }) as ClassResult;
  }, OUTER_TIMEOUT_MS + 60_000);

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('completes, and the grader exits by itself with code 0', () => {
    expect([run.exitCode, run.signal], run.stderr).toEqual([0, undefined]);
    expect(result.submissions.map((s) => s.id).sort()).toEqual(['complete', ...VARIANTS.map((v) => v.id)].sort());
  });

  it('writes every report', () => {
    for (const file of ['index.html', 'results.json', 'grades.csv', ...result.submissions.map((s) => `${s.id}.html`)]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
  });

  it('gives the complete solution full marks', () => {
    expect(pointsByPart(result, 'complete')).toEqual(fullMarks(result));
  });

  it.each(VARIANTS.map((v) => v.id))('%s loses exactly the parts it attacked from, for the reason named', (id) => {
    const variant = VARIANTS.find((v) => v.id === id)!;
    expect(pointsByPart(result, id), variant.mistake).toEqual({ ...fullMarks(result), ...variant.expectedPoints });
    for (const [part, reason] of Object.entries(variant.reasons ?? {})) {
      expect(submission(id).parts.find((p) => p.id === part)!.reason, `${id} ${part}`).toMatch(reason);
    }
  });

  it('gives the child no Node IPC channel: no process.send, so no handle can cross', () => {
    expect(submission('sends-a-handle').output).toMatch(/^process\.send is undefined and process\.channel is undefined$/m);
  });

  it("lets no raw escape code reach the grader's output, though the results keep what the submission printed", () => {
    expect(run.stdout + run.stderr).not.toContain(ESC);
    expect(submission('prints-escape-codes').output).toContain(`${ESC}[2J`);
  });

  it('removes every scratch folder and leaves no child behind', () => {
    expect(scratchLeft(scratchRoot)).toEqual([]);
    expect(processesWith(scratchRoot)).toEqual([]);
  });
});

describe('a harness failure while children run', () => {
  let base: string;
  let scratchRoot: string;
  let run: { exitCode?: number; stdout: string; stderr: string };

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'channel-failure-'));
    scratchRoot = join(base, 'scratch');
    mkdirSync(scratchRoot);
    chmodSync(scratchRoot, 0o755);
    chmodSync(base, 0o755);
    // Throws in the grader, outside anything that catches, once a child's scratch folder is there.
    const inject = join(base, 'fail-while-grading.mjs');
    writeFileSync(
      inject,
      `import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
const root = ${JSON.stringify(scratchRoot)};
const watch = setInterval(() => {
  if (!readdirSync(root).some((name) => existsSync(join(root, name, 'child.mjs')))) return;
  clearInterval(watch);
  throw new Error('injected failure ${ESCAPES} while grading');
}, 5);
watch.unref();
`,
    );
    run = await execa(process.execPath, ['--import', inject, GRADE, '--force', '--out', join(base, 'reports'), COMPLETE], {
      reject: false,
      timeout: OUTER_TIMEOUT_MS,
      env: { TMPDIR: scratchRoot, NO_COLOR: '1' },
    });
  }, OUTER_TIMEOUT_MS + 60_000);

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("exits with 1 and says so, with the message's escape codes made visible", () => {
    expect(run.exitCode, run.stderr).toBe(1);
    const escaped = String.raw`\u001b[2J\u001b[8mhidden\u001b]52;c;cHduZWQ=\u0007`;
    expect(run.stderr).toContain(`grade: the harness failed: Error: injected failure ${escaped}`);
    expect(run.stdout + run.stderr).not.toContain(ESC);
  });

  it('removes the scratch folders on the way out', () => {
    expect(scratchLeft(scratchRoot)).toEqual([]);
  });
});

describe('npm run grade:pr on the attacks', () => {
  let base: string;
  let run: { exitCode?: number; stdout: string; stderr: string };
  let summary: string;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'channel-pr-'));
    const repo = join(base, 'repo');
    const git = (...args: string[]) => execa('git', ['-C', repo, ...args]);
    await execa('git', ['init', '-q', '-b', 'main', repo]);
    await git('config', 'user.email', 'ta@example.edu');
    await git('config', 'user.name', 'TA');
    cpSync(COMPLETE, join(repo, 'submissions', 'complete'), { recursive: true });
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
    const baseCommit = (await git('rev-parse', 'HEAD')).stdout;
    for (const variant of VARIANTS.filter((v) => ['garbage-on-the-channel', 'prints-escape-codes'].includes(v.id))) {
      writeSubmission(variant, join(repo, 'submissions', variant.id));
    }
    await git('add', '-A');
    await git('commit', '-q', '-m', 'pull request');
    const summaryFile = join(base, 'step-summary.md');
    writeFileSync(summaryFile, '');
    run = await execa(TSX, [PR_SCRIPT, '--repo', repo, '--base', baseCommit, '--out', join(base, 'reports')], {
      cwd: ROOT,
      reject: false,
      timeout: OUTER_TIMEOUT_MS,
      env: { GITHUB_STEP_SUMMARY: summaryFile, GITHUB_OUTPUT: join(base, 'output'), GITHUB_BASE_REF: '' },
    });
    summary = readFileSync(summaryFile, 'utf8');
  }, OUTER_TIMEOUT_MS + 60_000);

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('grades them and prints what they printed with the escape codes made visible', () => {
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('out \\u001b[2J\\u001b[8mhidden\\u001b]52;c;cHduZWQ=\\u0007\\u001b]0;title\\u0007\\u000d\\u001b[1A end');
    expect(run.stdout + run.stderr).not.toContain(ESC);
    expect(summary).not.toContain(ESC);
  });
});
