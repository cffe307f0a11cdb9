/**
 * Grades a submission's parts, as the assignment's registry defines them: each part's code runs
 * in one isolated child (child-runner.ts), and every answer is judged here, in the trusted parent.
 * One part's failure never affects another part's grade. The runs every part will need are known
 * before any runs (the cases depend on the seed only), so they go to the child in one message and
 * the parent judges each answer while the child computes the next; only shrinking a failure asks
 * more. Loaded only when a submission is actually graded (a cached regrade never loads the
 * checks, esbuild or the sandbox).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OracleRequest } from '../shared/protocol.js';
import type { PartContext, PartDefinition } from './assignment.js';
import { bundlerFor } from './bundle.js';
import { ChildRunner, asRun, type PlannedRun } from './child-runner.js';
import { firstRequests, type ShrinkBound } from './checks/property.js';
import type { GradeOptions, SubmissionTimings } from './grade-options.js';
import type { Intake } from './intake.js';
import { stopChildrenOnInterrupt } from './interrupt.js';
import { osIsolation } from './os-isolation.js';
import { SCRATCH_PACKAGE_JSON, SHARED_DIR } from './part-folder-layout.js';
import type { PartResult } from './result.js';
import { boundedPart } from './result-bounds.js';
import { checkPoints, type RubricPart } from './rubric.js';
import { isolationLayers } from './sandbox-layers.js';
import { makeScratchFolder, removeScratchFolder } from './scratch.js';
import { byHandOnly, gradePropertyPart, gradedOrGraderError, missingPart, withSeedAndRuns } from './score-part.js';
import { manualReview, withManualItem } from './manual-answer.js';

/** The registry's definition of a rubric part (the rubric is checked against the registry when it is loaded). */
function definitionOf(part: RubricPart, options: GradeOptions): PartDefinition {
  const definition = options.assignment.parts.find((p) => p.id === part.id);
  if (!definition) throw new Error(`the rubric names ${part.id}, which ${options.assignment.name} does not define`);
  return definition;
}

/** Every run `parts` will ask for before any shrinking, in the order they will ask. */
function plannedRuns(parts: RubricPart[], intake: Intake, options: GradeOptions): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (const part of parts) {
    if (!intake.files.has(part.file)) continue;
    const definition = definitionOf(part, options);
    if (!definition.bundle) continue;
    const checks = definition.properties?.(options.rubric.tolerance) ?? [];
    checks.forEach((_, i) =>
      runs.push({ spec: definition.bundle!, requests: firstRequests(withSeedAndRuns(part, options.seed, checks, i)) }),
    );
    // The very arrays the part will pass to `run`: a planned run is found again by its requests.
    for (const requests of definition.plannedRequests ?? []) runs.push({ spec: definition.bundle, requests: requests as OracleRequest[] });
  }
  return runs;
}

function gradePartOrThrow(part: RubricPart, runner: ChildRunner, intake: Intake, options: GradeOptions): Promise<PartResult> {
  if (!intake.files.has(part.file)) return Promise.resolve(missingPart(part, intake));
  const definition = definitionOf(part, options);
  const bound: ShrinkBound = { runs: options.rubric.limits.shrinkRuns, spent: () => runner.budgetSpent() };
  const propertyResult = (): Promise<PartResult> => {
    if (!definition.bundle || !definition.properties) throw new Error(`${part.id} has no property checks to run`);
    return gradePropertyPart(part, options.seed, asRun(runner, definition.bundle), definition.properties(options.rubric.tolerance), bound);
  };
  // A part graded by a TA alone: nothing to run, its points are all manual (see withManualItem).
  if (!definition.grade && !definition.properties) return Promise.resolve(byHandOnly(part));
  if (!definition.grade) return propertyResult();
  const context: PartContext = {
    part,
    seed: options.seed,
    tolerance: options.rubric.tolerance,
    files: intake.files,
    releaseAnswers: options.releaseAnswers === true,
    points: (id) => checkPoints(part, id),
    run: (bundle, requests) => asRun(runner, bundle)(requests),
    propertyResult,
  };
  return definition.grade(context);
}

async function gradePart(part: RubricPart, runner: ChildRunner, intake: Intake, options: GradeOptions): Promise<PartResult> {
  const review = manualReview(part, intake.files, options.assignment.handout);
  const result = await gradedOrGraderError(part, () => gradePartOrThrow(part, runner, intake, options), review);
  return review ? withManualItem(result, part, review) : result;
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
export async function gradeParts(
  intake: Intake,
  parts: RubricPart[],
  options: GradeOptions,
  timings: SubmissionTimings,
): Promise<GradedParts> {
  stopChildrenOnInterrupt();
  const bundler = bundlerFor(options.assignment);
  const scratch = makeScratchFolder(osIsolation().dropsPrivileges);
  const runner = new ChildRunner(scratch, intake, options.rubric, bundler.bundlePart);
  const results: PartResult[] = [];
  try {
    writeFileSync(join(scratch, 'package.json'), SCRATCH_PACKAGE_JSON);
    mkdirSync(join(scratch, SHARED_DIR));
    for (const [name, code] of await bundler.sharedModules()) writeFileSync(join(scratch, SHARED_DIR, name), code);
    writeFileSync(join(scratch, 'child.mjs'), await bundler.childMain());
    await runner.plan(plannedRuns(parts, intake, options));
    for (const part of parts) {
      options.onPartStarted?.(part.id);
      const started = performance.now();
      // Bounded as it is assembled: its texts and values come partly from the child (result-bounds.ts).
      results.push(boundedPart(await gradePart(part, runner, intake, options)));
      timings.partsMs[part.id] = performance.now() - started;
    }
    options.onPartStarted?.(null);
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
