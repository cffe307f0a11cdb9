/**
 * Q1(d) oracle: the student's whole framework trains the linear regression on data the parent
 * sends. Request: { data: RegressionData }. Result: { weight, bias, losses }, which the parent
 * checks against the data itself.
 */
import { trainLinearRegression, type RegressionData } from 'framework:linear-regression';
import type { OracleRequest } from '../../../../shared/protocol.js';

export function handle(request: OracleRequest): unknown {
  const result = trainLinearRegression(request.data as RegressionData);
  return {
    weight: Number(result?.weight),
    bias: Number(result?.bias),
    losses: Array.from(result?.losses ?? [], Number),
  };
}
