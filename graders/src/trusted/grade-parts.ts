/**
 * Runs a submission's parts: builds each part's code, runs it in one isolated child (a new one
 * after a crash or a timeout), and judges every answer here, in the trusted parent. One part's
 * failure never affects another part's grade. The runs every part will need are known before
 * any runs (the cases depend on the seed only), so they go to the child in one message and the
 * parent judges each answer while the child computes the next; only shrinking a failure asks more. Loaded only when a submission is actually graded
 * (a cached regrade never loads the checks, esbuild or the sandbox).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OracleRequest, OracleResponse } from '../shared/protocol.js';
import { BUNDLES, SCRATCH_PACKAGE_JSON, SHARED_DIR, bundleChildMain, bundlePart, sharedModules, type BundleSpec } from './bundle.js';
import type { GradeOptions, SubmissionTimings } from './grade-submission.js';
import type { Intake } from './intake.js';
import type { CheckResult, PartResult, PartStatus } from './result.js';
import type { Rubric, RubricPart } from './rubric.js';
import { Sandbox, isolationLayers, type QueuedOutcome, type RunOutcome } from './sandbox.js';
import { osIsolation } from './os-isolation.js';
import { makeScratchFolder, removeScratchFolder } from './scratch.js';
import { SubmissionBudget, budgetReason } from './submission-budget.js';
import { stopChildrenOnInterrupt } from './interrupt.js';
import { checkProperty, checkResult, firstRequests, type PropertyOutcome, type PropertySpec, type ShrinkBound } from './checks/property.js';
import { GRAPH_FAMILIES, graphRequest, judgeGraph, type GraphCase } from './checks/q1a-backward.js';
import { OP_SPECS, judgeOp, type OpCase, type OpName } from './checks/q1b-ops.js';
import { judgeMse, mseCaseArb, type MseCase } from './checks/q1c-mse.js';
import { REGRESSION_DATA, judgeRegression } from './checks/q1d-regression.js';
import { convCaseArb, convNotImplemented, convRequest, judgeConv, primitiveCalls, type ConvCase, type ConvGradient } from './checks/q2-conv.js';
import { gradeQ3, type Q3Name } from './checks/q3-by-hand.js';
import { graderErrorReason, judgeFailureMessage } from './checks/judge-failure.js';
import { roundPoints } from './points.js';
import { boundedPart } from './result-bounds.js';

/** A seed per part, so that adding a part or changing its runs does not move the others' cases. */
export function partSeed(seed: number, partId: string): number {
  return createHash('sha256').update(`${seed}:${partId}`).digest().readUInt32BE(0) & 0x7fffffff;
}

/** One run a part will ask for: these requests with this part bundle. */
interface PlannedRun {
  spec: BundleSpec;
  requests: OracleRequest[];
}

/** How often the budget is checked while a run is under way (the wall clock and the children's CPU time). */
const BUDGET_CHECK_MS = 200;

/**
 * Runs part bundles in a child, starting a fresh one when the previous died, within the
 * submission's budget (submission-budget.ts): once it is spent, the child running is stopped and
 * no run starts any more; each run asked for then ends as a timeout with the budget's reason.
 */
