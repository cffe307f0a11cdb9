/**
 * esbuild's transform of the student's files, run as untrusted work. esbuild's parser can be made
 * to run for minutes and take gigabytes (64 KiB of nested blocks or of minus signs does both), or
 * to die; esbuild's service is shared by its whole process, and after a crash it stays dead. So the
 * student's files are compiled in a process of their own (transform-worker.ts), whose esbuild
 * service is its child: under a memory limit (RLIMIT_DATA through `prlimit`, where it works:
 * esbuild then dies "out of memory" instead of taking the machine's), one file at a time, each
 * within a time limit. A file over a limit, or one that kills esbuild, costs its own compile only:
 * the worker's process group is killed, and the next file gets a new worker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { TransformOutcome, TransformReply, TransformRequest } from './compile-messages.js';

/** Wall-clock time one file may take to compile; an honest file takes milliseconds. */
export const TRANSFORM_TIME_LIMIT_SECONDS = 10;
/** Writable memory of the worker and of esbuild's service, each; an honest file needs a few MiB. */
export const TRANSFORM_MEMORY_MIB = 256;
/** A worker that is not ready within this time (a machine under heavy load) is given up. */
const START_TIME_LIMIT_MS = 60_000;
/** The start of the worker's standard error is kept: a dying Go runtime says why first, then dumps its stacks. */
const STDERR_KEPT = 4096;

const GRADERS = fileURLToPath(new URL('../..', import.meta.url));
const MiB = 1024 * 1024;

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

/** `prlimit --data=... --` where prlimit is found and works; [] elsewhere (the time limit still holds). */
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
      if (spawnSync(prefix[0], [...prefix.slice(1), 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0) memoryLimitPrefix = prefix;
      break;
    }
  }
  return memoryLimitPrefix;
}

interface Worker {
  child: ChildProcess;
  /** Settles when the worker has exited, with what its exit says. */
  exited: Promise<string>;
  alive: boolean;
  stderr: string;
}

/** Kills the worker's process group: the worker and esbuild's service. */
function kill(worker: Worker): void {
  worker.alive = false;
  if (worker.child.pid === undefined) return;
  try {
    process.kill(-worker.child.pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** How a worker's exit is told apart: the file took more memory than the limit, which another try would too. */
const OUT_OF_MEMORY = /ran out of memory/;

function exitReason(worker: Worker, code: number | null, signal: NodeJS.Signals | null): string {
  if (/out of memory|cannot allocate memory/i.test(worker.stderr)) return `esbuild ran out of memory (the limit is ${TRANSFORM_MEMORY_MIB} MiB)`;
  return `esbuild stopped (${signal ?? `exit code ${code}`})`;
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
async function startWorker(): Promise<Worker | string> {
  const command = [...memoryLimit(), process.execPath, '--input-type=module', '--eval', await compiledWorker()];
  // Its own process group, to kill esbuild's service with it; run from graders/ to find esbuild.
  const child = spawn(command[0], command.slice(1), {
    cwd: GRADERS,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
    detached: true,
  });
  const worker: Worker = { child, exited: Promise.resolve(''), alive: true, stderr: '' };
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
  kill(worker);
  return started;
}

let current: Worker | null = null;
let nextId = 0;

/** The running worker, or a new one; a string says why none could start. */
async function liveWorker(): Promise<Worker | string> {
  if (current?.alive) return current;
  const started = await startWorker();
  if (typeof started !== 'string') current = started;
  return started;
}

/** Compiles one file in the worker, within the time limit. */
async function transformInWorker(source: string, options: esbuild.TransformOptions): Promise<TransformOutcome> {
  const worker = await liveWorker();
  if (typeof worker === 'string') return { kind: 'failed', reason: worker, transient: true };
  const id = nextId++;
  const replied = new Promise<TransformReply>((resolve) => {
    const onMessage = (message: TransformReply): void => {
      if (message.id !== id) return;
      worker.child.off('message', onMessage);
      resolve(message);
    };
    worker.child.on('message', onMessage);
  });
  const timeout = after(TRANSFORM_TIME_LIMIT_SECONDS * 1000, `esbuild did not finish within ${TRANSFORM_TIME_LIMIT_SECONDS} s`);
  const request: TransformRequest = { id, source, options };
  worker.child.send(request);
  const outcome = await Promise.race([replied, worker.exited, timeout.promise]);
  timeout.cancel();
  if (typeof outcome !== 'string' && outcome.kind !== 'failed') {
    const { id: _, ...result } = outcome;
    return result;
  }
  // Over the time limit, or esbuild died: this worker is done.
  kill(worker);
  if (typeof outcome === 'string') return { kind: 'failed', reason: outcome, transient: !OUT_OF_MEMORY.test(outcome) };
  // esbuild's own words are "The service was stopped"; how the worker ended tells more (out of memory).
  const grace = after(1000, '');
  const exit = await Promise.race([worker.exited, grace.promise]);
  grace.cancel();
  if (OUT_OF_MEMORY.test(exit)) return { kind: 'failed', reason: exit, transient: false };
  return { kind: 'failed', reason: `esbuild failed: ${outcome.reason}`, transient: true };
}

let queue: Promise<unknown> = Promise.resolve();

/** Starts the worker ahead of the first compile, while the grader does other work. */
export function startTransformWorker(): void {
  queue = queue.then(() => liveWorker().catch(() => null));
}

/**
 * Compiles untrusted source text with esbuild's transform, in the worker process, one file at a
 * time (so that a failure is always the file's own). Never rejects: a failed compile says why.
 */
export function transformUntrusted(source: string, options: esbuild.TransformOptions): Promise<TransformOutcome> {
  const failed = (error: unknown): TransformOutcome => ({ kind: 'failed', reason: `the compiler failed: ${String(error)}`, transient: true });
  const outcome = queue.then(() => transformInWorker(source, options).catch(failed));
  queue = outcome;
  return outcome;
}
