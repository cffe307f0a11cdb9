/**
 * The previous class in an output folder, as a run finds it and leaves it: read before grading (a
 * run that keeps the class refuses a file it cannot read, or results graded otherwise, before it
 * spends any time), and what the run says about it at the end, so that a class's reports are never
 * replaced by a subset without a word.
 *
 * A run keeps the class unless it starts over: with `--fresh`, or with `--shard` (a shard's
 * output folder holds its slice only, which `grade merge` joins with the others).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClassResult } from '../trusted/result.js';
import { boundedNames } from './closing-summary.js';
import { idsInClassResults, readClassResults } from './class-results-file.js';
import type { MergedClass } from './class-merge.js';

export interface PreviousClass {
  /** The results file, OUT/results.json. */
  file: string;
  /** The class to keep; null when there is none, or when the run starts over. */
  result: ClassResult | null;
  /** The ids of the submissions the folder's reports are of (read even when starting over, to remove what is left of them). */
  ids: string[];
}

export function previousClass(outDir: string, startsOver: boolean): PreviousClass {
  const file = join(outDir, 'results.json');
  if (startsOver) return { file, result: null, ids: idsInClassResults(file) };
  const result = readClassResults(file);
  return { file, result, ids: result?.submissions.map((s) => s.id) ?? [] };
}

/** What the run says of the previous class: what it kept, or what it dropped when it started over; null when there is nothing to say. */
export function previousClassLine(outDir: string, previous: PreviousClass, merged: MergedClass, why: string): string | null {
  const { keptSubmissions, keptParts } = merged;
  if (keptSubmissions.length > 0 || keptParts > 0) {
    const parts = keptParts > 0 ? ` and ${keptParts} part(s)` : '';
    return `kept ${keptSubmissions.length} submission(s)${parts} from the previous results in ${outDir}/ (the class has ${merged.result.submissions.length}; --fresh starts over)`;
  }
  const graded = new Set(merged.result.submissions.map((s) => s.id));
  const dropped = previous.ids.filter((id) => !graded.has(id));
  if (dropped.length === 0) return null;
  return `started over (${why}): ${dropped.length} submission(s) of the previous results in ${outDir}/ are not in this class, and their reports are removed: ${boundedNames(dropped)}`;
}

/** This run's timings, with the previous run's for the submissions kept whole (timings.json is informative: an unreadable one is ignored). */
export function timingsWithKept(outDir: string, timings: Record<string, unknown>, kept: readonly string[]): Record<string, unknown> {
  if (kept.length === 0) return timings;
  let previous: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(readFileSync(join(outDir, 'timings.json'), 'utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) previous = value as Record<string, unknown>;
  } catch {
    // No timings to keep.
  }
  const keptTimings = kept.filter((id) => Object.hasOwn(previous, id)).map((id) => [id, previous[id]] as const);
  const all = new Map<string, unknown>([...keptTimings, ...Object.entries(timings)]);
  return Object.fromEntries([...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
