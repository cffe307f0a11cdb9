/**
 * esbuild's transform of the student's files, run as untrusted work. esbuild's parser can be made
 * to run for minutes and take gigabytes (64 KiB of nested blocks or of minus signs does both), or
 * to die; esbuild's service is shared by its whole process, and after a crash it stays dead. So the
 * student's files are compiled in worker processes (transform-worker.ts), whose esbuild service is
 * their child, under a memory limit (RLIMIT_DATA through `prlimit`, where it works: esbuild then
 * dies "out of memory" instead of taking the machine's). A file that kills esbuild, or is stopped,
 * costs its own submission's compile only: the worker's process group is killed, and the next
 * compile gets a new worker.
 *
 * Submissions graded together never share a compile queue, and each has a budget of CPU time:
 * - Each submission compiles in a worker of its own (`SubmissionCompiler`), one file at a time; a
 *   worker with nothing left to compile goes back to a pool, so there is about one per grading job,
 *   reused from submission to submission. With one queue for all, a submission whose files are slow
 *   to compile would hold up every other's files for as long as its own took, and their time
 *   budgets would run out while they waited.
 * - The budget (the rubric's `compileCpuSeconds`) is for all of a submission's files together, so
 *   it bounds what the submission's compiles cost its grading job: with a limit per file only, 25
 *   files each just under it would hold the job for minutes. The compile under way when it runs
 *   out is stopped, and the files after it are refused, each by name, with the reason.
 * - The budget is CPU time, read from /proc as process-tree.ts does (RLIMIT_CPU counts a process's
 *   time from its start, and a worker serves many files): what compiling a file costs is the file's
 *   own, whatever the machine's load, so a compile stopped by the budget is kept like a compile
 *   error. Wall time only backs it up, at many times the budget; where /proc cannot be read the
 *   budget is applied to wall time, and a compile stopped by either may be the load's doing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import type { Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { TransformOutcome, TransformReply, TransformRequest } from './compile-messages.js';
import { treeCpuMs } from './process-tree.js';

/** Writable memory of the worker and of esbuild's service, each; an honest file needs a few MiB. */
export const TRANSFORM_MEMORY_MIB = 256;
/** A worker that is not ready within this time (a machine under heavy load) is given up. */
const START_TIME_LIMIT_MS = 60_000;
/** The start of the worker's standard error is kept: a dying Go runtime says why first, then dumps its stacks. */
const STDERR_KEPT = 4096;
/** How often a compile's CPU time is read while it runs. */
const CPU_WATCH_MS = 100;
/**
 * A compile that has used less CPU time than it may, but taken this many times as much wall time
 * (and at least the minimum), is stopped all the same: the machine is overloaded, or the worker stopped.
 */
const WALL_TIME_FACTOR = 10;
const MIN_WALL_TIME_MS = 60_000;

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

/** How a worker's exit is told apart: the file took more memory than the limit. */
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

/** Workers no submission is using, ready for the next; one is started ahead of the first compile. */
const idleWorkers: Worker[] = [];
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
async function takeWorker(): Promise<Worker | string> {
  await starting;
  for (let worker = idleWorkers.pop(); worker; worker = idleWorkers.pop()) if (worker.alive) return worker;
  return startWorker();
}

/**
 * Outcomes of compiles that are the file's own (its code, its errors, the memory it took), by its
 * source and options: a file that many submissions share (a given file left as it was) compiles
 * once per process. The oldest are forgotten past MAX_KEPT_OUTCOMES (a class of distinct files).
 */
const ownOutcomes = new Map<string, TransformOutcome>();
const MAX_KEPT_OUTCOMES = 1000;

function keepOwnOutcome(key: string, outcome: TransformOutcome): void {
  ownOutcomes.set(key, outcome);
  if (ownOutcomes.size > MAX_KEPT_OUTCOMES) ownOutcomes.delete(ownOutcomes.keys().next().value!);
}

const outcomeKey = (source: string, options: esbuild.TransformOptions): string =>
  createHash('sha256').update(JSON.stringify(options)).update('\0').update(source).digest('hex');

/** How one compile in a worker ended, and the CPU time it took (ms; wall time where /proc cannot be read). */
type Ended =
  | { kind: 'replied'; reply: TransformReply }
  | { kind: 'exited'; reason: string }
  | { kind: 'over-cpu' }
  | { kind: 'over-wall'; seconds: number; cpuKnown: boolean };

let nextId = 0;

/** Compiles one file in `worker`, stopping the worker when the compile has taken `cpuMs` of CPU time. */
async function compileInWorker(
  worker: Worker,
  request: Omit<TransformRequest, 'id'>,
  cpuMs: number,
): Promise<{ ended: Ended; usedMs: number; cpuKnown: boolean }> {
  const pid = worker.child.pid!;
  const cpuAtStart = treeCpuMs(pid);
  const started = performance.now();
  const id = nextId++;
  let usedMs = 0;
  /** Reads the compile's CPU time (its wall time where /proc cannot be read); a process gone meanwhile keeps the last reading. */
  const measure = (): void => {
    if (cpuAtStart === null) usedMs = performance.now() - started;
    else usedMs = Math.max(usedMs, (treeCpuMs(pid) ?? cpuAtStart + usedMs) - cpuAtStart);
  };
  const wallMs = cpuAtStart === null ? cpuMs : Math.max(MIN_WALL_TIME_MS, WALL_TIME_FACTOR * cpuMs);
  let watch: NodeJS.Timeout | undefined;
  const overLimit = new Promise<Ended>((resolve) => {
    watch = setInterval(() => {
      measure();
      if (cpuAtStart !== null && usedMs >= cpuMs) resolve({ kind: 'over-cpu' });
      else if (performance.now() - started >= wallMs) resolve({ kind: 'over-wall', seconds: wallMs / 1000, cpuKnown: cpuAtStart !== null });
    }, CPU_WATCH_MS);
  });
  const replied = new Promise<Ended>((resolve) => {
    const onMessage = (message: TransformReply): void => {
      if (message.id !== id) return;
      worker.child.off('message', onMessage);
      resolve({ kind: 'replied', reply: message });
    };
    worker.child.on('message', onMessage);
  });
  const exited = worker.exited.then((reason): Ended => ({ kind: 'exited', reason }));
  worker.child.send({ ...request, id } satisfies TransformRequest);
  const ended = await Promise.race([replied, exited, overLimit]);
  clearInterval(watch);
  measure();
  return { ended, usedMs, cpuKnown: cpuAtStart !== null };
}

