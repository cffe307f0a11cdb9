/**
 * The data of the linear regression (Q1(d)) and what its training returns, shared by the training
 * script (linear-regression.ts) and the plot (plot.ts).
 */

/** Points scattered around a known line. */
export interface RegressionData {
  x: number[];
  y: number[];
  /** The slope of the line the points were drawn around. */
  trueWeight: number;
  /** The intercept of that line. */
  trueBias: number;
}

/** What training found, and how the loss went. */
export interface TrainingResult {
  weight: number;
  bias: number;
  /** The loss of every epoch, measured before that epoch's update. */
  losses: number[];
}
