/**
 * Hostile submissions, built from patches against the reference. Each attacks the grader from
 * inside one operation's backward rule of ops.ts (or from another file, where said) and otherwise
 * returns a wrong answer, so that the part it sits in scores 0 whatever happens, and anything it
 * could gain shows up as a point it should not have. Attacks in Add also run in Q1(d), whose
 * training uses Add; those in ReLU and Sigmoid run in their own part only.
 *
 * Safety: an attack that got through must not hurt the machine. Signals go to process.ppid only,
 * allocations stop at 3 GiB, and files are written only under the test's folders.
 */
import type { Variant } from '../../../tools/submissions/variants.js';
import { ANSWER_FD } from '../../src/shared/protocol.js';

export const SECRET = 'SECRET-7c1e-do-not-leak';

/**
 * The time limit of a run for the attacks that loop forever (LOOPS), which only a time limit
 * stops; they are graded apart with it. Far above what an honest run takes on a loaded machine,
 * so that the parts they do not attack are graded as usual. Every other attack is graded with the
 * rubric's limit, so that each one meets the cause it is judged by (a memory limit, a refusal)
 * long before any clock runs out.
 */
export const LOOP_TIMEOUT_SECONDS = 20;

/** The attacks that never return. */
export const LOOPS = ['sync-loop', 'promise-loop'];

/** The reason of a part the loops stop. */
const TIMED_OUT = new RegExp(`no answer within ${LOOP_TIMEOUT_SECONDS} s`);

export interface HostileVariant extends Variant {
  /** What the reason of each named part must say. */
  reasons?: Record<string, RegExp>;
}

/** Paths the test made, which the attacks aim at. */
export interface Targets {
  /** The file next to the submissions that holds SECRET. */
  secretFile: string;
  /** Another submission's ops.ts. */
  otherSubmission: string;
  /** The reports folder of the run. */
  out: string;
  /** The repository. */
  root: string;
  /** A folder of the test's own where a write that got through would land. */
  spill: string;
}

const ADD = 'return [sumToShape(upstream, this.a.shape), sumToShape(upstream, this.b.shape)];';
const RELU = 'return [upstream.map((g, i) => (this.x.value.data[i] > 0 ? g : 0))];';
const SIGMOID = 'return [upstream.map((g, i) => g * this.value.data[i] * (1 - this.value.data[i]))];';
const OPS_IMPORT = "import { Tensor } from './tensor.js';";

/** Runs `attack` the first time the rule is called in a child (a new child attacks again). */
const once = (attack: string): string =>
  `if (!(globalThis as { attacked?: boolean }).attacked) {\n    (globalThis as { attacked?: boolean }).attacked = true;\n    ${attack}\n    }`;

/**
 * Replaces the rule `rule` with `attack` followed by a wrong answer of the right shape (the
 * upstream gradient passed on unchanged), which only a numeric comparison tells from a right one;
 * `imports` go to the top of ops.ts.
 */
function inRule(
  rule: string,
  expectedPoints: Record<string, number>,
  id: string,
  mistake: string,
  attack: string,
  imports = '',
  reasons?: Record<string, RegExp>,
): HostileVariant {
  const wrong = rule === ADD ? 'return [upstream, upstream];' : 'return [upstream];';
  return {
    id,
    mistake,
    patches: [
      { file: 'src/ops.ts', find: rule, replace: `${once(attack)}\n    ${wrong}` },
      ...(imports ? [{ file: 'src/ops.ts', find: OPS_IMPORT, replace: `${OPS_IMPORT}\n${imports}` }] : []),
    ],
    expectedPoints,
    ...(reasons ? { reasons } : {}),
  };
}

export const inAdd = (id: string, mistake: string, attack: string, imports = '', reasons?: Record<string, RegExp>): HostileVariant =>
  inRule(ADD, { 'Q1b.Add': 0, Q1d: 0 }, id, mistake, attack, imports, reasons);
export const inReLU = (id: string, mistake: string, attack: string, imports = '', reasons?: Record<string, RegExp>): HostileVariant =>
  inRule(RELU, { 'Q1b.ReLU': 0 }, id, mistake, attack, imports, reasons);
export const inSigmoid = (id: string, mistake: string, attack: string, imports = '', reasons?: Record<string, RegExp>): HostileVariant =>
  inRule(SIGMOID, { 'Q1b.Sigmoid': 0 }, id, mistake, attack, imports, reasons);

/** Prints what happened to one attempt: its result, or the error's code and message. */
const attempt = (label: string, code: string): string =>
  `try { const r = ${code}; console.log(${JSON.stringify(label)}, 'DONE', String(r).slice(0, 200)); } catch (error) { console.log(${JSON.stringify(label)}, 'REFUSED', (error as { code?: string }).code, String(error).slice(0, 200)); }`;

