/**
 * Q1(d)'s automatic points are earned through the framework: the child runs the given training
 * script over the student's Tensor, ops and mse, so a copy of the script rewritten to fit the line
 * in closed form and invent a loss curve changes nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { runGrade } from '../cli/run-grade.js';

const FORGED = `export function trainLinearRegression(data: RegressionData): TrainingResult {
  const n = data.x.length;
  const mx = data.x.reduce((a, b) => a + b, 0) / n;
  const my = data.y.reduce((a, b) => a + b, 0) / n;
  const sxy = data.x.reduce((s, x, i) => s + (x - mx) * (data.y[i] - my), 0);
  const sxx = data.x.reduce((s, x) => s + (x - mx) ** 2, 0);
  const weight = sxy / sxx;
  return { weight, bias: my - weight * mx, losses: Array.from({ length: 200 }, (_, i) => 3 * Math.exp(-i / 20) + 0.01) };
}

export function unusedTraining(data: RegressionData, options: TrainingOptions = {}): TrainingResult {`;

describe("Q1(d) with a training script of the student's own", () => {
  it("earns nothing without Q1(a)-(c): the given script trains with the student's framework", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'q1d-forged-'));
    writeSubmission(
      {
        id: 'forged-training',
        mistake: 'the untouched skeleton, with trainLinearRegression rewritten as a closed-form fit and an invented loss curve',
        fromSkeleton: true,
        patches: [
          {
            file: 'src/linear-regression.ts',
            find: 'export function trainLinearRegression(data: RegressionData, options: TrainingOptions = {}): TrainingResult {',
            replace: FORGED,
          },
        ],
        expectedPoints: {},
      },
      join(folder, 'forged-training'),
    );
    const run = await runGrade(['--only', 'Q1d', join(folder, 'forged-training')]);
    expect(run.exitCode).toBe(0);
    const q1d = run.results().submissions[0].parts.find((p) => p.id === 'Q1d')!;
    expect(q1d).toMatchObject({ points: 0, status: 'not-implemented' });
    expect(q1d.checks[0].message).toMatch(/NotImplemented/);
  });
});
