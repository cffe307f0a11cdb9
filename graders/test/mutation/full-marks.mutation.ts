/**
 * The graders as a test suite for mutation testing (graders/stryker.config.mjs): grades the copy
 * of the reference's student files that Stryker mutated, as a submission, part by part, and fails
 * as soon as a part loses a point. The graders' own trusted side imports the pristine reference.
 *
 * Stryker switches mutants at run time: it sets the active mutant in this process's
 * `globalThis.__stryker__`, but the graded code runs in the isolated child, so the id is passed to
 * gradeSubmission (strykerActiveMutant), which sets it inside the child.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeSubmission } from '../../src/trusted/grade-submission.js';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { loadRubric } from '../../src/trusted/load-rubric.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SUBJECT = join(ROOT, 'graders', 'mutation', 'subject', 'src');
const MUTATED = ['tensor.ts', 'ops.ts', 'losses.ts', 'conv.ts'];
const OTHER_FILES = ['src/linear-regression.ts', 'answers/q1d.md', 'answers/q2.md', 'answers/q3.json'];
/** Cheapest first; Q1d, end to end, catches what the parts' own checks let through. Q3 runs no code. */
const PARTS = [
  'Q1a',
  'Q1b.ReduceMean',
  'Q1b.Add',
  'Q1b.Mul',
  'Q1b.MatMul',
  'Q1b.ReLU',
  'Q1b.Sigmoid',
  'Q1c',
  'Q2.kernel',
  'Q2.input',
  'Q1d',
];

const rubric = loadRubric(assignment);
// A mutant that loops forever costs this much per part, not the rubric's minute.
rubric.limits.timeoutSeconds = 30;
// Stryker's switching code makes the mutated files several times larger.
rubric.limits.fileKiB = 4096;

const activeMutant = (): string | undefined => (globalThis as { __stryker__?: { activeMutant?: string } }).__stryker__?.activeMutant;

describe('the reference, as mutated, keeps full marks', () => {
  let folder: string;
  beforeAll(() => {
    folder = join(mkdtempSync(join(tmpdir(), 'mutation-')), 'reference');
    for (const file of OTHER_FILES) {
      mkdirSync(dirname(join(folder, file)), { recursive: true });
      copyFileSync(join(ROOT, 'reference', file), join(folder, file));
    }
    for (const file of MUTATED) writeFileSync(join(folder, 'src', file), readFileSync(join(SUBJECT, file), 'utf8'));
  });

  for (const part of PARTS) {
    it(part, async () => {
      const { result } = await gradeSubmission(folder, {
        assignment,
        rubric,
        seed: rubric.seed,
        only: [part],
        strykerActiveMutant: activeMutant(),
      });
      const graded = result.parts[0];
      const max = rubric.parts.find((p) => p.id === part)!.checks!.reduce((sum, c) => sum + c.points, 0);
      const failed = graded.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`);
      expect(graded.points, `${part} (${graded.status}) ${failed.join('; ')}`).toBe(max);
    });
  }
});
