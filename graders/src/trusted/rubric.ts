/**
 * The rubric: points, runs, tolerances and limits for every part, in one file TAs may edit (the
 * assignment's rubric.json by default, or `grade --rubric FILE`): its schema and types. It is
 * read and checked against the assignment's registry by load-rubric.ts.
 */
import { z } from 'zod';
import { InputError } from './input-error.js';

const check = z.object({ id: z.string().min(1), points: z.number().min(0) }).strict();

const part = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a part id of letters, digits, ".", "_" and "-"'),
    title: z.string().min(1).optional().describe("ignored: the title comes from the assignment's registry"),
    file: z.string().min(1).optional().describe("the submission file this part grades; when given, it must be the registry's"),
    max: z.number().min(0),
    runs: z.number().int().min(1).max(10_000).optional().describe('fast-check runs per property'),
    checks: z.array(check).optional(),
    manual: z
      .object({ points: z.number().min(0), file: z.string(), what: z.string() })
      .strict()
      .optional(),
    targetLoss: z.number().positive().optional(),
    partialCredit: z.enum(['per-entry', 'none']).optional(),
  })
  .strict();

export const rubricSchema = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    tolerance: z.object({ atol: z.number().min(0), rtol: z.number().min(0), step: z.number().positive() }).strict(),
    limits: z
      .object({
        timeoutSeconds: z.number().positive().describe('wall-clock limit for one run in the child'),
        // A whole submission, every run and child included. A complete solution takes about 0.7 s of
        // wall time and 0.3 s of its children's CPU (BENCHMARKS.md); the slowest of the 63 wrong-corpus
        // submissions, which shrink failures, 2.5 s and 0.6 s (graded 2 at a time on 2 busy cores). The
        // defaults leave a margin of about a hundred and bound what held-back answers can cost to minutes.
        submissionSeconds: z.number().positive().default(180).describe("wall-clock budget of a whole submission's grading"),
        submissionCpuSeconds: z
          .number()
          .positive()
          .default(120)
          .describe("CPU time budget of a submission's child processes, all together"),
        // esbuild compiles a complete solution's files in 0.03 to 0.06 s of CPU time, and a file of plain code at the size
        // limit (256 KiB) in 0.1 to 0.2 s: the default leaves a margin over 25 such files. Sources made to keep its parser
        // busy for minutes stop here. CPU time, not wall time, so that the verdict is the files' own, whatever the load.
        compileCpuSeconds: z.number().positive().default(10).describe("CPU time esbuild may take on a submission's files, all together"),
        // The wrong corpus asks at most 85 shrinking runs per submission, all its checks together.
        shrinkRuns: z.number().int().min(0).default(100).describe('runs one check may ask of the child to shrink a failure'),
        heapMiB: z.number().int().min(32).describe('V8 heap limit, used only where the kernel cannot limit memoryMiB'),
        memoryMiB: z.number().int().min(64).describe('resident memory of the child, Buffers and typed arrays included'),
        outputKiB: z.number().int().min(1),
        fileKiB: z.number().int().min(1).describe('largest submission file accepted'),
        // A submission's .zip (intake/zip.ts). A student's whole project, node_modules included, is about 5,000
        // entries and 100 MiB unpacked, packed about 3 to 10 times; a zip bomb unpacks to gigabytes, from a
        // million entries or from entries packed a thousand times. Only the files intake reads are ever
        // unpacked, each at most fileKiB, so the limits refuse bombs without refusing an honest project.
        zipEntries: z.number().int().min(1).default(20_000).describe("entries in a submission's zip file"),
        zipMiB: z.number().positive().default(256).describe("a submission's zip file, and its entries' sizes unpacked, all together"),
        zipRatio: z.number().positive().default(100).describe('unpacked over packed size of a zip entry larger than fileKiB'),
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

/** A rubric as its file holds it, before it is checked against an assignment's registry. */
export type RawRubric = z.infer<typeof rubricSchema>;
/** A rubric part, with the title and the file its assignment's registry gives it. */
export type RubricPart = RawRubric['parts'][number] & { title: string; file: string };
export type Rubric = Omit<RawRubric, 'parts'> & { parts: RubricPart[] };
export type RubricTolerance = Rubric['tolerance'];

/** A rubric that cannot be read, is not valid, or does not fit its assignment (load-rubric.ts). */
export class RubricError extends InputError {
  override name = 'RubricError';
  constructor(code: `E_RUBRIC_${string}`, message: string) {
    super(code, message);
  }
}

export function rubricMax(rubric: Rubric): number {
  return rubric.parts.reduce((sum, p) => sum + p.max, 0);
}

/** Points of a check by id, 0 when the rubric does not list it. */
export function checkPoints(part: RubricPart, checkId: string): number {
  return part.checks?.find((c) => c.id === checkId)?.points ?? 0;
}
