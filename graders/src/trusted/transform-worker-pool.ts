/**
 * The worker processes in which esbuild compiles the student's files (their entry:
 * transform-worker.ts). Each worker runs in a process group of its own, with esbuild's service as
 * its child, under a memory limit (RLIMIT_DATA through `prlimit`, where it works: esbuild then dies
 * "out of memory" instead of taking the machine's); a worker that must be stopped is killed with
 * its whole group. Workers no submission is using wait in a pool for the next one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/** Writable memory of the worker and of esbuild's service, each; an honest file needs a few MiB. */
export const TRANSFORM_MEMORY_MIB = 256;
/** A worker that is not ready within this time (a machine under heavy load) is given up. */
const START_TIME_LIMIT_MS = 60_000;
/** The start of the worker's standard error is kept: a dying Go runtime says why first, then dumps its stacks. */
const STDERR_KEPT = 4096;

const GRADERS = fileURLToPath(new URL('../..', import.meta.url));
const MiB = 1024 * 1024;

/** A worker process, ready to compile (see transform-worker.ts for what it answers). */
export interface TransformWorker {
  child: ChildProcess;
  /** Settles when the worker has exited, with what its exit says. */
  exited: Promise<string>;
  alive: boolean;
  stderr: string;
}

let workerCode: Promise<string> | undefined;

/** The worker's entry, compiled once per process; esbuild stays an import of the package. */
function compiledWorker(): Promise<string> {
  workerCode ??= esbuild
    .build({
      entryPoints: [fileURLToPath(new URL('./transform-worker.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    })
    .then((result) => result.outputFiles[0].text);
  return workerCode;
}

let memoryLimitPrefix: string[] | undefined;

/** `prlimit --data=... --` where prlimit is found and works; [] elsewhere (the CPU time budget still holds). */
function memoryLimit(): string[] {
  if (memoryLimitPrefix === undefined) {
    memoryLimitPrefix = [];
    for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin'].filter(Boolean)) {
      const prlimit = join(dir, 'prlimit');
      try {
        accessSync(prlimit, constants.X_OK);
      } catch {
        continue;
      }
      const prefix = [prlimit, '--core=0', `--data=${TRANSFORM_MEMORY_MIB * MiB}`, '--'];
      const works = spawnSync(prefix[0], [...prefix.slice(1), 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
      if (works) memoryLimitPrefix = prefix;
      break;
    }
  }
  return memoryLimitPrefix;
}

/** Kills the worker's process group: the worker and esbuild's service. */
export function killWorker(worker: TransformWorker): void {
  worker.alive = false;
  if (worker.child.pid === undefined) return;
  try {
    process.kill(-worker.child.pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** How a worker's exit is told apart: the file took more memory than the limit. */
const OUT_OF_MEMORY = /ran out of memory/;

function exitReason(worker: TransformWorker, code: number | null, signal: NodeJS.Signals | null): string {
  if (/out of memory|cannot allocate memory/i.test(worker.stderr)) {
    return `esbuild ran out of memory (the limit is ${TRANSFORM_MEMORY_MIB} MiB)`;
  }
  return `esbuild stopped (${signal ?? `exit code ${code}`})`;
}

/** Whether a worker's exit (as `exited` says it) is esbuild running out of memory. */
export function ranOutOfMemory(exit: string): boolean {
  return OUT_OF_MEMORY.test(exit);
}

/** What the worker's exit says, or '' when it has not exited within `ms`. */
export async function exitWithin(worker: TransformWorker, ms: number): Promise<string> {
  const grace = after(ms, '');
  const exit = await Promise.race([worker.exited, grace.promise]);
  grace.cancel();
  return exit;
}

/** Resolves to `value` after `ms`; the timer keeps the process alive while a compile waits. */
function after<T>(ms: number, value: T): { promise: Promise<T>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(value), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Starts a worker and waits until it is ready; a string says why it could not start. */
async function startWorker(): Promise<TransformWorker | string> {
  const command = [...memoryLimit(), process.execPath, '--input-type=module', '--eval', await compiledWorker()];
  // Its own process group, to kill esbuild's service with it; run from graders/ to find esbuild.
  const child = spawn(command[0], command.slice(1), {
    cwd: GRADERS,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
    detached: true,
  });
  const worker: TransformWorker = { child, exited: Promise.resolve(''), alive: true, stderr: '' };
  child.stderr!.on('data', (chunk: Buffer) => {
    if (worker.stderr.length < STDERR_KEPT) worker.stderr = (worker.stderr + chunk.toString('utf8')).slice(0, STDERR_KEPT);
  });
  worker.exited = new Promise((resolve) => {
    child.on('error', (error) => {
      worker.alive = false;
      resolve(`the compiler could not start: ${error.message}`);
    });
    // 'close', not 'exit': standard error is read to its end first.
    child.on('close', (code, signal) => {
      worker.alive = false;
      resolve(exitReason(worker, code, signal));
    });
  });
  // Idle, the worker does not keep the grader running; a compile under way has its timer for that.
  child.unref();
  child.channel?.unref();
  (child.stderr as Socket).unref();
  const ready = new Promise<true>((resolve) => child.once('message', () => resolve(true)));
  const timeout = after(START_TIME_LIMIT_MS, `the compiler did not start within ${START_TIME_LIMIT_MS / 1000} s`);
  const started = await Promise.race([ready, worker.exited, timeout.promise]);
  timeout.cancel();
  if (started === true) return worker;
  killWorker(worker);
  return started;
}

/** Workers no submission is using, ready for the next; one is started ahead of the first compile. */
const idleWorkers: TransformWorker[] = [];
let starting: Promise<unknown> = Promise.resolve();

/** Starts a worker ahead of the first compile, while the grader does other work. */
export function startTransformWorker(): void {
  if (idleWorkers.length > 0) return;
  starting = startWorker().then(
    (worker) => typeof worker !== 'string' && idleWorkers.push(worker),
    () => null,
  );
}

/** An idle worker, or a new one; a string says why none could start. */
export async function takeWorker(): Promise<TransformWorker | string> {
  await starting;
  for (let worker = idleWorkers.pop(); worker; worker = idleWorkers.pop()) if (worker.alive) return worker;
  return startWorker();
}

/** Puts a worker its submission no longer needs back in the pool, if it is still alive. */
export function giveBackWorker(worker: TransformWorker | null): void {
  if (worker?.alive) idleWorkers.push(worker);
}
