/**
 * esbuild's transform of the student's files, run as untrusted work. esbuild's parser can be made
 * to run for minutes and take gigabytes (64 KiB of nested blocks or of minus signs does both), or
 * to die; esbuild's service is shared by its whole process, and after a crash it stays dead. So the
 * student's files are compiled in worker processes (transform-worker-pool.ts), whose esbuild service
 * is their child, under a memory limit. A file that kills esbuild, or is stopped, costs its own
 * submission's compile only: the worker's process group is killed, and the next compile gets a new
 * worker.
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
 * - The budget is CPU time, read from /proc (metered-compile.ts): what compiling a file costs is the
 *   file's own, whatever the machine's load, so a compile stopped by the budget is kept like a
 *   compile error. Wall time only backs it up, at many times the budget; where /proc cannot be read
 *   the budget is applied to wall time, and a compile stopped by either may be the load's doing.
 */
import { createHash } from 'node:crypto';
import type * as esbuild from 'esbuild';
import type { TransformOutcome } from './compile-messages.js';
import { compileInWorker, type CompileEnd } from './metered-compile.js';
import { exitWithin, giveBackWorker, killWorker, ranOutOfMemory, takeWorker, type TransformWorker } from './transform-worker-pool.js';

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

const formatSeconds = (ms: number): string => `${Math.round(ms) / 1000} s`;

/**
 * The compiles of one submission: in a worker of its own, one file at a time, within a budget of
 * CPU time for all its files together. Never rejects: a failed compile says why.
 */
export class SubmissionCompiler {
  private worker: TransformWorker | null = null;
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
        if (--this.queued === 0) this.releaseWorker();
      });
    this.queue = outcome;
    return outcome;
  }

  private releaseWorker(): void {
    giveBackWorker(this.worker);
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
  private async outcomeOf(worker: TransformWorker, ended: CompileEnd, budget: string): Promise<TransformOutcome> {
    if (ended.kind === 'replied') {
      const { id: _, ...reply } = ended.reply;
      if (reply.kind !== 'failed') return reply;
      killWorker(worker);
      // esbuild's own words are "The service was stopped"; how the worker ended tells more (out of memory).
      const exit = await exitWithin(worker, 1000);
      return { kind: 'failed', reason: ranOutOfMemory(exit) ? exit : `esbuild failed: ${reply.reason}`, transient: false };
    }
    killWorker(worker);
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
