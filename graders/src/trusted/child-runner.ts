/**
 * Runs a submission's part bundles in an isolated child (a new one after a crash or a timeout),
 * within the submission's budget: builds each bundle once, sends the runs known ahead in one
 * message, then answers each check's runs as they come, and accounts the children's CPU time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OracleRequest } from '../shared/protocol.js';
import type { PartBundle } from './assignment.js';
import type { BundleOutcome } from './bundle.js';
import { ORACLE_MODULE } from './framework-files.js';
import type { Intake } from './intake.js';
import type { Rubric } from './rubric.js';
import { Sandbox, type QueuedOutcome, type RunOutcome } from './sandbox.js';
import { SubmissionBudget, budgetReason } from './submission-budget.js';
import { SubmissionCompiler } from './untrusted-transform.js';

/** One run a part will ask for: these requests with this part bundle. */
export interface PlannedRun {
  spec: PartBundle;
  requests: OracleRequest[];
}

/** Builds a part's folder of modules from the submission's files, compiled by its compiler (bundle.ts, for one assignment). */
export type BuildBundle = (spec: PartBundle, files: Intake['files'], compiler: SubmissionCompiler) => Promise<BundleOutcome>;

/** How often the budget is checked while a run is under way (the wall clock and the children's CPU time). */
const BUDGET_CHECK_MS = 200;

/**
 * Runs part bundles in a child, starting a fresh one when the previous died, within the
 * submission's budget (submission-budget.ts): once it is spent, the child running is stopped and
 * no run starts any more; each run asked for then ends as a timeout with the budget's reason.
 */
export class ChildRunner {
  private sandbox: Sandbox | null = null;
  readonly budget: SubmissionBudget;
  /** The submission's compiles: in a worker of its own, within the rubric's compileCpuSeconds (untrusted-transform.ts). */
  private readonly compiler: SubmissionCompiler;
  /** CPU time of the children no longer running, and the last reading of the current one's. */
  private pastChildrenCpuMs = 0;
  private currentChildCpuMs = 0;
  private readonly budgetWatch: NodeJS.Timeout;
  /** Runs sent to the child: in the first message, and one by one later (almost all of them to shrink a failure). */
  readonly runs = { planned: 0, later: 0 };
  /**
   * Whether the machine's load may have decided an outcome: a run ended by its time limit or the
   * budget, or a child that did not start. Such a result is not cached.
   */
  loadDependent = false;
  private readonly bundles = new Map<string, { ok: true } | { ok: false; message: string }>();
  /** Outcomes of runs sent ahead (see `plan`), by their requests (the very array the check will pass). */
  private readonly planned = new Map<OracleRequest[], Promise<QueuedOutcome>[]>();
  output = '';
  childStartMs = 0;
  bundleMs = 0;
  /**
   * The children's CPU time, read from /proc (kernel and isolation wrappers included): to start
   * and be ready, and in all. A child that crashed or was killed is not counted in the total.
   */
  readonly childCpuMs: { start?: number; total?: number } = {};

  private countCpu(key: 'start' | 'total', ms: number | null): void {
    if (ms !== null) this.childCpuMs[key] = (this.childCpuMs[key] ?? 0) + ms;
  }

  constructor(
    private readonly scratch: string,
    private readonly intake: Intake,
    private readonly rubric: Rubric,
    private readonly buildBundle: BuildBundle,
  ) {
    this.budget = SubmissionBudget.of(rubric.limits);
    this.compiler = new SubmissionCompiler(rubric.limits.compileCpuSeconds);
    this.budgetWatch = setInterval(() => this.budgetSpent(), BUDGET_CHECK_MS);
    this.budgetWatch.unref();
  }

  /** Why the submission's budget is spent (and the child stopped), or null while some is left. */
  budgetSpent(): string | null {
    if (this.budget.spent !== null) return this.budget.spent;
    const cpu = this.sandbox?.cpuMsSoFar();
    if (cpu !== null && cpu !== undefined) this.currentChildCpuMs = cpu;
    const spent = this.budget.check(this.pastChildrenCpuMs + this.currentChildCpuMs);
    if (spent !== null) {
      this.loadDependent = true;
      this.sandbox?.kill();
    }
    return spent;
  }

  /**
   * The kernel's CPU limit for a new child: 16 run limits, or what is left of the CPU budget when
   * less, plus 2 s so that the budget's watch, which gives the reason, acts first.
   */
  private childCpuSeconds(): number {
    const { timeoutSeconds, submissionCpuSeconds } = this.rubric.limits;
    return Math.min(timeoutSeconds * 16, Math.ceil(submissionCpuSeconds - this.pastChildrenCpuMs / 1000) + 2);
  }

  private budgetOutcome(spent: string): RunOutcome {
    return { kind: 'timeout', reason: budgetReason(spent) };
  }

  /** A run's outcome as the checks see it: a run the budget stopped (or never started) says so. */
  private async settled(outcome: Promise<QueuedOutcome>): Promise<QueuedOutcome> {
    const settled = await outcome;
    if (settled.kind === 'answer') return settled;
    const spent = this.budget.spent;
    if (spent !== null) return this.budgetOutcome(spent);
    if (settled.kind === 'timeout') this.loadDependent = true;
    return settled;
  }

