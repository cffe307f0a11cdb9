/**
 * Q1(d): the one end-to-end part. The student's whole framework trains the linear regression in
 * the child on data made here; the parent recomputes the loss of the returned line on that data
 * (the child's own loss claims are not believed) and draws the plot itself from the numbers.
 */
import { makeRegressionData, type RegressionData, type TrainingResult } from '@assignment-11/reference/src/linear-regression.js';
import type { OracleRequest, OracleResponse } from '../../../shared/protocol.js';
import type { PartBundle, PartContext } from '../../../trusted/assignment.js';
import { roundPoints } from '../../../trusted/points.js';
import type { CheckResult, PartResult, PartStatus } from '../../../trusted/result.js';

export const REGRESSION_DATA: RegressionData = makeRegressionData();

/**
 * What a training result may hold (docs/security.md, "Bounds"). Every number must be finite and
 * within these bounds before it is judged, kept or drawn: the plot's axes are computed from them,
 * and a finite but huge loss (1.7e308) once made an axis infinite. The true line is y = 2.5 x - 1
 * on x in [-1, 1), so a weight or bias beyond a million is no fit at all, and no line within that
 * bound has a loss above 1e13 on these points; the plot handles every number within the bounds.
 */
export const TRAINING_BOUNDS = {
  /** Largest |weight| and |bias|. */
  coefficient: 1e6,
  /** Largest |loss| of an epoch. */
  loss: 1e13,
  /** Epochs kept of the loss curve (the script trains 200); later ones are not kept. */
  epochs: 10_000,
} as const;

export interface RegressionVerdict {
  ok: boolean;
  message: string;
  hint?: string;
  result?: TrainingResult;
}

const DIVERGED_HINT =
  "If the loss does not fall, check the gradients of Q1(a)-(c) first; if it falls slowly, keep the script's learning rate and number of epochs.";

/** Why `training` cannot be kept or drawn, or null when every number is finite and within TRAINING_BOUNDS. */
export function trainingProblem(training: { weight: unknown; bias: unknown; losses: unknown }): string | null {
  const { coefficient, loss, epochs } = TRAINING_BOUNDS;
  const { weight, bias, losses } = training;
  if (typeof weight !== 'number' || typeof bias !== 'number' || !Number.isFinite(weight) || !Number.isFinite(bias)) {
    return 'training returned a weight or bias that is not a finite number';
  }
  if (Math.abs(weight) > coefficient || Math.abs(bias) > coefficient) {
    return `training returned the line y = ${weight.toPrecision(4)} x + ${bias.toPrecision(4)}; a weight or bias beyond ±${coefficient.toExponential()} means the training diverged (the true line is y = 2.5 x - 1)`;
  }
  if (!Array.isArray(losses) || losses.length === 0 || losses.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    return 'training returned no loss curve, or one with non-finite values';
  }
  if (losses.length > epochs) return `training returned ${losses.length} losses; at most ${epochs} epochs are kept`;
  const beyond = losses.findIndex((x) => Math.abs(x) > loss);
  if (beyond >= 0) {
    return `training returned a loss of ${(losses[beyond] as number).toPrecision(4)} at epoch ${beyond + 1}; a loss beyond ${loss.toExponential()} means the training diverged`;
  }
  return null;
}

