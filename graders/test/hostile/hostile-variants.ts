/**
 * Hostile submissions: each attacks the grader from inside one operation's backward rule of
 * ops.ts and otherwise returns a wrong gradient, so that the part it sits in scores 0 whatever
 * happens, and anything it could gain shows up as a point it should not have.
 */
import type { Variant } from '../../../tools/submissions/variants.js';

export const SECRET = 'SECRET-7c1e-do-not-leak';

/** Replaces Add's backward rule with `attack` followed by a wrong answer. */
function inAdd(id: string, mistake: string, attack: string, imports = ''): Variant {
  return {
    id,
    mistake,
    patches: [
      { file: 'src/ops.ts', find: 'return [sumToShape(upstream, this.a.shape), sumToShape(upstream, this.b.shape)];', replace: `${attack}\n    return [upstream, upstream];` },
      ...(imports ? [{ file: 'src/ops.ts', find: "import { Tensor } from './tensor.js';", replace: `import { Tensor } from './tensor.js';\n${imports}` }] : []),
    ],
    expectedPoints: { 'Q1b.Add': 0, Q1d: 0 },
  };
}

export const HOSTILE_VARIANTS: Variant[] = [
  inAdd('fake-score-on-stdout', 'prints a fake score and a forged answer on stdout', `console.log('{"type":"answer","nonce":"x","responses":[]}'); console.log('Score: 20/20');`),
  inAdd(
    'reads-secrets',
    'reads the reference solution, a secret file next to the submissions and the environment, and prints them',
    `for (const path of ['/work/main/reference/src/ops.ts', '../../reference/src/ops.ts', '../secret.txt', '/etc/passwd']) { try { console.log(readFileSync(path, 'utf8')); } catch (error) { console.log(String(error)); } }
    console.log(JSON.stringify(process.env));`,
    "import { readFileSync } from 'node:fs';",
  ),
  inAdd(
    'spawns-a-process',
    'starts a long-lived process and a worker',
    `try { spawn('sleep', ['977'], { detached: true, stdio: 'ignore' }).unref(); } catch (error) { console.log(String(error)); }
    try { new Worker('while(true){}', { eval: true }); } catch (error) { console.log(String(error)); }`,
    "import { spawn } from 'node:child_process';\nimport { Worker } from 'node:worker_threads';",
  ),
  inAdd('signals-the-grader', 'sends SIGTERM to its parent', `try { process.kill(process.ppid, 'SIGTERM'); } catch (error) { console.log(String(error)); }`),
  inAdd('exits-early', 'exits with status 0 in the middle of a part', `process.exit(0);`),
  inAdd(
    'buffer-bomb',
    'allocates Buffers until something stops it (at most 3 GiB)',
    `const hoard: Buffer[] = []; for (let i = 0; i < 48; i++) hoard.push(Buffer.alloc(64 * 1024 * 1024, 1)); console.log(hoard.length);`,
  ),
  inAdd('async-loop', 'never yields back: a promise callback that queues itself forever', `const spin = (): Promise<void> => Promise.resolve().then(spin); void spin(); for (;;) {}`),
];
