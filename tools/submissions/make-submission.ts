/**
 * Writes a variant's submission folder: the student files of reference/ (or skeleton/) with the
 * variant's patches applied. Only the files students edit are written; the grader ignores the rest.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Variant } from './variants.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const SUBMITTED_FILES = ['src/tensor.ts', 'src/ops.ts', 'src/losses.ts', 'src/linear-regression.ts', 'src/conv.ts', 'answers/q1d.md', 'answers/q2.md', 'answers/q3.json'];

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