export function judgeRegression(response: OracleResponse, targetLoss: number): RegressionVerdict {
  if ('error' in response) {
    const stub = response.error.name === 'NotImplemented';
    return {
      ok: false,
      message: `training threw ${response.error.name}: ${response.error.message}`,
      ...(stub ? { hint: 'Q1(d) trains with your whole framework: finish Q1(a)-(c) first.' } : {}),
    };
  }
  const raw = response.result as { weight?: unknown; bias?: unknown; losses?: unknown };
  // Numbers only: Number() of an object runs its valueOf and toString, which JSON can make throw ({"valueOf": 1}).
  const asNumber = (x: unknown): number => (typeof x === 'number' ? x : Number.NaN);
  const weight = asNumber(raw?.weight);
  const bias = asNumber(raw?.bias);
  // Kept in the results (the report draws the curve from them): at most TRAINING_BOUNDS.epochs.
  const losses = Array.isArray(raw?.losses) ? raw.losses.slice(0, TRAINING_BOUNDS.epochs).map(asNumber) : [];
  const problem = trainingProblem({ weight, bias, losses });
  if (problem !== null) return { ok: false, message: problem, ...(/diverged/.test(problem) ? { hint: DIVERGED_HINT } : {}) };
  const { x, y } = REGRESSION_DATA;
  const loss = x.reduce((sum, xi, i) => sum + (weight * xi + bias - y[i]) ** 2, 0) / x.length;
  const result: TrainingResult = { weight, bias, losses };
  if (!(loss <= targetLoss)) {
    return {
      ok: false,
      message: `the trained line y = ${weight.toFixed(4)} x + ${bias.toFixed(4)} has a mean squared error of ${loss.toPrecision(4)} on the data; it must reach ${targetLoss}`,
      hint: DIVERGED_HINT,
      result,
    };
  }
  return {
    ok: true,
    message: `trains to a mean squared error of ${loss.toPrecision(3)} (target ${targetLoss}); the plot below is drawn from the training run`,
    result,
  };
}

/** Rendered plots by training result: correct solutions tend to train to the same numbers. */
const plots = new Map<string, Promise<string>>();

/** The plot of a training run; refused (rejected) when its numbers are not within TRAINING_BOUNDS. */
export function regressionPlot(result: TrainingResult): Promise<string> {
  const problem = trainingProblem(result);
  if (problem !== null) return Promise.reject(new Error(problem));
  const key = JSON.stringify([result.weight, result.bias, result.losses]);
  let plot = plots.get(key);
  if (!plot) {
    // Loaded on first use: the plotting libraries are large, and a regrade served from the cache draws nothing.
    plot = import('@assignment-11/reference/src/plot.js').then(({ renderRegressionPlot }) => renderRegressionPlot(REGRESSION_DATA, result));
    plots.set(key, plot);
  }
  return plot;
}

/** Q1d's one run: the student's training on the grader's data. */
export const REGRESSION_REQUESTS: OracleRequest[] = [{ data: REGRESSION_DATA }];

/** What a Q1d result keeps in its extension: the training run the report plots. */
export interface RegressionExtension {
  training: TrainingResult;
}

/**
 * Grades Q1d: the student's framework trains in the child with the given script; its check earns
 * the automatic points. The comment on the plot, when the rubric gives it points, is the harness's
 * manual item (manual-answer.ts): it waits for a TA, unless it is still the template.
 */
export async function gradeRegression(context: PartContext, bundle: PartBundle): Promise<PartResult> {
  const { part } = context;
  const autoPoints = context.points('trains-and-plots');
  const outcome = await context.run(bundle, REGRESSION_REQUESTS);
  const checks: CheckResult[] = [];
  let status: PartStatus;
  let reason: string | undefined;
  let training: TrainingResult | undefined;
  if (outcome.kind === 'answer') {
    const verdict = judgeRegression(outcome.responses[0], part.targetLoss ?? 0.05);
    checks.push({
      name: 'trains and plots',
      passed: verdict.ok,
      points: verdict.ok ? autoPoints : 0,
      max: autoPoints,
      message: verdict.message,
      ...(verdict.hint ? { hint: verdict.hint } : {}),
    });
    if (verdict.result) training = verdict.result;
    const notImplemented = 'error' in outcome.responses[0] && outcome.responses[0].error.name === 'NotImplemented';
    status = verdict.ok ? 'passed' : notImplemented ? 'not-implemented' : 'failed';
  } else {
    status = outcome.kind === 'timeout' ? 'timeout' : 'crashed';
    reason = outcome.reason;
    checks.push({ name: 'trains and plots', passed: false, points: 0, max: autoPoints, message: outcome.reason });
  }
  const extension: RegressionExtension | undefined = training ? { training } : undefined;
  return {
    id: part.id,
    title: part.title,
    points: roundPoints(checks[0].points),
    max: part.max,
    status,
    ...(reason ? { reason } : {}),
    checks,
    ...(extension ? { extension: { ...extension } } : {}),
  };
}
