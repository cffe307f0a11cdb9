/**
 * The hostile corpus: every attack runs, the run completes, the attacking submission loses exactly
 * the parts it attacked from (with the reason named), the honest submission is graded exactly as
 * alone, nothing outside the scratch space changes, no secret reaches any output, no process
 * survives, and the result names the isolation layers that were used.
 *
 * Each attack is judged by the cause the grader records (a memory limit, a refused call, a time
 * limit for the loops only), never by which of two clocks ran out first, so the verdicts hold on a
 * loaded machine: see LOOP_TIMEOUT_SECONDS.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import {
  chmodSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import { ROOT, foldersIn, fullMarks, pointsByPart } from '../cli/run-grade.js';
import type { ClassResult, SubmissionResult } from '../../src/trusted/result.js';
import { LOOPS, LOOP_TIMEOUT_SECONDS, SECRET, hostileVariants, type HostileVariant } from './hostile-variants.js';

const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');
const isRoot = process.getuid?.() === 0;

/** Every file under `folder` with its kind, size and modification time. */
function snapshot(folder: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    const stat = lstatSync(path);
    entries[path] = `${stat.mode}:${stat.size}:${stat.mtimeMs}`;
  }
  return entries;
}

/** Processes still running (not zombies) whose command line contains `text`. */
function processesWith(text: string): string[] {
  return execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.trim().startsWith('Z') && !line.includes('ps -eo'));
}

const network = { server: null as Server | null, port: 0, connections: 0 };

/** Submissions whose folders the test finishes by hand: links, devices, planted files. */
function archiveVariants(): HostileVariant[] {
  return [
    {
      id: 'planted-config',
      mistake: 'a complete solution with its own tsconfig (paths to the reference), package.json, node_modules and an edited given file',
      patches: [],
      expectedPoints: {},
    },
    {
      id: 'device-files',
      mistake: 'a FIFO, a device, a sparse 4 GiB file, binary junk and a link to a secret file in place of its files',
      patches: [],
      expectedPoints: { Q1a: 0, Q1c: 0, Q1d: 0, 'Q2.kernel': 0, 'Q2.input': 0, 'Q3.k1': 0, 'Q3.k2': 0 },
      reasons: {
        Q1a: /src\/tensor\.ts is not a regular file/,
        'Q2.kernel': /src\/conv\.ts is 4294967296 bytes; the limit is 262144 bytes/,
        'Q3.k1': /answers\/q3\.json (contains NUL bytes|is not valid UTF-8)/,
      },
    },
    {
      id: 'links-to-another-submission',
      mistake: "its answers folder is a link to another submission's answers",
      patches: [],
      expectedPoints: { 'Q3.k1': 0, 'Q3.k2': 0 },
      reasons: { 'Q3.k1': /lies outside the submission folder/ },
    },
  ];
}

function finishArchives(submissions: string, secretFile: string): void {
  const planted = join(submissions, 'planted-config');
  writeSubmission(DEMO_VARIANTS[0], planted);
  writeFileSync(
    join(planted, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { baseUrl: '.', paths: { './ops.js': [`${ROOT}/reference/src/ops.ts`], '*': [`${ROOT}/reference/src/*`] } },
    }),
  );
  writeFileSync(
    join(planted, 'package.json'),
    JSON.stringify({ type: 'commonjs', imports: { '#ops': `${ROOT}/reference/src/ops.ts` }, scripts: { test: 'echo all passed' } }),
  );
  mkdirSync(join(planted, 'node_modules', 'fast-check'), { recursive: true });
  writeFileSync(join(planted, 'node_modules', 'fast-check', 'index.js'), 'throw new Error("planted")\n');
  writeFileSync(join(planted, '.npmrc'), 'registry=http://127.0.0.1:9/\n');
  writeFileSync(join(planted, 'src', 'ndarray.ts'), 'export const broken = true;\n');

  const devices = join(submissions, 'device-files');
  writeSubmission(DEMO_VARIANTS[0], devices);
  rmSync(join(devices, 'src', 'tensor.ts'));
  execFileSync('mkfifo', [join(devices, 'src', 'tensor.ts')]);
  rmSync(join(devices, 'src', 'losses.ts'));
  // A character device (/dev/null's numbers) where root may make one, a FIFO otherwise.
  if (isRoot) execFileSync('mknod', [join(devices, 'src', 'losses.ts'), 'c', '1', '3']);
  else execFileSync('mkfifo', [join(devices, 'src', 'losses.ts')]);
  const sparse = openSync(join(devices, 'src', 'conv.ts'), 'w');
  closeSync(sparse);
  execFileSync('truncate', ['-s', '4G', join(devices, 'src', 'conv.ts')]);
  writeFileSync(join(devices, 'answers', 'q3.json'), Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256)));
  rmSync(join(devices, 'answers', 'q1d.md'));
  symlinkSync(secretFile, join(devices, 'answers', 'q1d.md'));

  const linked = join(submissions, 'links-to-another-submission');
  writeSubmission(DEMO_VARIANTS[0], linked);
  rmSync(join(linked, 'answers'), { recursive: true });
  symlinkSync(join(submissions, 'honest', 'answers'), join(linked, 'answers'));
}

