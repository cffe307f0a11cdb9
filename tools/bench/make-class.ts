/**
 * A synthetic class for the benchmark: N distinct submissions, copies of the demo variants (the
 * complete solution and the realistic partial ones) with a line that makes each one's content
 * unique, so no two submissions share a compiled file or a cached result.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SUBMITTED_FILES, writeSubmission } from '../submissions/make-submission.js';
import { DEMO_VARIANTS } from '../submissions/variants.js';

const VARIANTS = DEMO_VARIANTS.filter((v) => !v.fromSkeleton);

export function makeClass(folder: string, count: number): string[] {
  mkdirSync(folder, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const variant = VARIANTS[i % VARIANTS.length];
    const path = join(folder, `student-${String(i + 1).padStart(4, '0')}`);
    writeSubmission(variant, path);
    for (const file of SUBMITTED_FILES.filter((f) => f.endsWith('.ts'))) {
      appendFileSync(join(path, file), `// submission ${i + 1} (${variant.id})\n`);
    }
    return path;
  });
}
