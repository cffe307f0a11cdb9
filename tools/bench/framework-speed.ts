/**
 * The framework's own speed: the regression script's training, and one training step of a small
 * MLP (256 -> 64 -> 1 on 1,000 rows) against TensorFlow.js's pure-JavaScript CPU backend doing the
 * same work in the same process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { makeRegressionData, trainLinearRegression } from '../../reference/src/linear-regression.js';
import { NDArray } from '../../reference/src/ndarray.js';
import { Add, MatMul, ReLU } from '../../reference/src/ops.js';
import { mse } from '../../reference/src/losses.js';
import { Input, Variable } from '../../reference/src/tensor.js';
import { Random } from '../../reference/src/random.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function timeRuns(runs: number, work: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

const ROWS = 1000;
const IN = 256;
const HIDDEN = 64;

function randomMatrix(random: Random, rows: number, cols: number, scale: number): Float64Array {
  return Float64Array.from({ length: rows * cols }, () => random.normal() * scale);
}

/**
 * TensorFlow.js registers its gradients from files that Node's ES module loader cannot import
 * (directory imports), so its side of the benchmark is bundled with esbuild first.
 */
async function measureTfjsStep(work: import('./tfjs-step.js').MlpWork): Promise<number> {
  const folder = mkdtempSync(join(tmpdir(), 'tfjs-bench-'));
  try {
    const bundle = join(folder, 'tfjs-step.mjs');
    await esbuild.build({
      entryPoints: [fileURLToPath(new URL('./tfjs-step.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: bundle,
      // One copy of tfjs-core: its ES module build, which the CPU backend registers itself with.
      mainFields: ['module', 'main'],
      logLevel: 'silent',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const { tfjsStepMs } = (await import(pathToFileURL(bundle).href)) as typeof import('./tfjs-step.js');
    return await tfjsStepMs(work);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export interface FrameworkSpeed {
  regressionMs: number;
  mlpStepMs: number;
  tfjsStepMs: number;
}

export async function measureFrameworkSpeed(): Promise<FrameworkSpeed> {
  const data = makeRegressionData();
  const regressionMs = timeRuns(5, () => trainLinearRegression(data));

  const random = new Random(7);
  const x = randomMatrix(random, ROWS, IN, 1);
  const y = randomMatrix(random, ROWS, 1, 1);
  const w1 = randomMatrix(random, IN, HIDDEN, 0.05);
  const w2 = randomMatrix(random, HIDDEN, 1, 0.1);

  // Ours: forward, backward and a gradient step.
  const X = new Input(new NDArray([ROWS, IN], x));
  const Y = new Input(new NDArray([ROWS, 1], y));
  const W1 = new Variable(new NDArray([IN, HIDDEN], w1));
  const B1 = new Variable(NDArray.zeros([HIDDEN]));
  const W2 = new Variable(new NDArray([HIDDEN, 1], w2));
  const B2 = new Variable(NDArray.zeros([1]));
  const params = [W1, B1, W2, B2];
  const mlpStepMs = timeRuns(7, () => {
    const hidden = new ReLU(new Add(new MatMul(X, W1), B1));
    const loss = mse(new Add(new MatMul(hidden, W2), B2), Y);
    for (const p of params) p.zeroGrad();
    loss.backward();
    for (const p of params) p.step(0.01);
  });

  const tfjsStepMs = await measureTfjsStep({ x, y, w1, w2, rows: ROWS, inputs: IN, hidden: HIDDEN });
  return { regressionMs, mlpStepMs, tfjsStepMs };
}
