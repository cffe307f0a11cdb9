/**
 * The corpus of realistic wrong submissions (tools/submissions/wrong-corpus.ts), graded by the real
 * `grade` command on the rubric's seed and two others. On every seed each loses exactly the points
 * of its mistake, in exactly its parts (Q1d too where the regression goes through the mistake); the
 * mistake is named where the corpus says it is, and no other name appears; every hint agrees with
 * the counterexample beside it (tools/stress/hint-audit.ts, which `npm run sweep` applies to 20
 * seeds). The rubric seed's results are also kept in golden/wrong-corpus.json.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { WRONG_CORPUS } from '../../../tools/submissions/wrong-corpus.js';
import { HINT_WRONG } from '../../../tools/submissions/wrong-corpus-hints.js';
import { auditWrong } from '../../../tools/stress/hint-audit.js';
import type { ClassResult } from '../../src/trusted/result.js';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { loadRubric } from '../../src/trusted/load-rubric.js';
import { fullMarks, runGrade, type GradeRun } from '../cli/run-grade.js';
import { behaviourOf, goldenBehaviour } from './golden.js';

const { tolerance } = loadRubric(assignment);

/** The rubric's own seed and two others. */
const SEEDS = [undefined, 7, 4242] as const;

/** Wrong variants named by a known mistake (with a hint) in at least one part they lose, and the others. */
export function hintCoverage(result: ClassResult, ids: readonly string[]): { named: string[]; unnamed: string[] } {
  const full = fullMarks(result);
  const named: string[] = [];
  const unnamed: string[] = [];
  for (const id of ids) {
    const submission = result.submissions.find((s) => s.id === id)!;
    const recognised = submission.parts.some(
      (p) => p.points < full[p.id] && p.checks.some((c) => c.diagnosis !== undefined && (c.hint ?? '').length > 0),
    );
    (recognised ? named : unnamed).push(id);
  }
  return { named, unnamed };
}

describe('the wrong corpus', () => {
  const runs = new Map<string, GradeRun>();
  const rubricRun = (): GradeRun => runs.get('rubric')!;
  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'wrong-corpus-'));
    for (const variant of WRONG_CORPUS) writeSubmission(variant, join(folder, variant.id));
    const folders = WRONG_CORPUS.map((v) => join(folder, v.id));
    // The three runs at once: a run spends much of its time waiting on its children, not computing.
    const graded = await Promise.all(
      SEEDS.map((seed) => runGrade(['--quiet', ...(seed === undefined ? [] : ['--seed', String(seed)]), ...folders])),
    );
    SEEDS.forEach((seed, i) => runs.set(String(seed ?? 'rubric'), graded[i]));
  }, 900_000);

  it('has at least 40 variants, each with a distinct id and a part it loses, and at least 6 whose hint needs a discriminating case', () => {
    expect(WRONG_CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(WRONG_CORPUS.map((v) => v.id)).size).toBe(WRONG_CORPUS.length);
    for (const variant of WRONG_CORPUS) expect(Object.keys(variant.expectedPoints).length, variant.id).toBeGreaterThan(0);
    expect(HINT_WRONG.length).toBeGreaterThanOrEqual(6);
  });

  it('grades every variant on every seed (exit code 0)', () => {
    for (const [seed, run] of runs) {
      expect(run.stderr, `seed ${seed}`).not.toMatch(/grade: /);
      expect(run.exitCode, `seed ${seed}`).toBe(0);
      expect(
        run.results().submissions.map((s) => s.status),
        `seed ${seed}`,
      ).toEqual(WRONG_CORPUS.map(() => 'graded'));
    }
  });

  for (const variant of WRONG_CORPUS) {
    it(`${variant.id}: ${variant.mistake}`, () => {
      const problems = [...runs].flatMap(([seed, run]) =>
        auditWrong(
          variant,
          run.results().submissions.find((s) => s.id === variant.id),
          tolerance,
        ).map((p) => `seed ${seed}: ${p}`),
      );
      expect(problems).toEqual([]);
    });
  }

  it('gives the same points, statuses, reasons, messages and hints on the rubric seed as kept in golden/wrong-corpus.json', () => {
    const result = rubricRun().results();
    expect(behaviourOf(result)).toEqual(goldenBehaviour('wrong-corpus', result));
  });

  it('recognises at least 70% of the corpus by name on the rubric seed', () => {
    const { named, unnamed } = hintCoverage(
      rubricRun().results(),
      WRONG_CORPUS.map((v) => v.id),
    );
    const coverage = named.length / WRONG_CORPUS.length;
    process.stdout.write(
      `hint coverage: ${named.length} of ${WRONG_CORPUS.length} (${(coverage * 100).toFixed(1)}%)${unnamed.length ? `; not named: ${unnamed.join(', ')}` : ''}\n`,
    );
    expect(coverage).toBeGreaterThanOrEqual(0.7);
  });

  it("shows each named mistake's hint on the student's page, beside the failing check", () => {
    const run = rubricRun();
    for (const variant of WRONG_CORPUS.filter((v) => v.expectedDiagnoses)) {
      const submission = run.results().submissions.find((s) => s.id === variant.id)!;
      const page = readFileSync(join(run.out, `${variant.id}.html`), 'utf8');
      for (const part of Object.keys(variant.expectedDiagnoses!)) {
        const hint = submission.parts.find((p) => p.id === part)!.checks.find((c) => c.diagnosis !== undefined)!.hint!;
        expect(page.includes(Handlebars.escapeExpression(hint)), `${variant.id}: the page shows the ${part} hint`).toBe(true);
      }
    }
  });
});
