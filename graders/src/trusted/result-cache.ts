/**
 * Results kept by content, so that regrading an unchanged submission runs nothing. The key is a
 * hash of everything a result depends on: the submission's accepted files (and the intake's
 * complaints), its id, the grader's own code and templates, the given and reference files, the
 * rubric as used (after command-line overrides), the seed and the parts asked for. Change any of
 * them and the submission is graded again; `grade --force` ignores the cache.
 *
 * Entries are written atomically and read defensively: one that does not parse is ignored.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GradeOptions } from './grade-submission.js';
import type { Intake } from './intake.js';
import type { SubmissionResult } from './result.js';
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
  hash.update(JSON.stringify({ grader: graderFingerprint(), rubric: options.rubric, seed: options.seed, only: options.only, id: intake.id, problems: intake.problems }));
  for (const [path, text] of [...intake.files].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`\0${path}\0${text}`);
  return hash.digest('hex');
}

export function readCachedResult(cacheDir: string, key: string): SubmissionResult | null {
  try {
    const result = JSON.parse(readFileSync(join(cacheDir, `${key}.json`), 'utf8')) as SubmissionResult;
    return result && typeof result.id === 'string' && Array.isArray(result.parts) ? result : null;
  } catch {
    return null;
  }
}

export async function writeCachedResult(cacheDir: string, key: string, result: SubmissionResult): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  await writeFileAtomic(join(cacheDir, `${key}.json`), JSON.stringify(result));
}
