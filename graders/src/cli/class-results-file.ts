/**
 * Reads the class results a previous run left in an output folder (its `results.json`), so that a
 * run over part of the class can keep the rest (class-merge.ts). The file is the grader's own
 * output, but it may come from an older grader, be cut short, or have been edited: it is checked
 * against the result model before anything is computed from it, and the error names the file and
 * the first field that does not fit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ClassResult, SubmissionStatus } from '../trusted/result.js';
import { PART_STATUS_LABEL } from '../trusted/reports/part-feedback.js';
import { InputError } from '../trusted/input-error.js';
import { withExtensions } from './merge.js';

/** A results.json in the output folder that cannot be kept: not JSON, not the grader's results, or an id twice. */
export class ClassResultsFileError extends InputError {
  override name = 'ClassResultsFileError';
  constructor(code: `E_CLASS_RESULTS_${string}`, message: string) {
    super(code, message);
  }
}

/** Every submission status a results.json may hold (a newer one than this grader knows is refused, not guessed at). */
const SUBMISSION_STATUSES = ['graded', 'error', 'no-submission'] as const;
/** Fails to compile when the result model gains a status this list lacks. */
const EVERY_STATUS_LISTED: Exclude<SubmissionStatus, (typeof SUBMISSION_STATUSES)[number]> extends never ? true : never = true;
void EVERY_STATUS_LISTED;

const points = z.number().finite();
const matrix = z.array(z.array(z.number().nullable()));

/** Objects are loose: fields this grader does not read are kept as they are, so a kept result is written back whole. */
const check = z.looseObject({
  name: z.string(),
  passed: z.boolean(),
  points,
  max: points,
  message: z.string(),
  hint: z.string().optional(),
  diagnosis: z.string().optional(),
  counterexample: z
    .looseObject({ expression: z.string(), shapes: z.record(z.string(), z.array(z.number())), inputs: z.record(z.string(), z.unknown()) })
    .optional(),
  replay: z.looseObject({ seed: z.number(), path: z.string() }).optional(),
  matrix: z
    .looseObject({ expected: matrix.optional(), got: matrix.nullable(), wrong: z.array(z.array(z.boolean())).nullable() })
    .optional(),
});

const part = z.looseObject({
  id: z.string(),
  title: z.string(),
  points,
  max: points,
  status: z.enum(Object.keys(PART_STATUS_LABEL) as [string, ...string[]]),
  reason: z.string().optional(),
  checks: z.array(check),
  review: z.looseObject({ file: z.string(), text: z.string().nullable() }).optional(),
  manual: z.looseObject({ points, comment: z.string() }).optional(),
  extension: z.record(z.string(), z.unknown()).optional(),
});

const submission = z.looseObject({
  id: z.string().min(1),
  total: points,
  max: points,
  status: z.enum(SUBMISSION_STATUSES),
  error: z.string().optional(),
  intake: z.array(z.looseObject({ file: z.string(), problem: z.string() })),
  isolation: z.array(z.string()),
  output: z.string(),
  parts: z.array(part),
});

const classResult = z.looseObject({
  seed: z.number().int(),
  rubric: z.looseObject({
    name: z.string(),
    version: z.string(),
    max: points,
    parts: z.array(z.looseObject({ id: z.string(), title: z.string(), max: points })),
  }),
  submissions: z.array(submission),
});

/** "submissions[3].parts[0].points: expected number, received string", for the first problem zod found. */
function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
  return `${path || 'the top level'}: ${issue.message}`;
}

/**
 * The class result in the results file at `path`, or null when there is none. Results written
 * before parts kept their assignment's data under `extension` are moved there, as `grade merge`
 * does for old shards.
 */
export function readClassResults(path: string): ClassResult | null {
  if (!existsSync(path)) return null;
  const fix = 'grade the whole class with --fresh to start it over, or use another --out folder';
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const invalid = `${path} is not valid JSON (${(error as Error).message})`;
    throw new ClassResultsFileError('E_CLASS_RESULTS_INVALID_JSON', `${invalid}, so the class it held cannot be kept; ${fix}`);
  }
  // Checked on the file's own values; the parsed copy would drop nothing, but the original is what is kept.
  const parsed = classResult.safeParse(value);
  if (!parsed.success) {
    const problem = firstProblem(parsed.error);
    throw new ClassResultsFileError('E_CLASS_RESULTS_FORMAT', `${path} is not a results.json this grader can read (${problem}); ${fix}`);
  }
  const result = withExtensions(value as ClassResult);
  const seen = new Set<string>();
  for (const { id } of result.submissions) {
    if (seen.has(id)) {
      throw new ClassResultsFileError('E_CLASS_RESULTS_DUPLICATE_ID', `${path} holds submission ${JSON.stringify(id)} twice; ${fix}`);
    }
    seen.add(id);
  }
  return result;
}

/** The ids of the submissions in the results file at `path`; none when it is missing or unreadable (a run that starts over reads it only to clean up). */
export function idsInClassResults(path: string): string[] {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as { submissions?: unknown };
    if (!Array.isArray(value.submissions)) return [];
    return value.submissions.flatMap((s: unknown) => (typeof (s as { id?: unknown })?.id === 'string' ? [(s as { id: string }).id] : []));
  } catch {
    return [];
  }
}
