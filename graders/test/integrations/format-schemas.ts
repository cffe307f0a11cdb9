/**
 * The result formats of other systems, as zod schemas written from their specifications
 * (../shared/notes/result-formats.md): Gradescope's results.json and GitHub Classroom's grader
 * result. Strict objects, so a misspelt or invented field fails as surely as a missing one.
 */
import { z } from 'zod';

const gradescopeFormat = z.enum(['text', 'html', 'simple_format', 'md', 'ansi']);
const gradescopeVisibility = z.enum(['hidden', 'after_due_date', 'after_published', 'visible']);

export const gradescopeTestSchema = z
  .object({
    score: z.number().optional(),
    max_score: z.number().optional(),
    status: z.enum(['passed', 'failed']).optional(),
    name: z.string().optional(),
    name_format: gradescopeFormat.optional(),
    number: z.string().optional(),
    output: z.string().optional(),
    output_format: gradescopeFormat.optional(),
    tags: z.array(z.string()).optional(),
    visibility: gradescopeVisibility.optional(),
    extra_data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const gradescopeResultsSchema = z
  .object({
    score: z.number().optional(),
    execution_time: z.number().optional(),
    output: z.string().optional(),
    output_format: gradescopeFormat.optional(),
    test_output_format: gradescopeFormat.optional(),
    test_name_format: gradescopeFormat.optional(),
    visibility: gradescopeVisibility.optional(),
    stdout_visibility: gradescopeVisibility.optional(),
    extra_data: z.record(z.string(), z.unknown()).optional(),
    tests: z.array(gradescopeTestSchema).optional(),
    leaderboard: z
      .array(z.object({ name: z.string(), value: z.union([z.number(), z.string()]), order: z.enum(['asc', 'desc']).optional() }).strict())
      .optional(),
  })
  .strict()
  .refine(
    (r) => r.score !== undefined || (r.tests ?? []).every((t) => t.score !== undefined),
    'score is required unless every test has one',
  );

const classroomStatus = z.enum(['pass', 'fail', 'error']);

export const classroomResultSchema = z
  .object({
    version: z.literal(1),
    status: classroomStatus,
    max_score: z.number(),
    tests: z.array(
      z
        .object({
          name: z.string(),
          status: classroomStatus,
          score: z.number(),
          message: z.string(),
          test_code: z.string(),
          filename: z.string(),
          line_no: z.number().int(),
          duration: z.number(),
        })
        .strict(),
    ),
  })
  .strict();

/** What the Classroom reporter does with a runner's `<ID>_RESULTS`: base64 → JSON. */
export function decodeClassroomResult(base64: string): unknown {
  return JSON.parse(Buffer.from(base64.trim(), 'base64').toString('utf8'));
}

/** The reporter's check-run line: the tests' scores added up over max_score. */
export function classroomPointsLine(result: z.infer<typeof classroomResultSchema>): string {
  const total = result.tests.reduce((sum, t) => sum + t.score, 0);
  return `Points ${Math.round(total * 100) / 100}/${result.max_score}`;
}