const formatSeconds = (ms: number): string => `${Math.round(ms) / 1000} s`;

/**
 * The compiles of one submission: in a worker of its own, one file at a time, within a budget of
 * CPU time for all its files together. Never rejects: a failed compile says why.
 */
export class SubmissionCompiler {
  private worker: Worker | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private usedMs = 0;
  /**
   * What spent the budget: CPU time, or wall time where /proc could not tell the CPU time (then the
   * files refused after it may be the load's doing, and another run tries them again).
   */
  private spentBy: 'cpu' | 'wall' | null = null;

  /** `cpuSeconds`: the CPU time all of the submission's files may take to compile, together. */
  constructor(private readonly cpuSeconds: number) {}

  /** Compiles untrusted source text with esbuild's transform, after the submission's files asked for before. */
  compile(source: string, options: esbuild.TransformOptions): Promise<TransformOutcome> {
    const failed = (error: unknown): TransformOutcome => ({
      kind: 'failed',
      reason: `the compiler failed: ${String(error)}`,
      transient: true,
    });
    this.queued++;
    const outcome = this.queue
      .then(() => this.compileNext(source, options))
      .catch(failed)
      .finally(() => {
        // Nothing left to compile: the worker serves the next submission meanwhile.
        if (--this.queued === 0) this.giveBackWorker();
      });
    this.queue = outcome;
    return outcome;
  }

  private giveBackWorker(): void {
    if (this.worker?.alive) idleWorkers.push(this.worker);
    this.worker = null;
  }

  private async compileNext(source: string, options: esbuild.TransformOptions): Promise<TransformOutcome> {
    const budget = formatSeconds(this.cpuSeconds * 1000);
    if (this.spentBy === 'cpu') {
      const reason = `not compiled: the submission's other files used up the ${budget} of CPU time`;
      return { kind: 'over-budget', reason: `${reason} that all its files together may take to compile` };
    }
    if (this.spentBy === 'wall') {
      return { kind: 'failed', reason: `not compiled: the submission's other files took ${budget} to compile`, transient: true };
    }
    const key = outcomeKey(source, options);
    const known = ownOutcomes.get(key);
    if (known) return known;
    if (!this.worker?.alive) {
      const worker = await takeWorker();
      if (typeof worker === 'string') return { kind: 'failed', reason: worker, transient: true };
      this.worker = worker;
    }
    const worker = this.worker;
    const { ended, usedMs, cpuKnown } = await compileInWorker(worker, { source, options }, this.cpuSeconds * 1000 - this.usedMs);
    this.usedMs += usedMs;
    if (this.usedMs >= this.cpuSeconds * 1000) this.spentBy = cpuKnown ? 'cpu' : 'wall';
    const outcome = await this.outcomeOf(worker, ended, budget);
    const filesOwn = outcome.kind === 'compiled' || outcome.kind === 'errors' || (outcome.kind === 'failed' && !outcome.transient);
    if (filesOwn) keepOwnOutcome(key, outcome);
    return outcome;
  }

  /** What a compile's end means for the file; a worker that did not compile it is killed. */
  private async outcomeOf(worker: Worker, ended: Ended, budget: string): Promise<TransformOutcome> {
    if (ended.kind === 'replied') {
      const { id: _, ...reply } = ended.reply;
      if (reply.kind !== 'failed') return reply;
      kill(worker);
      // esbuild's own words are "The service was stopped"; how the worker ended tells more (out of memory).
      const grace = after(1000, '');
      const exit = await Promise.race([worker.exited, grace.promise]);
      grace.cancel();
      return { kind: 'failed', reason: OUT_OF_MEMORY.test(exit) ? exit : `esbuild failed: ${reply.reason}`, transient: false };
    }
    kill(worker);
    switch (ended.kind) {
      case 'exited':
        return { kind: 'failed', reason: ended.reason, transient: false };
      case 'over-cpu':
        return {
          kind: 'over-budget',
          reason: `esbuild did not finish within ${budget} of CPU time, the limit for all of the submission's files together`,
        };
      case 'over-wall':
        // Under its CPU time budget, or with no way to read it: the time it took may be the machine's doing.
        return {
          kind: 'failed',
          reason: ended.cpuKnown
            ? `esbuild did not finish within ${ended.seconds} s, under its CPU time limit: the machine is too busy ` +
              '(the next run compiles it again)'
            : `esbuild did not finish within ${budget}`,
          transient: true,
        };
    }
  }
}
