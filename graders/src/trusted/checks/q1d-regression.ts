/**
 * Q1(d): the one end-to-end part. The student's whole framework trains the linear regression in
 * the child on data made here; the parent recomputes the loss of the returned line on that data
 * (the child's own loss claims are not believed) and draws the plot itself from the numbers.
 */
import { makeRegressionData, type RegressionData, type TrainingResult } from '../../../../reference/src/linear-regression.js';
import { renderRegressionPlot } from '../../../../reference/src/plot.js';
import type { OracleResponse } from '../../shared/protocol.js';

export const REGRESSION_DATA: RegressionData = makeRegressionData();

export interface RegressionVerdict {
  ok: boolean;
  message: string;
  hint?: string;
  result?: TrainingResult;
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
  const weight = Number(raw?.weight);
  const bias = Number(raw?.bias);
  // Kept in the results (the report draws the curve from them): at most 10,000 epochs.
  const losses = Array.isArray(raw?.losses) ? raw.losses.slice(0, 10_000).map(Number) : [];
  if (!Number.isFinite(weight) || !Number.isFinite(bias)) return { ok: false, message: 'training returned a weight or bias that is not a finite number' };
  if (losses.length === 0 || losses.some((x) => !Number.isFinite(x))) {
    return { ok: false, message: 'training returned no loss curve, or one with non-finite values' };
  }
  const { x, y } = REGRESSION_DATA;
  const loss = x.reduce((sum, xi, i) => sum + (weight * xi + bias - y[i]) ** 2, 0) / x.length;
  const result: TrainingResult = { weight, bias, losses };
  if (!(loss <= targetLoss)) {
    return {
      ok: false,
      message: `the trained line y = ${weight.toFixed(4)} x + ${bias.toFixed(4)} has a mean squared error of ${loss.toPrecision(4)} on the data; it must reach ${targetLoss}`,
      hint: 'If the loss does not fall, check the gradients of Q1(a)-(c) first; if it falls slowly, keep the script\'s learning rate and number of epochs.',
      result,
    };
  }
  return { ok: true, message: `trains to a mean squared error of ${loss.toPrecision(3)} (target ${targetLoss}); the plot below is drawn from the training run`, result };
}

/** Rendered plots by training result: correct solutions tend to train to the same numbers. */
const plots = new Map<string, Promise<string>>();

export function regressionPlot(result: TrainingResult): Promise<string> {
  const key = JSON.stringify([result.weight, result.bias, result.losses]);
  let plot = plots.get(key);
  if (!plot) {
    plot = renderRegressionPlot(REGRESSION_DATA, result);
    plots.set(key, plot);
  }
  return plot;
}