describe('grade on hostile submissions', () => {
  let base: string;
  let submissions: string;
  let out: string;
  let loopsOut: string;
  let scratchRoot: string;
  let spill: string;
  let secretFile: string;
  let variants: HostileVariant[];
  let result: ClassResult;
  let alone: SubmissionResult;
  let stdout = '';
  let exitCodes: (number | undefined)[] = [];
  const before: Record<string, Record<string, string>> = {};
  // The test's own tree (submissions, the secret, the spill folder); the repository is not watched,
  // as others may edit it while the test runs: no attack writes there, and none could.
  const watched = (): string[] => [base];
  const submission = (id: string): SubmissionResult => result.submissions.find((s) => s.id === id)!;

  beforeAll(async () => {
    network.server = createServer((socket) => {
      network.connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => network.server!.listen(0, '127.0.0.1', resolve));
    network.port = (network.server.address() as { port: number }).port;

    base = mkdtempSync(join(tmpdir(), 'hostile-'));
    submissions = join(base, 'submissions');
    spill = join(base, 'spill');
    mkdirSync(submissions);
    mkdirSync(spill);
    secretFile = join(base, 'secret.txt');
    writeFileSync(secretFile, SECRET);
    out = mkdtempSync(join(tmpdir(), 'hostile-out-'));
    loopsOut = mkdtempSync(join(tmpdir(), 'hostile-loops-out-'));
    // The scratch folders of the run go here (TMPDIR), so the test can see that none is left.
    scratchRoot = mkdtempSync(join(tmpdir(), 'hostile-scratch-'));
    chmodSync(scratchRoot, 0o755);

    variants = [
      ...hostileVariants({ secretFile, otherSubmission: join(submissions, 'honest', 'src', 'ops.ts'), out, root: ROOT, spill }),
      {
        id: 'reaches-the-network',
        mistake: "connects to a server on 127.0.0.1 from Mul's rule",
        patches: [
          {
            file: 'src/ops.ts',
            find: 'return [sumToShape(mul(upstream, this.b.value), this.a.shape), sumToShape(mul(upstream, this.a.value), this.b.shape)];',
            replace: `connect(${network.port}, '127.0.0.1').on('error', (error) => console.log('network', String(error))).on('connect', () => console.log('network CONNECTED'));\n    return [upstream, upstream];`,
          },
          {
            file: 'src/ops.ts',
            find: "import { Tensor } from './tensor.js';",
            replace: "import { Tensor } from './tensor.js';\nimport { connect } from 'node:net';",
          },
        ],
        expectedPoints: { 'Q1b.Mul': 0, Q1d: 0 },
      },
      ...archiveVariants(),
    ];
    writeSubmission(DEMO_VARIANTS[0], join(submissions, 'honest'));
    for (const variant of variants) if (variant.patches.length > 0) writeSubmission(variant, join(submissions, variant.id));
    finishArchives(submissions, secretFile);
    for (const path of watched()) before[path] = statSync(path).isDirectory() ? snapshot(path) : { [path]: readFileSync(path, 'utf8') };

    const env = { GRADE_SECRET: SECRET, TMPDIR: scratchRoot, NO_COLOR: '1' };
    // The honest submission alone first: its result to compare with, and reports for the attacks to aim at.
    await execa(process.execPath, [GRADE, '--out', out, join(submissions, 'honest')], { env });
    alone = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult).submissions[0];

    // The rubric's time limit for every attack but the loops, which get theirs (see LOOP_TIMEOUT_SECONDS).
    const loops = foldersIn(submissions).filter((folder) => LOOPS.includes(basename(folder)));
    const others = foldersIn(submissions).filter((folder) => !loops.includes(folder));
    const run = await execa(process.execPath, [GRADE, '--force', '--out', out, ...others], { reject: false, env });
    const loopArgs = ['--force', '--timeout', String(LOOP_TIMEOUT_SECONDS), '--out', loopsOut, ...loops];
    const looped = await execa(process.execPath, [GRADE, ...loopArgs], { reject: false, env });
    stdout = run.stdout + run.stderr + looped.stdout + looped.stderr;
    exitCodes = [run.exitCode, looped.exitCode];
    result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult;
    result.submissions.push(...(JSON.parse(readFileSync(join(loopsOut, 'results.json'), 'utf8')) as ClassResult).submissions);
  }, 600_000);

  afterAll(() => {
    network.server?.close();
    for (const folder of [scratchRoot, base, out, loopsOut]) rmSync(folder, { recursive: true, force: true });
  });

  it('completes with exit code 0 and grades every submission', () => {
    expect(exitCodes, stdout).toEqual([0, 0]);
    expect(result.submissions.map((s) => s.id).sort()).toEqual(['honest', ...variants.map((v) => v.id)].sort());
  });

  it('grades the honest submission exactly as it is graded alone', () => {
    expect(submission('honest')).toEqual(alone);
    expect(pointsByPart(result, 'honest')).toEqual(fullMarks(result));
    // The same files under planted configuration: the same checks, case for case.
    expect(submission('planted-config').parts).toEqual(alone.parts);
  });

  describe('each attack loses exactly its own parts, for the reason named', () => {
    it.each([
      'fake-score-on-stdout',
      'forges-ipc-answers',
      'overwrites-results',
      'exits-early',
      'patches-prototypes',
      'poisons-tojson',
      'reads-secrets',
      'sync-loop',
      'promise-loop',
      'spawns-a-process',
      'buffer-bomb',
      'heap-bomb',
      'signals-the-grader',
      'escape-attempts',
      'contaminates-the-next-run',
      'imports-the-reference',
      'reaches-the-network',
      'planted-config',
      'device-files',
      'links-to-another-submission',
    ])('%s', (id) => {
      const variant = variants.find((v) => v.id === id)!;
      expect(pointsByPart(result, id), variant.mistake).toEqual({ ...fullMarks(result), ...variant.expectedPoints });
      for (const [part, reason] of Object.entries(variant.reasons ?? {})) {
        expect(submission(id).parts.find((p) => p.id === part)!.reason, `${id} ${part}`).toMatch(reason);
      }
    });
  });

  it('names every refused file of the malicious archives', () => {
    expect(submission('device-files').intake).toEqual([
      { file: 'src/tensor.ts', problem: 'is not a regular file (a folder or a device); submit a text file' },
      { file: 'src/losses.ts', problem: 'is not a regular file (a folder or a device); submit a text file' },
      { file: 'src/conv.ts', problem: 'is 4294967296 bytes; the limit is 262144 bytes' },
      { file: 'answers/q1d.md', problem: 'is a symbolic link; submit the file itself' },
      { file: 'answers/q3.json', problem: expect.stringMatching(/^(contains NUL bytes|is not valid UTF-8)/) },
    ]);
    expect(submission('links-to-another-submission').intake.map((p) => p.file)).toEqual([
      'answers/q1d.md',
      'answers/q2.md',
      'answers/q3.json',
    ]);
    expect(submission('planted-config').intake).toEqual([]);
  });

  it('reads nothing outside its scratch folder: not the reference, the graders, the rubric, another submission, the reports or /proc', () => {
    const output = submission('reads-secrets').output;
    const reads = output.split('\n').filter((line) => /^(read|list) /.test(line));
    expect(new Set(reads.map((line) => line.split(' ').slice(0, 2).join(' '))).size).toBe(15);
    for (const line of reads) expect(line).toMatch(/ REFUSED ERR_ACCESS_DENIED /);
    expect(output).toMatch(/^env \{\} uid \d+/m);
  });

  it('writes nothing: reports, cache, scratch files and shared folders stay as the grader made them', () => {
    for (const line of submission('overwrites-results').output.split('\n').filter(Boolean))
      expect(line).toMatch(/ REFUSED ERR_ACCESS_DENIED /);
    expect(lstatSync(join(out, 'index.html')).isFile()).toBe(true);
    expect(existsSync(join(out, 'grades.csv'))).toBe(true);
    expect(existsSync(join(out, '.cache', 'planted.json'))).toBe(false);
    expect(existsSync(join(scratchRoot, 'poison.mjs'))).toBe(false);
    expect(readdirSync(spill)).toEqual([]);
  });

  it('refuses every escape: child processes, workers, bindings, WASI, loaders, setuid, NODE_OPTIONS', () => {
    const output = submission('escape-attempts').output;
    for (const label of ['execFileSync', 'fork', 'worker', 'binding', 'wasi', 'setuid', 'spawn with env']) {
      expect(output, label).toMatch(new RegExp(`^${label} REFUSED`, 'm'));
    }
    expect(output).not.toMatch(/escaped/);
    if (submission('honest').isolation.includes('unprivileged-user')) expect(output).toMatch(/^uid 65534 gid 65534$/m);
  });

  it("signals nothing of the grader's: the run went on (above), and the parent was the sandbox's own where namespaces are recorded", () => {
    const output = submission('signals-the-grader').output;
    expect(output).toMatch(/^signal SIGKILL /m);
    if (submission('signals-the-grader').isolation.includes('pid-namespace')) expect(output).toMatch(/^ppid [01]$/m);
  });

  it('reaches no network where a network namespace is recorded', () => {
    const output = submission('reaches-the-network').output;
    expect(output).toMatch(/^network /m);
    if (submission('reaches-the-network').isolation.includes('network-namespace')) {
      expect(network.connections).toBe(0);
      expect(output).not.toMatch(/CONNECTED/);
    }
  });

  it('leaks no secret into any report, the result cache or the command output', () => {
    expect(stdout).not.toContain(SECRET);
    for (const folder of [out, loopsOut]) {
      for (const file of readdirSync(folder, { recursive: true }) as string[]) {
        const path = join(folder, file);
        if (statSync(path).isFile()) expect(readFileSync(path, 'utf8'), file).not.toContain(SECRET);
      }
    }
    expect(submission('reads-secrets').output).not.toMatch(/sumToShape\(upstream, this\.a\.shape\)/); // the reference's Add rule
  });

  it('changes no file outside the scratch space, removes every scratch folder and leaves no process behind', () => {
    for (const path of watched()) {
      expect(statSync(path).isDirectory() ? snapshot(path) : { [path]: readFileSync(path, 'utf8') }, path).toEqual(before[path]);
    }
    expect(readdirSync(scratchRoot).filter((name) => name.startsWith('grade-'))).toEqual([]);
    expect(processesWith(scratchRoot)).toEqual([]);
    expect(processesWith('sleep 97')).toEqual([]);
  });

  it('records the isolation layers it used, the same for every submission', () => {
    const layers = submission('honest').isolation;
    expect(layers).toEqual(
      expect.arrayContaining([
        'node-permission-model',
        'cleared-environment',
        'memory-watchdog',
        'process-group-kill',
        'output-cap',
        'scratch-directory',
        'ipc-nonce',
      ]),
    );
    // The heap is limited by the kernel where it can, by V8 otherwise: one of the two, always.
    expect(layers.filter((layer) => layer === 'memory-limit' || layer === 'heap-limit')).toHaveLength(1);
    for (const s of result.submissions) expect(s.isolation).toEqual(layers);
  });
});
