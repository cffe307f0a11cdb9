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
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GradeOptions } from './grade-submission.js';
import type { Intake } from './intake.js';
import type { PartStatus, SubmissionResult } from './result.js';
import { writeFileAtomic } from './reports/write-file-atomic.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** The folders whose files decide a grade, besides the submission. */
const GRADER_SOURCES = ['graders/src', 'reference/src', 'reference/answers', 'skeleton/src'];

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

let graderHash: string | undefined;

/** A hash of the grader's code and the files it grades against, computed once per process. */
function graderFingerprint(): string {
  if (graderHash === undefined) {
    const hash = createHash('sha256');
    for (const folder of GRADER_SOURCES) {
      for (const file of filesUnder(join(ROOT, folder))) hash.update(`\0${relative(ROOT, file)}\0`).update(readFileSync(file));
    }
    graderHash = hash.digest('hex');
  }
  return graderHash;
}

export function resultCacheKey(intake: Intake, options: GradeOptions): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ grader: graderFingerprint(), rubric: options.rubric, seed: options.seed, only: options.only, releaseAnswers: options.releaseAnswers === true, id: intake.id, problems: intake.problems }));
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
