/**
 * Q1(d): fits a straight line y = w x + b to noisy points with the framework, by full-batch
 * gradient descent on the mean squared error. This script is given: once Q1(a)-(c) work, run it
 * with `npm run regression` and look at plots/linear-regression.svg.
 *
 * The training itself (`trainLinearRegression`) is a pure function with no file or plotting
 * code, so that it can also be run on its own.
 */
import { pathToFileURL } from 'node:url';
import { NDArray } from './ndarray.js';
import { Add, MatMul } from './ops.js';
import { mse } from './losses.js';
import { Random } from './random.js';
import { Input, Variable } from './tensor.js';
import type { RegressionData, TrainingResult } from './regression-data.js';

export type { RegressionData, TrainingResult } from './regression-data.js';

export interface TrainingOptions {
  /** Number of gradient-descent steps, each on all points. */
  epochs?: number;
  /** Step size of `Variable.step`. */
  learningRate?: number;
  /** Called after each epoch's loss is known (epochs count from 1), e.g. to print progress. */
  onEpoch?: (epoch: number, loss: number) => void;
}

const TRUE_WEIGHT = 2.5;
const TRUE_BIAS = -1;
/** Standard deviation of the noise; the best reachable loss is about its square, 0.01. */
const NOISE = 0.1;

/** `count` points with x uniform in [-1, 1) and y = 2.5 x - 1 plus gaussian noise, the same for the same seed. */
export function makeRegressionData(seed = 11, count = 100): RegressionData {
  const random = new Random(seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < count; i++) {
    const xi = random.between(-1, 1);
    x.push(xi);
    y.push(TRUE_WEIGHT * xi + TRUE_BIAS + NOISE * random.normal());
  }
  return { x, y, trueWeight: TRUE_WEIGHT, trueBias: TRUE_BIAS };
}

/**
 * Fits y = w x + b to the points, starting from w = b = 0. Each epoch builds the graph anew:
 * prediction = X @ w + b (X is [n,1], w is [1,1], b is [1] and broadcasts over the rows), then
 * loss = mse(prediction, Y), one backward pass, and one gradient-descent step on w and b.
 */
export function trainLinearRegression(data: RegressionData, options: TrainingOptions = {}): TrainingResult {
  const { epochs = 200, learningRate = 0.1, onEpoch } = options;
  const n = data.x.length;
  const inputs = new Input(new NDArray([n, 1], data.x));
  const targets = new Input(new NDArray([n, 1], data.y));
  const weight = new Variable([[0]]);
  const bias = new Variable([0]);

  const losses: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    weight.zeroGrad();
    bias.zeroGrad();
    const prediction = new Add(new MatMul(inputs, weight), bias);
    const loss = mse(prediction, targets);
    loss.backward();
    weight.step(learningRate);
    bias.step(learningRate);

    const lossValue = loss.value.item();
    losses.push(lossValue);
    onEpoch?.(epoch, lossValue);
  }
  return { weight: weight.value.item(), bias: bias.value.item(), losses };
}

function formatLine(weight: number, bias: number): string {
  return `y = ${weight.toFixed(4)} x ${bias < 0 ? '-' : '+'} ${Math.abs(bias).toFixed(4)}`;
}

async function main(): Promise<void> {
  const epochs = 200;
  const learningRate = 0.1;
  const data = makeRegressionData();
  console.log(`Fitting a line to ${data.x.length} points: ${epochs} epochs of gradient descent, learning rate ${learningRate}`);
  console.log(`${'epoch'.padStart(6)}  ${'loss'.padStart(10)}`);
  const every = Math.max(1, Math.round(epochs / 10));
  const result = trainLinearRegression(data, {
    epochs,
    learningRate,
    onEpoch: (epoch, loss) => {
      if (epoch === 1 || epoch % every === 0) console.log(`${String(epoch).padStart(6)}  ${loss.toFixed(6).padStart(10)}`);
    },
  });
  console.log(`fitted: ${formatLine(result.weight, result.bias)}`);
  console.log(`true:   ${formatLine(data.trueWeight, data.trueBias)}`);

  // The plotting module is loaded through a variable so that bundlers do not follow it: whoever
  // bundles trainLinearRegression (the grader does) gets neither vega nor file-writing code.
  const plotModule = './plot.js';
  const { writeRegressionPlot } = (await import(plotModule)) as typeof import('./plot.js');
  const path = 'plots/linear-regression.svg';
  await writeRegressionPlot(path, data, result);
  console.log(`plot written to ${path}`);
}

/**
 * True when this file is the program being run (`tsx src/linear-regression.ts`). The file name is
 * checked as well because a bundle that contains this module, run with node, also has
 * import.meta.url equal to argv[1]; it must not start the script.
 */
function runAsScript(): boolean {
  const program = process.argv[1];
  return program !== undefined && import.meta.url === pathToFileURL(program).href && /linear-regression\.[cm]?[jt]s$/.test(program);
}

if (runAsScript()) await main();
