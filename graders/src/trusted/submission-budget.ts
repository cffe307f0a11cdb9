/**
 * A submission's budget: wall-clock time from the start of its own work, and the CPU time of all
 * its child processes together (read from /proc by the parent, never reported by a child). Each
 * run has its own time limit as well, but a submission can ask for many runs: shrinking a failure
 * asks the child case by case, so an answer held back just under the run's limit, on cases that
 * keep failing, would cost a fresh limit per case. The budget bounds them all; once it is spent,
 * no run starts any more (see ChildRunner in grade-parts.ts).
 */
import type { Rubric } from './rubric.js';

export class SubmissionBudget {
  private started: number | null = null;
  private spentReason: string | null = null;

  constructor(
    private readonly wallSeconds: number,
    private readonly cpuSeconds: number,
  ) {}

  static of(limits: Rubric['limits']): SubmissionBudget {
    return new SubmissionBudget(limits.submissionSeconds, limits.submissionCpuSeconds);
  }

  /**
   * Starts the wall clock, once: when the submission's own work starts (compiling its files, in a
   * compile worker of its own). The time it waited before, for what every submission shares (the
   * grader's modules, compiled once per process), is not its own.
   */
  start(): void {
    this.started ??= performance.now();
  }

  /**
   * Why the budget is spent ("the submission's time budget (180 s) ran out"), or null while some
   * is left; `childCpuMs` is the CPU time its children have used so far. Once spent, it stays so.
   */
  check(childCpuMs: number): string | null {
    if (this.spentReason === null) {
      if (this.started !== null && performance.now() - this.started >= this.wallSeconds * 1000) {
        this.spentReason = `the submission's time budget (${this.wallSeconds} s) ran out`;
      } else if (childCpuMs >= this.cpuSeconds * 1000) {
        this.spentReason = `the submission's CPU time budget (${this.cpuSeconds} s) ran out`;
      }
    }
    return this.spentReason;
  }

  /** The reason already found, without reading the clock: null while the budget was not found spent. */
  get spent(): string | null {
    return this.spentReason;
  }
}

/** The reason a part gets when the budget ran out before it finished. */
export function budgetReason(spent: string): string {
  return `${spent} before this part finished`;
}
