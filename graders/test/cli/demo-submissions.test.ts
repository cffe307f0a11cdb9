/**
 * The README's main command on the demo submissions: the complete solution gets every autograded
 * point, the untouched skeleton 0 everywhere, and each partial demo loses exactly the points of
 * its bug, with a hint that names it. Also: the same seed gives the same results.json, byte for byte.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_VARIANTS, acceptedDiagnoses } from '../../../tools/submissions/variants.js';
import { behaviourOf, goldenBehaviour } from '../corpus/golden.js';
import { ROOT, fullMarks, pointsByPart, runGrade, type GradeRun } from './run-grade.js';

const SUBMISSIONS = join(ROOT, 'submissions');

describe('grade submissions/* (the demo submissions)', () => {
  let run: GradeRun;
  beforeAll(async () => {
    const folders = readdirSync(SUBMISSIONS, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(SUBMISSIONS, e.name));
    run = await runGrade(folders);
  }, 300_000);

  it('the demo submissions are in sync with the reference (npm run demos:check)', async () => {
    const check = await execa('npm', ['run', '--silent', 'demos:check'], { cwd: ROOT, reject: false });
    expect(check.stderr).toBe('');
    expect(check.exitCode).toBe(0);
  });

  it('completes with exit code 0 and writes the reports', () => {
    expect(run.stderr).not.toMatch(/grade: /);
    expect(run.exitCode).toBe(0);
    expect(
      run
        .results()
        .submissions.map((s) => s.id)
        .sort(),
    ).toEqual(DEMO_VARIANTS.map((v) => v.id).sort());
  });

  it('gives the same points, statuses, reasons, messages and hints as kept in golden/demo-class.json', () => {
    const result = run.results();
    expect(behaviourOf(result)).toEqual(goldenBehaviour('demo-class', result));
  });

  for (const variant of DEMO_VARIANTS) {
    it(`${variant.id}: ${variant.mistake}`, () => {
      const result = run.results();
      const expected = { ...fullMarks(result), ...variant.expectedPoints };
      const got = pointsByPart(result, variant.id);
      for (const [part, points] of Object.entries(expected)) {
        if (points < 0) expect(got[part], `${variant.id} ${part}`).toBeLessThan(fullMarks(result)[part]);
        else expect(got[part], `${variant.id} ${part}`).toBe(points);
      }
      const submission = result.submissions.find((s) => s.id === variant.id)!;
      for (const [part, diagnosis] of Object.entries(variant.expectedDiagnoses ?? {})) {
        const checks = submission.parts.find((p) => p.id === part)!.checks;
        const named = checks.find((c) => c.diagnosis !== undefined && acceptedDiagnoses(diagnosis).includes(c.diagnosis));
        expect(named, `${variant.id} ${part} should be diagnosed as ${diagnosis}`).toBeDefined();
        expect(named!.hint!.length).toBeGreaterThan(30);
      }
    });
  }

  it('the untouched skeleton reports each part as not implemented, not as a crash, and its Q2 derivation as no answer', () => {
    const skeleton = run.results().submissions.find((s) => s.id === 'untouched-skeleton')!;
    for (const part of skeleton.parts) expect(part.status, part.id).toBe(part.id === 'Q2.derivation' ? 'no-answer' : 'not-implemented');
  });

  it('gives the same results.json, byte for byte, for the same submissions and seed', async () => {
    const again = await runGrade([join(SUBMISSIONS, 'complete'), join(SUBMISSIONS, 'gradients-assigned')]);
    const first = run.results();
    const second = again.results();
    const pick = (r: typeof first) => JSON.stringify(r.submissions.filter((s) => s.id === 'complete' || s.id === 'gradients-assigned'));
    expect(pick(second)).toBe(pick(first));
    const third = await runGrade([join(SUBMISSIONS, 'complete'), join(SUBMISSIONS, 'gradients-assigned')]);
    expect(third.resultsText()).toBe(again.resultsText());
  }, 120_000);
});