export function hostileVariants(t: Targets): HostileVariant[] {
  const q = JSON.stringify;
  return [
    // Fake results.
    inAdd(
      'fake-score-on-stdout',
      'prints a fake score and a forged answer on stdout',
      `console.log('{"type":"answer","nonce":"x","responses":[]}'); console.log('Score: 20/20');`,
    ),
    inAdd(
      'forges-ipc-answers',
      'writes forged answers on its answer channel (the pipe at ANSWER_FD): a guessed nonce, an incomplete answer, extra fields',
      `for (const forged of [
      { type: 'answer', nonce: '0'.repeat(32), bundle: 'q1b/oracle.js', responses: [] },
      { type: 'answer', responses: [{ result: { passed: true } }] },
      { type: 'ready', nonce: 'x', score: 20 },
    ]) writeSync(${ANSWER_FD}, JSON.stringify(forged) + '\\n');`,
      "import { writeSync } from 'node:fs';",
      { 'Q1b.Add': /not the answer asked for/ },
    ),
    // Result files.
    inReLU(
      'overwrites-results',
      'writes, deletes and links over the reports, the result cache and its own scratch files',
      [
        attempt('write results.json', `writeFileSync(${q(`${t.out}/results.json`)}, '{"submissions":[]}')`),
        attempt('delete grades.csv', `unlinkSync(${q(`${t.out}/grades.csv`)})`),
        attempt('link index.html', `symlinkSync('/etc/passwd', ${q(`${t.out}/index.html`)})`),
        attempt('write the cache', `writeFileSync(${q(`${t.out}/.cache/planted.json`)}, '{}')`),
        attempt('overwrite child.mjs', `writeFileSync('child.mjs', '')`),
        attempt('overwrite another submission', `writeFileSync(${q(t.otherSubmission)}, '')`),
        attempt('delete the secret', `unlinkSync(${q(t.secretFile)})`),
        attempt('link in scratch', `symlinkSync(${q(t.secretFile)}, 'link')`),
      ].join('\n    '),
      "import { symlinkSync, unlinkSync, writeFileSync } from 'node:fs';",
    ),
    // Early exit.
    inAdd('exits-early', 'exits with status 0 in the middle of a part', `process.exit(0);`, '', { 'Q1b.Add': /exited with code 0/ }),
    // Globals and prototypes: all of these would fool a comparison made in the child.
    inSigmoid(
      'patches-prototypes',
      'patches Math, Number, JSON, Object and Array so that any comparison made in its own process says "equal"',
      `Math.abs = () => 0; Math.hypot = () => 0; Number.isFinite = () => true; Number.isNaN = () => false; Object.is = () => true;
    JSON.parse = () => ({ passed: true }); JSON.stringify = () => '{"passed":true}'; Array.prototype.some = () => false;
    Number.prototype.toFixed = () => '0.000'; Number.prototype.valueOf = () => 0;`,
    ),
    // Values that change when read.
    inSigmoid(
      'poisons-tojson',
      'gives every object a toJSON that claims full marks',
      `Object.defineProperty(Object.prototype, 'toJSON', { value: () => ({ type: 'answer', passed: true, points: 20 }), configurable: true });`,
      '',
      { 'Q1b.Sigmoid': /not the answer asked for/ },
    ),
    // Secrets.
    inAdd(
      'reads-secrets',
      'reads the reference solution, the graders, the rubric, another submission, a secret file, the environment and /proc',
      [
        ...[
          `${t.root}/reference/src/ops.ts`,
          '../../reference/src/ops.ts',
          `${t.root}/graders/rubric.json`,
          `${t.root}/graders/src/trusted/checks/q1b-ops.ts`,
          t.otherSubmission,
          t.secretFile,
          `${t.out}/results.json`,
          '/etc/passwd',
          '/proc/1/environ',
          '/proc/self/environ',
        ].map((path) => attempt(`read ${path}`, `readFileSync(${q(path)}, 'utf8')`)),
        ...['/', '..', '/work', '/tmp', '/dev/shm'].map((path) => attempt(`list ${path}`, `readdirSync(${q(path)}).join(',')`)),
        "console.log('env', JSON.stringify(process.env), 'uid', process.getuid?.());",
      ].join('\n    '),
      "import { readdirSync, readFileSync } from 'node:fs';",
    ),
    // Infinite loops.
    inReLU('sync-loop', 'never returns: an empty loop', 'for (;;) {}', '', { 'Q1b.ReLU': TIMED_OUT }),
    {
      id: 'promise-loop',
      mistake: 'losses.ts never finishes loading: a top-level await on a promise-callback loop, which a vm timeout would not stop',
      patches: [
        {
          file: 'src/losses.ts',
          find: "import type { Tensor } from './tensor.js';",
          replace: "import type { Tensor } from './tensor.js';\nawait (async () => { for (;;) await Promise.resolve(); })();",
        },
      ],
      expectedPoints: { Q1c: 0, Q1d: 0 },
      reasons: { Q1c: TIMED_OUT, Q1d: TIMED_OUT },
    },
    // Processes that outlive their run.
    inAdd(
      'spawns-a-process',
      'starts a long-lived process and a worker',
      `try { spawn('sleep', ['977'], { detached: true, stdio: 'ignore' }).unref(); } catch (error) { console.log(String(error)); }
    try { new Worker('while(true){}', { eval: true }); } catch (error) { console.log(String(error)); }`,
      "import { spawn } from 'node:child_process';\nimport { Worker } from 'node:worker_threads';",
    ),
    // Memory.
    inAdd(
      'buffer-bomb',
      'allocates Buffers until something stops it (at most 3 GiB)',
      `const hoard: Buffer[] = []; for (let i = 0; i < 48; i++) hoard.push(Buffer.alloc(64 * 1024 * 1024, 1)); console.log(hoard.length);`,
      '',
      {
        'Q1b.Add': /too much memory/,
      },
    ),
    inSigmoid(
      'heap-bomb',
      'fills the JavaScript heap with arrays (at most 3 GiB)',
      `const hoard: number[][] = []; for (let i = 0; i < 400; i++) hoard.push(new Array(1 << 20).fill(i + 0.5)); console.log(hoard.length);`,
      '',
      {
        'Q1b.Sigmoid': /too much memory/,
      },
    ),
    // The grader itself.
    inAdd(
      'signals-the-grader',
      'sends SIGINT, SIGTERM and SIGKILL to its parent',
      [
        "console.log('ppid', process.ppid);",
        ...['SIGINT', 'SIGTERM', 'SIGKILL'].map((signal) => attempt(`signal ${signal}`, `process.kill(process.ppid, '${signal}')`)),
      ].join('\n    '),
    ),
    // Escapes.
    inReLU(
      'escape-attempts',
      'tries child processes, workers, process.binding, WASI, a module loader, another user and NODE_OPTIONS',
      [
        attempt('execFileSync', `execFileSync('/bin/sh', ['-c', 'echo escaped'])`),
        attempt('fork', `fork('child.mjs')`),
        attempt('worker', `new Worker('0', { eval: true })`),
        attempt('binding', `(process as unknown as { binding(name: string): unknown }).binding('spawn_sync')`),
        attempt('wasi', `new WASI({ version: 'preview1' })`),
        attempt('loader', `register('data:text/javascript,export{}')`),
        attempt('setuid', `process.setuid?.(0)`),
        `process.env.NODE_OPTIONS = '--require ${t.spill}/x.js'; process.env.LD_PRELOAD = '${t.spill}/x.so';`,
        attempt('spawn with env', `execFileSync(process.execPath, ['-e', '0'])`),
        "console.log('uid', process.getuid?.(), 'gid', process.getgid?.());",
      ].join('\n    '),
      "import { execFileSync, fork } from 'node:child_process';\nimport { Worker } from 'node:worker_threads';\nimport { WASI } from 'node:wasi';\nimport { register } from 'node:module';",
    ),
    // Contaminating the next run.
    inReLU(
      'contaminates-the-next-run',
      'leaves files in shared places, a process and patched globals behind for whoever runs next',
      [
        ...['../poison.mjs', `${t.spill}/poison.mjs`].map((path) =>
          attempt(`leave ${path}`, `writeFileSync(${q(path)}, 'globalThis.poisoned = true')`),
        ),
        attempt('leave a process', `spawn('sleep', ['978'], { detached: true, stdio: 'ignore' })`),
        "(globalThis as Record<string, unknown>).poisoned = true; Object.defineProperty(Object.prototype, 'poisoned', { value: true });",
      ].join('\n    '),
      "import { writeFileSync } from 'node:fs';\nimport { spawn } from 'node:child_process';",
    ),
    // Malicious archives (the folders are finished by the test: links, devices, planted files).
    {
      id: 'imports-the-reference',
      mistake: 'ops.ts imports the reference solution by a relative and by an absolute path',
      patches: [
        {
          file: 'src/ops.ts',
          find: OPS_IMPORT,
          replace: `${OPS_IMPORT}\nimport * as reference from '../../reference/src/ops.js';\nimport * as absolute from ${q(`${t.root}/reference/src/ops.ts`)};\nexport const leaked = [reference, absolute];`,
        },
      ],
      expectedPoints: { 'Q1b.ReduceMean': 0, 'Q1b.Add': 0, 'Q1b.Mul': 0, 'Q1b.MatMul': 0, 'Q1b.ReLU': 0, 'Q1b.Sigmoid': 0, Q1d: 0 },
      reasons: { 'Q1b.Add': /cannot import "\.\.\/\.\.\/reference\/src\/ops\.js"/ },
    },
  ];
}
