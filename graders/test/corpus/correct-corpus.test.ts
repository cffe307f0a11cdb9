/**
 * The correct-but-different solutions (tools/submissions/correct-corpus.ts) keep every autograded
 * point on a handful of seeds (`npm run stress` runs 200), and the one that writes Q2 with loops is
 * flagged: its primitive counts are 0 and its page says so.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORRECT_CORPUS } from '../../../tools/submissions/correct-corpus.js';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { fullMarks, pointsByPart, runGrade, type GradeRun } from '../cli/run-grade.js';
import { behaviourOf, goldenBehaviour } from './golden.js';

/** The rubric's own seed and two others. */
const SEEDS = [undefined, 7, 4242] as const;

describe('the correct corpus', () => {
  const runs = new Map<string, GradeRun>();
  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'correct-corpus-'));
    for (const variant of CORRECT_CORPUS) writeSubmission(variant, join(folder, variant.id));
    const folders = CORRECT_CORPUS.map((v) => join(folder, v.id));
    for (const seed of SEEDS)
      runs.set(String(seed ?? 'rubric'), await runGrade(['--quiet', ...(seed === undefined ? [] : ['--seed', String(seed)]), ...folders]));
  }, 600_000);

  it('gives the same results on each seed as kept in golden/correct-corpus-*.json', () => {
    for (const [seed, run] of runs) {
      const result = run.results();
      expect(behaviourOf(result), `seed ${seed}`).toEqual(goldenBehaviour(`correct-corpus-${seed}`, result));
    }
  });

  it('has at least 10 variants with distinct ids', () => {
    expect(CORRECT_CORPUS.length).toBeGreaterThanOrEqual(10);
    expect(new Set(CORRECT_CORPUS.map((v) => v.id)).size).toBe(CORRECT_CORPUS.length);
  });

  for (const variant of CORRECT_CORPUS) {
    it(`${variant.id}: full autograded marks on every seed (${variant.mistake})`, () => {
      for (const [seed, run] of runs) {
        expect(run.exitCode, `seed ${seed}: ${run.stderr}`).toBe(0);
        const result = run.results();
        expect(pointsByPart(result, variant.id), `seed ${seed}`).toEqual(fullMarks(result));
      }
    });
  }

  it('Q2 written with loops keeps its points, counts no primitive call and says so on the page', () => {
    const run = runs.get('rubric')!;
    const submission = run.results().submissions.find((s) => s.id === 'correct-conv-explicit-loops')!;
    for (const id of ['Q2.kernel', 'Q2.input']) {
      expect(submission.parts.find((p) => p.id === id)!.extension?.usedPrimitives, id).toEqual({ correlate2d: 0, convolve2dFull: 0 });
    }
    const page = readFileSync(join(run.out, 'correct-conv-explicit-loops.html'), 'utf8');
    expect(page).toContain(
      'did not call the convolution primitives correlate2d or convolve2dFull. The checks above judge only the numbers; showing that both gradients are convolutions is the derivation in answers/q2.md, which a TA scores (Q2.derivation).',
    );
  });
});
