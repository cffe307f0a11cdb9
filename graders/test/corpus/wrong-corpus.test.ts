/**
 * The corpus of realistic wrong submissions (tools/submissions/wrong-corpus.ts), graded in one run
 * of the real `grade` command: each loses exactly the points of its mistake, in exactly its parts
 * (Q1d too where the regression goes through the mistake), and the mistake is named where the
 * corpus says it is. At least 80% of the corpus must be recognised by name: a diagnosis, with its
 * hint for the student, in a part it loses.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { WRONG_CORPUS } from '../../../tools/submissions/wrong-corpus.js';
import { acceptedDiagnoses } from '../../../tools/submissions/variants.js';
import type { ClassResult } from '../../src/trusted/result.js';
import { fullMarks, pointsByPart, runGrade, type GradeRun } from '../cli/run-grade.js';
import { behaviourOf, goldenBehaviour } from './golden.js';

/** Q1a's hints by graph family, given when no known mistake fits: they name no mistake. */
const GENERIC_DIAGNOSES = new Set(['backward-pass', 'reused-tensor', 'diamond-order-or-accumulation', 'chain-and-seed']);

/** Wrong variants named by a known mistake (with a hint) in at least one part they lose, and the others. */
export function hintCoverage(result: ClassResult, ids: readonly string[]): { named: string[]; unnamed: string[] } {
  const full = fullMarks(result);
  const named: string[] = [];
  const unnamed: string[] = [];
  for (const id of ids) {
    const submission = result.submissions.find((s) => s.id === id)!;
    const recognised = submission.parts.some((p) => p.points < full[p.id] && p.checks.some((c) => c.diagnosis !== undefined && !GENERIC_DIAGNOSES.has(c.diagnosis) && (c.hint ?? '').length > 0));
    (recognised ? named : unnamed).push(id);
  }
  return { named, unnamed };
}

describe('the wrong corpus', () => {
  let run: GradeRun;
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'wrong-corpus-'));
    for (const variant of WRONG_CORPUS) writeSubmission(variant, join(folder, variant.id));
    run = await runGrade(['--quiet', ...WRONG_CORPUS.map((v) => join(folder, v.id))]);
  }, 600_000);

  it('has at least 40 variants, each with a distinct id and a part it loses', () => {
    expect(WRONG_CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(WRONG_CORPUS.map((v) => v.id)).size).toBe(WRONG_CORPUS.length);
    for (const variant of WRONG_CORPUS) expect(Object.keys(variant.expectedPoints).length, variant.id).toBeGreaterThan(0);
  });

  it('grades every variant (exit code 0)', () => {
    expect(run.stderr).not.toMatch(/grade: /);
    expect(run.exitCode).toBe(0);
    expect(run.results().submissions.map((s) => s.status)).toEqual(WRONG_CORPUS.map(() => 'graded'));
  });

  for (const variant of WRONG_CORPUS) {
    it(`${variant.id}: ${variant.mistake}`, () => {
      const result = run.results();
      expect(pointsByPart(result, variant.id)).toEqual({ ...fullMarks(result), ...variant.expectedPoints });
      const submission = result.submissions.find((s) => s.id === variant.id)!;
      for (const [part, diagnosis] of Object.entries(variant.expectedDiagnoses ?? {})) {
        const checks = submission.parts.find((p) => p.id === part)!.checks;
        const named = checks.find((c) => c.diagnosis !== undefined && acceptedDiagnoses(diagnosis).includes(c.diagnosis));
        expect(named, `${part} should name ${diagnosis}; it named ${JSON.stringify(checks.map((c) => c.diagnosis ?? null))}`).toBeDefined();
        expect(named!.hint!.length).toBeGreaterThan(30);
      }
    });
  }

  it('gives the same points, statuses, reasons, messages and hints as kept in golden/wrong-corpus.json', () => {
    const result = run.results();
    expect(behaviourOf(result)).toEqual(goldenBehaviour('wrong-corpus', result));
  });

  it('recognises at least 80% of the corpus by name', () => {
    const { named, unnamed } = hintCoverage(run.results(), WRONG_CORPUS.map((v) => v.id));
    const coverage = named.length / WRONG_CORPUS.length;
    process.stdout.write(`hint coverage: ${named.length} of ${WRONG_CORPUS.length} (${(coverage * 100).toFixed(1)}%)${unnamed.length ? `; not named: ${unnamed.join(', ')}` : ''}\n`);
    expect(coverage).toBeGreaterThanOrEqual(0.8);
  });

  it("shows each named mistake's hint on the student's page, beside the failing check", () => {
    for (const variant of WRONG_CORPUS.filter((v) => v.expectedDiagnoses)) {
      const submission = run.results().submissions.find((s) => s.id === variant.id)!;
      const page = readFileSync(join(run.out, `${variant.id}.html`), 'utf8');
      for (const part of Object.keys(variant.expectedDiagnoses!)) {
        const hint = submission.parts.find((p) => p.id === part)!.checks.find((c) => c.hint)!.hint!;
        expect(page.includes(Handlebars.escapeExpression(hint)), `${variant.id}: the page shows the ${part} hint`).toBe(true);
      }
    }
  });
});