  private async build(spec: PartBundle): Promise<{ ok: true } | { ok: false; message: string }> {
    let built = this.bundles.get(spec.name);
    if (!built) {
      // The first build is the submission's first work of its own: its wall-clock budget starts.
      this.budget.start();
      const started = performance.now();
      const outcome = await this.buildBundle(spec, this.intake.files, this.compiler);
      if (outcome.ok) {
        mkdirSync(join(this.scratch, spec.name));
        for (const [name, code] of outcome.files) writeFileSync(join(this.scratch, spec.name, name), code);
      }
      this.bundleMs += performance.now() - started;
      // A compile worker that did not start may be the load's doing (a compile stopped by its CPU time budget is not).
      if (!outcome.ok && outcome.transient) this.loadDependent = true;
      built = outcome.ok ? { ok: true } : { ok: false, message: outcome.message };
      this.bundles.set(spec.name, built);
    }
    return built;
  }

  /** A live child: the current one, or a new one. */
  private async child(): Promise<Sandbox | { kind: 'crashed'; reason: string }> {
    if (this.sandbox?.alive) return this.sandbox;
    await this.stopChild();
    this.sandbox = null;
    const started = performance.now();
    try {
      this.sandbox = await Sandbox.start(this.scratch, { ...this.rubric.limits, cpuSeconds: this.childCpuSeconds() });
    } catch (error) {
      this.sandbox = null;
      this.loadDependent = true;
      return { kind: 'crashed', reason: (error as Error).message };
    }
    this.childStartMs += performance.now() - started;
    this.countCpu('start', this.sandbox.startCpuMs);
    return this.sandbox;
  }

  /**
   * Sends the runs the parts will ask for to the child in one message, ahead of the checks that
   * judge them. A run whose part does not compile is left out (its part reports that).
   */
  async plan(runs: PlannedRun[]): Promise<void> {
    const ready: PlannedRun[] = [];
    for (const run of runs) if ((await this.build(run.spec)).ok) ready.push(run);
    if (this.budgetSpent() !== null) return;
    const child = await this.child();
    if (!(child instanceof Sandbox)) return;
    const outcomes = child.runAll(ready.map((run) => ({ bundle: `${run.spec.name}/${ORACLE_MODULE}.js`, requests: run.requests })));
    this.runs.planned += ready.length;
    ready.forEach((run, i) => this.planned.set(run.requests, [...(this.planned.get(run.requests) ?? []), this.settled(outcomes[i])]));
  }

  async run(spec: PartBundle, requests: OracleRequest[]): Promise<RunOutcome | { kind: 'compile-error'; reason: string }> {
    const built = await this.build(spec);
    if (!built.ok) return { kind: 'compile-error', reason: `could not compile: ${built.message}` };
    const ahead = this.planned.get(requests)?.shift();
    if (ahead) {
      const outcome = await ahead;
      if (outcome.kind !== 'cancelled') return outcome;
      // An earlier run stopped that child before this one ran: run it again, in a new child.
    }
    for (;;) {
      const spent = this.budgetSpent();
      if (spent !== null) return this.budgetOutcome(spent);
      const child = await this.child();
      if (!(child instanceof Sandbox)) return child;
      this.runs.later++;
      const outcome = await this.settled(child.runAll([{ bundle: `${spec.name}/${ORACLE_MODULE}.js`, requests }])[0]);
      // Cancelled only when it waited behind a planned run that stopped the child; alone in a new child it runs.
      if (outcome.kind !== 'cancelled') return outcome;
    }
  }

  private async stopChild(): Promise<void> {
    if (!this.sandbox) return;
    const cpu = this.sandbox.cpuMsSoFar();
    if (cpu !== null) this.currentChildCpuMs = cpu;
    this.keepOutput(await this.sandbox.stop());
    this.countCpu('total', this.sandbox.totalCpuMs);
    // A child that died is counted up to the last reading of its CPU time (the budget's watch reads it every 200 ms).
    this.pastChildrenCpuMs += this.sandbox.totalCpuMs ?? this.currentChildCpuMs;
    this.currentChildCpuMs = 0;
  }

  /** Output of all the children of this submission, together no longer than the rubric's cap. */
  private keepOutput(more: string): void {
    this.output = (this.output + more).slice(0, this.rubric.limits.outputKiB * 1024);
  }

  async stop(): Promise<void> {
    clearInterval(this.budgetWatch);
    await this.stopChild();
    this.sandbox = null;
  }
}

export type Run = (requests: OracleRequest[]) => Promise<RunOutcome>;

/** `runner`'s runs of `spec` as the checks see them: a compile error is a crash with its reason. */
export function asRun(runner: ChildRunner, spec: PartBundle): Run {
  return async (requests) => {
    const outcome = await runner.run(spec, requests);
    return outcome.kind === 'compile-error' ? { kind: 'crashed', reason: outcome.reason } : outcome;
  };
}
