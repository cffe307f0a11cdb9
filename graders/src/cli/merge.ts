/**
 * `grade merge DIR...`: joins the outputs of `grade --shard K/N` runs (each folder's results.json
 * and timings.json) into one class result, which then gives exactly the reports (and the same
 * results.json, byte for byte) that grading the whole class in one run gives. It sees the whole
 * class, so it checks the TAs' manual grades file against it (`checkMergedManualGrades`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClassResult, SubmissionResult } from '../trusted/result.js';
import { ManualGradesError, checkManualGrades, resolvedId, type ManualGrade, type ManualGradesFile } from '../trusted/manual-grades.js';
import { InputError } from '../trusted/input-error.js';
import { printable } from './printable.js';

/** Shard outputs that cannot be joined: a folder without a readable results.json, or shards graded differently or overlapping. */
export class MergeError extends InputError {
  override name = 'MergeError';
  constructor(code: `E_MERGE_${string}`, message: string) {
    super(code, message);
  }
}

export interface ShardOutput {
  dir: string;
  result: ClassResult;
  timings: Record<string, unknown>;
}

function isClassResult(value: unknown): value is ClassResult {
  const v = value as ClassResult;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.seed === 'number' &&
    typeof v.rubric === 'object' &&
    v.rubric !== null &&
    Array.isArray(v.rubric.parts) &&
    Array.isArray(v.submissions) &&
    v.submissions.every((s) => typeof s === 'object' && s !== null && typeof s.id === 'string' && Array.isArray(s.parts))
  );
}

/**
 * A result written before parts kept their assignment's data under `extension` had it at the
 * part's top level (`training`, `usedPrimitives`): it moves there, so old shards merge as new ones.
 */
export function withExtensions(result: ClassResult): ClassResult {
  const upgrade = (part: SubmissionResult['parts'][number]): SubmissionResult['parts'][number] => {
    const { training, usedPrimitives, ...rest } = part as typeof part & { training?: unknown; usedPrimitives?: unknown };
    if (training === undefined && usedPrimitives === undefined) return part;
    const moved = { ...(training === undefined ? {} : { training }), ...(usedPrimitives === undefined ? {} : { usedPrimitives }) };
    return { ...rest, extension: { ...moved, ...part.extension } };
  };
  return { ...result, submissions: result.submissions.map((s) => ({ ...s, parts: s.parts.map(upgrade) })) };
}

/** Reads a shard's output folder; the error says which folder and what to pass instead. */
export function readShardOutput(dir: string): ShardOutput {
  const path = join(dir, 'results.json');
  if (!existsSync(path)) {
    const expected = 'pass the --out folders of the shard runs (grade --shard K/N --out DIR ...)';
    throw new MergeError('E_MERGE_NO_RESULTS', `${dir} has no results.json; ${expected}`);
  }
  let result: unknown;
  try {
    result = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MergeError('E_MERGE_INVALID_JSON', `${path} is not valid JSON (${(error as Error).message}); run that shard again`);
  }
  if (!isClassResult(result)) {
    throw new MergeError('E_MERGE_NOT_RESULTS', `${path} is not a results.json written by grade; run that shard again`);
  }
  const upgraded = withExtensions(result);
  let timings: Record<string, unknown> = {};
  try {
    timings = JSON.parse(readFileSync(join(dir, 'timings.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    // Timings are informative only; a shard without them still merges.
  }
  return { dir, result: upgraded, timings };
}

/** Joins shard results graded with the same seed, rubric and parts; ids must not repeat. */
export function mergeShardOutputs(shards: readonly ShardOutput[]): { result: ClassResult; timings: Record<string, unknown> } {
  // The command refuses no folders as a usage error before it reads any.
  if (shards.length === 0) throw new Error('mergeShardOutputs needs at least one shard output');
  const [first] = shards;
  const setting = (r: ClassResult) => JSON.stringify({ seed: r.seed, rubric: r.rubric });
  for (const shard of shards.slice(1)) {
    if (setting(shard.result) !== setting(first.result)) {
      throw new MergeError(
        'E_MERGE_SETTING',
        `${shard.dir} was graded with a different seed, rubric or --only than ${first.dir} ` +
          `(seed ${shard.result.seed} vs ${first.result.seed}, rubric version ${shard.result.rubric.version} vs ${first.result.rubric.version}, ` +
          `${shard.result.rubric.parts.length} vs ${first.result.rubric.parts.length} parts); grade every shard with the same options`,
      );
    }
  }
  const byId = new Map<string, { submission: SubmissionResult; shard: ShardOutput }>();
  for (const shard of shards) {
    for (const submission of shard.result.submissions) {
      const seen = byId.get(submission.id);
      if (seen?.shard === shard) {
        throw new MergeError(
          'E_MERGE_DUPLICATE_ID',
          `submission "${printable(submission.id)}" is in ${join(shard.dir, 'results.json')} twice; an id must name one submission: ` +
            'grade that shard again (grade refuses two folders with the same name)',
        );
      }
      if (seen) {
        const both = `${seen.shard.dir} and ${shard.dir}`;
        const overlap = `submission "${printable(submission.id)}" is in both ${both}`;
        throw new MergeError('E_MERGE_OVERLAP', `${overlap}; shards must not overlap (same N, a different K each)`);
      }
      byId.set(submission.id, { submission, shard });
    }
  }
  const submissions = [...byId.values()].map((entry) => entry.submission).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    result: { seed: first.result.seed, rubric: first.result.rubric, submissions },
    timings: Object.assign({}, ...shards.map((shard) => shard.timings)) as Record<string, unknown>,
  };
}

/**
 * The TAs' manual grades file checked against the merged class: each shard warned of an id it did
 * not have and left its row out, so here an id that names no submission is an error (with "did
 * you mean"), as are two rows for one item. The shards applied the scores, so each score must be
 * in the shards' results as the file gives it, and the results may hold no other: otherwise the
 * shards were graded with another file, and the merged reports would not be what this one says.
 * Nothing is checked when there is no file. Throws ManualGradesError naming the file and lines.
 */
export function checkMergedManualGrades(result: ClassResult, file: ManualGradesFile): void {
  if (file.path === undefined) return;
  const known = new Set(result.submissions.map((s) => s.id));
  const { grades } = checkManualGrades(file, known, { complete: true });
  const lineOf = new Map(file.rows.map((row) => [JSON.stringify([resolvedId(row, known), row.part]), row.line]));
  const problems: string[] = [];
  for (const submission of result.submissions) {
    for (const part of submission.parts) {
      const given = grades.get(submission.id)?.get(part.id);
      const applied = part.manual;
      if (given?.points === applied?.points && given?.comment === applied?.comment) continue;
      const where = given ? `${file.path}:${lineOf.get(JSON.stringify([submission.id, part.id])) ?? '?'}` : file.path;
      const score = (grade: ManualGrade) => `${grade.points}${grade.comment ? ` (${JSON.stringify(grade.comment)})` : ''}`;
      const here = given ? `gives ${score(given)}` : 'has no score';
      const there = applied ? score(applied) : 'no score';
      problems.push(`${where}: ${JSON.stringify(submission.id)} ${part.id} ${here}, but the shards' results have ${there}`);
    }
  }
  if (problems.length > 0) {
    throw new ManualGradesError(
      'E_MANUAL_GRADES_SHARDS',
      `${problems.join('\n')}\nthe shards were graded with another manual grades file: grade them again with this one (--manual ${file.path})`,
    );
  }
}
