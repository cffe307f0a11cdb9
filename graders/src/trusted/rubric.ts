/**
 * The rubric: points, runs, tolerances and limits for every part, in one file TAs may edit (the
 * assignment's rubric.json by default, or `grade --rubric FILE`). Validated on load, against the
 * schema and against the assignment's registry of parts, so that a typo is a clear message naming
 * the file and the field, not a wrong grade: every part of the registry must be there, with
 * exactly its checks. Each part's title and file come from the registry.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { partTitle, type AssignmentDefinition } from './assignment.js';

const check = z.object({ id: z.string().min(1), points: z.number().min(0) }).strict();

const part = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a part id of letters, digits, ".", "_" and "-"'),
    title: z.string().min(1).optional().describe("ignored: the title comes from the assignment's registry"),
    file: z.string().min(1).optional().describe("the submission file this part grades; when given, it must be the registry's"),
    max: z.number().min(0),
    runs: z.number().int().min(1).max(10_000).optional().describe('fast-check runs per property'),
    checks: z.array(check).optional(),
    manual: z.object({ points: z.number().min(0), file: z.string(), what: z.string() }).strict().optional(),
    targetLoss: z.number().positive().optional(),
    partialCredit: z.enum(['per-entry', 'none']).optional(),
  })
  .strict();

const rubricSchema = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    tolerance: z.object({ atol: z.number().min(0), rtol: z.number().min(0), step: z.number().positive() }).strict(),
    limits: z
      .object({
        timeoutSeconds: z.number().positive().describe('wall-clock limit for one run in the child'),
        // A whole submission, every run and child included. A complete solution takes about 0.7 s of
        // wall time and 0.3 s of its children's CPU (BENCHMARKS.md); the slowest of the 63 wrong-corpus
        // submissions, which shrink failures, 2.5 s and 0.6 s (graded 2 at a time on 2 busy cores). The
        // defaults leave a margin of about a hundred and bound what held-back answers can cost to minutes.
        submissionSeconds: z.number().positive().default(180).describe("wall-clock budget of a whole submission's grading"),
        submissionCpuSeconds: z.number().positive().default(120).describe("CPU time budget of a submission's child processes, all together"),
        // The wrong corpus asks at most 85 shrinking runs per submission, all its checks together.
        shrinkRuns: z.number().int().min(0).default(100).describe('runs one check may ask of the child to shrink a failure'),
        heapMiB: z.number().int().min(32).describe('V8 heap limit, used only where the kernel cannot limit memoryMiB'),
        memoryMiB: z.number().int().min(64).describe('resident memory of the child, Buffers and typed arrays included'),
        outputKiB: z.number().int().min(1),
        fileKiB: z.number().int().min(1).describe('largest submission file accepted'),
      })
      .strict(),
    parts: z.array(part).min(1),
  })
  .strict()
  .superRefine((rubric, ctx) => {
    const seen = new Set<string>();
    rubric.parts.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['parts', i, 'id'], message: `duplicate part id ${p.id}` });
      seen.add(p.id);
      const checkPoints = (p.checks ?? []).reduce((sum, c) => sum + c.points, 0);
      const autoPoints = p.partialCredit === 'per-entry' ? p.max - (p.manual?.points ?? 0) : checkPoints;
      if (Math.abs(autoPoints + (p.manual?.points ?? 0) - p.max) > 1e-9) {
        ctx.addIssue({
          code: 'custom',
          path: ['parts', i],
          message: `${p.id}: its checks (${checkPoints}) and manual points (${p.manual?.points ?? 0}) must add up to max (${p.max})`,
        });
      }
    });
  });

type RawRubric = z.infer<typeof rubricSchema>;
/** A rubric part, with the title and the file its assignment's registry gives it. */
export type RubricPart = RawRubric['parts'][number] & { title: string; file: string };
export type Rubric = Omit<RawRubric, 'parts'> & { parts: RubricPart[] };
export type RubricTolerance = Rubric['tolerance'];

export class RubricError extends Error {
  override name = 'RubricError';
}

/** The problems of a schema-valid rubric against the assignment's registry, one line each. */
function registryProblems(rubric: RawRubric, assignment: AssignmentDefinition): string[] {
  const problems: string[] = [];
  const known = assignment.parts.map((p) => p.id);
  rubric.parts.forEach((p, i) => {
    const definition = assignment.parts.find((d) => d.id === p.id);
    if (!definition) {
      problems.push(`parts.${i}.id: ${assignment.name} has no part "${p.id}"${suggestion(p.id, known)}; its parts are ${known.join(', ')}`);
      return;
    }
    if (p.file !== undefined && p.file !== definition.file) problems.push(`parts.${i}.file: ${p.id} grades ${definition.file}, not ${p.file}`);
    const checks = (p.checks ?? []).map((c) => c.id);
    const expected = [...definition.checks];
    (p.checks ?? []).forEach((c, j) => {
      if (!expected.includes(c.id)) {
        const valid = expected.length === 0 ? `${p.id} has no checks to give points to` : `the checks of ${p.id} are ${expected.join(', ')}`;
        problems.push(`parts.${i}.checks.${j}.id: no check "${c.id}"${suggestion(c.id, expected)}; ${valid}`);
      }
    });
    const missing = expected.filter((id) => !checks.includes(id));
    if (missing.length > 0) problems.push(`parts.${i}.checks: ${p.id} must give points to ${missing.join(', ')} (0 is allowed)`);
    if (p.manual && definition.manualFile === undefined) problems.push(`parts.${i}.manual: ${p.id} has no text for a TA to score`);
    if (p.manual && definition.manualFile !== undefined && p.manual.file !== definition.manualFile) {
      problems.push(`parts.${i}.manual.file: ${p.id}'s text for the TA is ${definition.manualFile}, not ${p.manual.file}`);
    }
  });
  const missing = known.filter((id) => !rubric.parts.some((p) => p.id === id));
  if (missing.length > 0) problems.push(`parts: ${missing.join(', ')} of ${assignment.name} ${missing.length === 1 ? 'is' : 'are'} missing (give max 0 to leave a part out)`);
  return problems;
}

/** ' (did you mean "X"?)' for the closest of `known` to `id`, when one is close. */
function suggestion(id: string, known: readonly string[]): string {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length];
  };
  const best = [...known].sort((a, b) => distance(id, a) - distance(id, b))[0];
  return best !== undefined && distance(id, best) <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

/**
 * Reads and validates `assignment`'s rubric (or the file at `path`); the error names the file and
 * each wrong field, and for an unknown part or check id the valid ones.
 */
export function loadRubric(assignment: AssignmentDefinition, path = assignment.rubric): Rubric {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RubricError(`cannot read the rubric ${path}: ${(error as Error).message}`);
  }
  const parsed = rubricSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new RubricError(`the rubric ${path} is not valid:\n${problems.join('\n')}`);
  }
  const problems = registryProblems(parsed.data, assignment);
  if (problems.length > 0) throw new RubricError(`the rubric ${path} does not fit ${assignment.name}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const parts = parsed.data.parts.map((p) => {
    const definition = assignment.parts.find((d) => d.id === p.id)!;
    return { ...p, title: partTitle(assignment, definition), file: definition.file };
  });
  return { ...parsed.data, parts };
}

export function rubricMax(rubric: Rubric): number {
  return rubric.parts.reduce((sum, p) => sum + p.max, 0);
}

/** Points of a check by id, 0 when the rubric does not list it. */
export function checkPoints(part: RubricPart, checkId: string): number {
  return part.checks?.find((c) => c.id === checkId)?.points ?? 0;
}
