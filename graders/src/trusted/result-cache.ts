/**
 * Results kept by content, so that regrading an unchanged submission runs nothing. The key is a
 * hash of everything a result depends on: the submission's accepted files (and the intake's
 * complaints), its id, the grader's own code and templates, the given and reference files, the
 * rubric as used (after command-line overrides), the seed and the parts asked for. Change any of
 * them and the submission is graded again; `grade --force` ignores the cache.
 *
 * Only results that the same inputs would give again are kept: not one where a run's time limit
 * or the submission's budget ran out (that depends on the machine's load), nor one with a part the
 * grader failed to judge (`grader-error`). The next run grades such a submission again.
 *
 * Entries are written atomically and read defensively: one that does not parse, or that should
 * not have been kept, is ignored.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssignmentDefinition } from './assignment.js';
import type { GradeOptions } from './grade-options.js';
import type { Intake } from './intake.js';
import type { PartStatus, SubmissionResult } from './result.js';
import { writeFileAtomic } from './reports/write-file-atomic.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** The harness's own code, which decides every grade; the assignment adds what it grades against. */
const HARNESS_SOURCES = join(ROOT, 'graders', 'src');

/** The files under `path` (or `path` itself, a file), sorted. */
function filesUnder(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

const fingerprints = new WeakMap<AssignmentDefinition, string>();

/**
 * A hash of the grader's code and of what the assignment grades against (its own folder, given
 * files and answers), computed once per process and assignment. The reports' stamp uses it too:
 * the report code and templates are part of it.
 */
export function graderFingerprint(assignment: AssignmentDefinition): string {
  let fingerprint = fingerprints.get(assignment);
  if (fingerprint === undefined) {
    const hash = createHash('sha256');
    for (const path of [HARNESS_SOURCES, ...assignment.gradedAgainst]) {
      for (const file of filesUnder(path)) hash.update(`\0${relative(ROOT, file)}\0`).update(readFileSync(file));
    }
    fingerprint = hash.digest('hex');
    fingerprints.set(assignment, fingerprint);
  }
  return fingerprint;
}

export function resultCacheKey(intake: Intake, options: GradeOptions): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      grader: graderFingerprint(options.assignment),
      rubric: options.rubric,
      seed: options.seed,
      only: options.only,
      releaseAnswers: options.releaseAnswers === true,
      id: intake.id,
      problems: intake.problems,
    }),
  );
  for (const [path, text] of [...intake.files].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`\0${path}\0${text}`);
  return hash.digest('hex');
}

/** Part outcomes that another run could change: the machine's load decided them, or the grader failed. */
const NOT_KEPT: readonly PartStatus[] = ['timeout', 'grader-error'];

/** Whether a result may be kept: graded, and no part ended by a time limit or a grader's failure. */
export function isCacheable(result: SubmissionResult): boolean {
  return result.status === 'graded' && result.parts.every((part) => !NOT_KEPT.includes(part.status));
}

export function readCachedResult(cacheDir: string, key: string): SubmissionResult | null {
  try {
    const result = JSON.parse(readFileSync(join(cacheDir, `${key}.json`), 'utf8')) as SubmissionResult;
    return result && typeof result.id === 'string' && Array.isArray(result.parts) && isCacheable(result) ? result : null;
  } catch {
    return null;
  }
}

export async function writeCachedResult(cacheDir: string, key: string, result: SubmissionResult): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  await writeFileAtomic(join(cacheDir, `${key}.json`), JSON.stringify(result));
}

/** Removes the entry under `key`, if any (a --force regrade whose new result is not kept). */
export function forgetCachedResult(cacheDir: string, key: string): void {
  rmSync(join(cacheDir, `${key}.json`), { force: true });
}
