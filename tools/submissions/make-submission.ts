/**
 * Writes a variant's submission folder: the student files of reference/ (or skeleton/) with the
 * variant's patches applied. Only the files students edit are written; the grader ignores the rest.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assignment } from '../../graders/src/assignments/assignment-11/index.js';
import { submittedFiles } from '../../graders/src/trusted/assignment.js';
import type { Variant } from './variants.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The files Assignment 11 reads from a submission, from its registry. */
export const SUBMITTED_FILES = submittedFiles(assignment);

/** The variant's files by relative path; throws when a patch does not match exactly once. */
export function variantFiles(variant: Variant): Map<string, string> {
  const source = join(ROOT, variant.fromSkeleton ? 'skeleton' : 'reference');
  const files = new Map(SUBMITTED_FILES.map((file) => [file, readFileSync(join(source, file), 'utf8')]));
  for (const patch of variant.patches) {
    if ('content' in patch) {
      files.set(patch.file, patch.content);
      continue;
    }
    const text = files.get(patch.file) ?? '';
    const count = text.split(patch.find).length - 1;
    if (count !== 1) {
      throw new Error(`variant ${variant.id}: the text to replace occurs ${count} times in ${patch.file} (expected once): ${patch.find.slice(0, 80)}`);
    }
    files.set(patch.file, text.replace(patch.find, () => patch.replace));
  }
  return files;
}

export function writeSubmission(variant: Variant, folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  for (const [file, text] of variantFiles(variant)) {
    mkdirSync(dirname(join(folder, file)), { recursive: true });
    writeFileSync(join(folder, file), text);
  }
}