class ChildRunner {
  private sandbox: Sandbox | null = null;
  readonly budget: SubmissionBudget;
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
  ) {
    this.budget = SubmissionBudget.of(rubric.limits);
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

  private async build(spec: BundleSpec): Promise<{ ok: true } | { ok: false; message: string }> {
    let built = this.bundles.get(spec.dir);
    if (!built) {
      const started = performance.now();
      const outcome = await bundlePart(spec, this.intake.files);
      if (outcome.ok) {
        mkdirSync(join(this.scratch, spec.dir));
        for (const [name, code] of outcome.files) writeFileSync(join(this.scratch, spec.dir, name), code);
      }
      this.bundleMs += performance.now() - started;
      // A compile stopped by its time limit, or a compile worker that did not start, may be the load's doing.
      if (!outcome.ok && outcome.transient) this.loadDependent = true;
      built = outcome.ok ? { ok: true } : { ok: false, message: outcome.message };
      this.bundles.set(spec.dir, built);
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
    const outcomes = child.runAll(ready.map((run) => ({ bundle: `${run.spec.dir}/oracle.js`, requests: run.requests })));
    this.runs.planned += ready.length;
    ready.forEach((run, i) => this.planned.set(run.requests, [...(this.planned.get(run.requests) ?? []), this.settled(outcomes[i])]));
  }

  async run(spec: BundleSpec, requests: OracleRequest[]): Promise<RunOutcome | { kind: 'compile-error'; reason: string }> {
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
      const outcome = await this.settled(child.runAll([{ bundle: `${spec.dir}/oracle.js`, requests }])[0]);
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

type Run = (requests: OracleRequest[]) => Promise<RunOutcome>;

function asRun(runner: ChildRunner, spec: BundleSpec): Run {
  return async (requests) => {
    const outcome = await runner.run(spec, requests);
    return outcome.kind === 'compile-error' ? { kind: 'crashed', reason: outcome.reason } : outcome;
  };
}

/** Assembles a part from its checks; the status says how it ended. */
export function partFromChecks(part: RubricPart, checks: CheckResult[], outcomes: PropertyOutcome[]): PartResult {
  // A judge that threw decides nothing: the part is worth 0 and flagged until a TA looks at it.
  const failure = outcomes.find((o) => o.kind === 'grader-error');
  if (failure?.kind === 'grader-error') {
    const unscored = checks.map((check) => ({ ...check, points: 0 }));
    return { id: part.id, title: part.title, points: 0, max: part.max, status: 'grader-error', reason: graderErrorReason(failure.message), checks: unscored };
  }
  const points = roundPoints(checks.reduce((sum, c) => sum + c.points, 0));
  const aborted = outcomes.find((o) => o.kind === 'aborted');
  let status: PartStatus;
  let reason: string | undefined;
  if (outcomes.length > 0 && outcomes.every((o) => o.kind === 'not-implemented')) {
    status = 'not-implemented';
    reason = checks[0]?.message;
  } else if (aborted && aborted.kind === 'aborted') {
    status = aborted.outcome.kind === 'timeout' ? 'timeout' : 'crashed';
    reason = aborted.outcome.reason;
  } else {
    const max = checks.reduce((sum, c) => sum + c.max, 0);
    status = points >= max - 1e-9 ? 'passed' : points > 0 ? 'partial' : 'failed';
  }
  return { id: part.id, title: part.title, points, max: part.max, status, ...(reason ? { reason } : {}), checks };
}

interface PropertyCheck<C> {
  id: string;
  name: string;
  passedMessage: string;
  property: Omit<PropertySpec<C>, 'seed' | 'runs'>;
  runs?: number;
}

/** Check `i` of a part's `checks` with its seed and number of cases. */
function withSeedAndRuns<C>(part: RubricPart, seed: number, checks: PropertyCheck<C>[], i: number): PropertySpec<C> {
  const runs = checks[i].runs ?? Math.max(1, Math.round((part.runs ?? 50) / checks.length));
  return { ...checks[i].property, seed: partSeed(seed, `${part.id}#${i}`), runs };
}

async function gradePropertyPart<C>(
  part: RubricPart,
  seed: number,
  run: Run,
  checks: PropertyCheck<C>[],
  bound: ShrinkBound,
): Promise<PartResult> {
  const results: CheckResult[] = [];
  const outcomes: PropertyOutcome[] = [];
  for (const [i, check] of checks.entries()) {
    const points = part.checks?.find((c) => c.id === check.id)?.points ?? 0;
    const outcome = await checkProperty(withSeedAndRuns(part, seed, checks, i), run, bound);
    outcomes.push(outcome);
    results.push(checkResult(check.name, points, outcome, check.passedMessage));
    // After a crash or a timeout the remaining checks of this part would only repeat it.
    if (outcome.kind === 'aborted' || outcome.kind === 'not-implemented') {
      for (const rest of checks.slice(i + 1)) {
        const restPoints = part.checks?.find((c) => c.id === rest.id)?.points ?? 0;
        results.push({ name: rest.name, passed: false, points: 0, max: restPoints, message: 'not run: the previous check could not run' });
      }
      break;
    }
  }
  return partFromChecks(part, results, outcomes);
}

function missingPart(part: RubricPart, intake: Intake, file = part.file): PartResult {
  const problem = intake.problems.find((p) => p.file === file);
  const reason = problem ? `${file} ${problem.problem}` : `${file}: file not found`;
  return { id: part.id, title: part.title, points: 0, max: part.max, status: 'missing', reason, checks: [] };
}

/** The probe of which convolution primitives Q2's gradients call (shown to the TA, not scored). */
const PRIMITIVES_PROBE: OracleRequest[] = [
  { image: { shape: [4, 4], data: Array.from({ length: 16 }, (_, i) => i % 5) }, kernel: { shape: [2, 2], data: [1, 2, 3, 4] }, upstream: { shape: [3, 3], data: Array(9).fill(1) }, stride: 1 },
];

/** Q1d's one run: the student's training on the grader's data. */
const REGRESSION_REQUESTS: OracleRequest[] = [{ data: REGRESSION_DATA }];

/** Which gradient a Q2 part grades. */
function convGradientOf(part: RubricPart): ConvGradient {
  return part.id === 'Q2.kernel' ? 'kernel' : 'image';
}

/** The bundle and property checks of a part graded by properties (Q1a, Q1b, Q1c, Q2); null for the others. */
function propertyChecks(part: RubricPart, tolerance: GradeOptions['rubric']['tolerance']): { spec: BundleSpec; checks: PropertyCheck<any>[] } | null {
  if (part.id === 'Q1a') {
    return {
      spec: BUNDLES.tensorBackward,
      checks: GRAPH_FAMILIES.map((family) => ({
        id: family.check,
        name: family.check,
        passedMessage: family.passedMessage,
        property: { arbitrary: family.arbitrary, toRequest: graphRequest, judge: (c: GraphCase, r: OracleResponse) => judgeGraph(c, r, tolerance) },
      })),
    };
  }
  if (part.id.startsWith('Q1b.')) {
    const op = part.id.slice(4) as OpName;
    const spec = OP_SPECS[op];
    if (!spec) throw new Error(`the rubric names ${part.id}, but there is no check for an operation "${op}"`);
    return {
      spec: BUNDLES.opBackward,
      checks: [
        {
          id: 'gradient',
          name: `${op} forward and gradients`,
          passedMessage: `${spec.expression}: value, gradient shapes and finite differences agree`,
          property: {
            arbitrary: spec.arbitrary,
            toRequest: (c: OpCase) => ({ op, inputs: c.inputs, upstream: c.upstream, ...(c.axes ? { axes: c.axes } : {}) }),
            judge: (c: OpCase, r: OracleResponse) => judgeOp(op, c, r, tolerance),
          },
        },
      ],
    };
  }
  if (part.id === 'Q1c') {
    return {
      spec: BUNDLES.mseGraph,
      checks: [
        {
          id: 'value-and-gradient',
          name: 'mse value and gradient',
          passedMessage: 'mse(prediction, target): value and gradients through the graph agree with the reference',
          property: { arbitrary: mseCaseArb, toRequest: (c: MseCase) => ({ prediction: c.prediction, target: c.target }), judge: (c: MseCase, r: OracleResponse) => judgeMse(c, r, tolerance) },
        },
      ],
    };
  }
  if (part.id.startsWith('Q2.')) {
    const which = convGradientOf(part);
    return {
      spec: BUNDLES.convBackward,
      checks: [1, 2].map((stride) => ({
        id: `stride-${stride}`,
        name: `stride ${stride}`,
        passedMessage: `${which === 'kernel' ? 'dL/dK' : 'dL/dV'} agrees with finite differences at stride ${stride}`,
        property: {
          arbitrary: convCaseArb(stride),
          toRequest: convRequest,
          judge: (c: ConvCase, r: OracleResponse) => judgeConv(which, c, r, tolerance),
          notImplemented: (r: OracleResponse) => convNotImplemented(which, r),
        },
      })),
    };
  }
  return null;
}

/** Every run `parts` will ask for before any shrinking, in the order they will ask. */
function plannedRuns(parts: RubricPart[], intake: Intake, options: GradeOptions): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (const part of parts) {
    if (!intake.files.has(part.file)) continue;
    const property = propertyChecks(part, options.rubric.tolerance);
    if (property) {
      property.checks.forEach((_, i) => runs.push({ spec: property.spec, requests: firstRequests(withSeedAndRuns(part, options.seed, property.checks, i)) }));
      if (part.id.startsWith('Q2.')) runs.push({ spec: property.spec, requests: PRIMITIVES_PROBE });
    } else if (part.id === 'Q1d') {
      runs.push({ spec: BUNDLES.regressionTraining, requests: REGRESSION_REQUESTS });
    }
  }
  return runs;
}

/**
 * `grade()`'s result for `part`. When the grader itself throws while grading it, that part alone
 * becomes `grader-error` (0 points, flagged for a TA, with the text a TA scores by hand kept), and
 * the submission's other parts are graded as usual.
 */
export async function gradedOrGraderError(part: RubricPart, grade: () => Promise<PartResult>, review?: PartResult['review']): Promise<PartResult> {
  try {
    return await grade();
  } catch (error) {
    const reason = graderErrorReason(judgeFailureMessage(error));
    return { id: part.id, title: part.title, points: 0, max: part.max, status: 'grader-error', reason, checks: [], ...(review ? { review } : {}) };
  }
}

async function gradePart(part: RubricPart, runner: ChildRunner, intake: Intake, options: GradeOptions): Promise<PartResult> {
  const review = part.manual ? { file: part.manual.file, text: intake.files.get(part.manual.file) ?? null } : undefined;
  return gradedOrGraderError(part, () => gradePartOrThrow(part, runner, intake, options), review);
}

async function gradePartOrThrow(part: RubricPart, runner: ChildRunner, intake: Intake, options: GradeOptions): Promise<PartResult> {
  if (!intake.files.has(part.file) && !part.id.startsWith('Q3')) return missingPart(part, intake);
  const property = propertyChecks(part, options.rubric.tolerance);
  if (property) {
    const run = asRun(runner, property.spec);
    const bound: ShrinkBound = { runs: options.rubric.limits.shrinkRuns, spent: () => runner.budgetSpent() };
    const result = await gradePropertyPart(part, options.seed, run, property.checks, bound);
    if (part.id.startsWith('Q2.')) {
      const which = convGradientOf(part);
      if (result.status !== 'not-implemented' && result.status !== 'crashed' && result.status !== 'timeout') {
        const probe = await run(PRIMITIVES_PROBE);
        const calls = probe.kind === 'answer' ? primitiveCalls(which, probe.responses[0]) : undefined;
        if (calls) result.usedPrimitives = calls;
      }
      if (which === 'kernel') result.review = { file: 'answers/q2.md', text: intake.files.get('answers/q2.md') ?? null };
    }
    return result;
  }
  if (part.id.startsWith('Q3.')) {
    const outcome = gradeQ3(part.id.slice(3) as Q3Name, intake.files.get('answers/q3.json'), part.max, { releaseAnswers: options.releaseAnswers === true });
    if (outcome.status === 'missing') return missingPart(part, intake, 'answers/q3.json');
    return { id: part.id, title: part.title, points: outcome.points, max: part.max, status: outcome.status, ...(outcome.reason ? { reason: outcome.reason } : {}), checks: [outcome.check] };
  }
  if (part.id === 'Q1d') return gradeRegression(part, runner, intake);
  throw new Error(`the rubric names ${part.id}, which this grader does not know`);
}

async function gradeRegression(part: RubricPart, runner: ChildRunner, intake: Intake): Promise<PartResult> {
  const autoPoints = part.checks?.find((c) => c.id === 'trains-and-plots')?.points ?? 0;
  const outcome = await runner.run(BUNDLES.regressionTraining, REGRESSION_REQUESTS);
  const checks: CheckResult[] = [];
  let status: PartStatus;
  let reason: string | undefined;
  let training: PartResult['training'];
  if (outcome.kind === 'answer') {
    const verdict = judgeRegression(outcome.responses[0], part.targetLoss ?? 0.05);
    checks.push({ name: 'trains and plots', passed: verdict.ok, points: verdict.ok ? autoPoints : 0, max: autoPoints, message: verdict.message, ...(verdict.hint ? { hint: verdict.hint } : {}) });
    if (verdict.result) training = verdict.result;
    const notImplemented = 'error' in outcome.responses[0] && outcome.responses[0].error.name === 'NotImplemented';
    status = verdict.ok ? 'passed' : notImplemented ? 'not-implemented' : 'failed';
  } else {
    status = outcome.kind === 'timeout' ? 'timeout' : 'crashed';
    reason = outcome.reason;
    checks.push({ name: 'trains and plots', passed: false, points: 0, max: autoPoints, message: outcome.reason });
  }
  // A part with manual points waits for a TA's score (merged later, see manual-grades.ts).
  if (part.manual && status === 'passed') status = 'pending';
  return {
    id: part.id,
    title: part.title,
    points: roundPoints(checks[0].points),
    max: part.max,
    status,
    ...(reason ? { reason } : {}),
    checks,
    ...(part.manual ? { review: { file: part.manual.file, text: intake.files.get(part.manual.file) ?? null } } : {}),
    ...(training ? { training } : {}),
  };
}

export interface GradedParts {
  parts: PartResult[];
  /** What the child printed, capped; shown in the report, never interpreted. */
  output: string;
  /** The isolation layers the child ran under. */
  isolation: string[];
  /** Whether a run ended by its time limit or the submission's budget: the result depends on the machine's load. */
  dependsOnLoad: boolean;
}

/** Grades `parts` of one submission; fills in the timings of bundling, child start and each part. */
export async function gradeParts(intake: Intake, parts: RubricPart[], options: GradeOptions, timings: SubmissionTimings): Promise<GradedParts> {
  stopChildrenOnInterrupt();
  const scratch = makeScratchFolder(osIsolation().dropsPrivileges);
  const runner = new ChildRunner(scratch, intake, options.rubric);
  const results: PartResult[] = [];
  try {
    writeFileSync(join(scratch, 'package.json'), SCRATCH_PACKAGE_JSON);
    mkdirSync(join(scratch, SHARED_DIR));
    for (const [name, code] of await sharedModules()) writeFileSync(join(scratch, SHARED_DIR, name), code);
    writeFileSync(join(scratch, 'child.mjs'), await bundleChildMain());
    await runner.plan(plannedRuns(parts, intake, options));
    for (const part of parts) {
      const started = performance.now();
      // Bounded as it is assembled: its texts and values come partly from the child (result-bounds.ts).
      results.push(boundedPart(await gradePart(part, runner, intake, options)));
      timings.partsMs[part.id] = performance.now() - started;
    }
  } finally {
    await runner.stop();
    removeScratchFolder(scratch);
  }
  timings.bundleMs = runner.bundleMs;
  timings.childStartMs = runner.childStartMs;
  timings.childCpuMs = runner.childCpuMs;
  timings.childRuns = { ...runner.runs };
  return { parts: results, output: runner.output, isolation: isolationLayers(), dependsOnLoad: runner.loadDependent };
}
