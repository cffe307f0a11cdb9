/**
 * One MLP training step with TensorFlow.js's CPU backend (pure JavaScript), for the framework
 * benchmark. Bundled with esbuild before it runs (see framework-speed.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';

export interface MlpWork {
  x: Float64Array;
  y: Float64Array;
  w1: Float64Array;
  w2: Float64Array;
  rows: number;
  inputs: number;
  hidden: number;
}

export async function tfjsStepMs(work: MlpWork): Promise<number> {
  // tfjs advertises its native backend on first use: keep the benchmark's table clean.
  const { log, warn } = console;
  console.log = console.warn = () => undefined;
  await tf.setBackend('cpu');
  tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
  Object.assign(console, { log, warn });

  const x = tf.tensor2d(Float32Array.from(work.x), [work.rows, work.inputs]);
  const y = tf.tensor2d(Float32Array.from(work.y), [work.rows, 1]);
  const w1 = tf.variable(tf.tensor2d(Float32Array.from(work.w1), [work.inputs, work.hidden]));
  const b1 = tf.variable(tf.zeros([work.hidden]));
  const w2 = tf.variable(tf.tensor2d(Float32Array.from(work.w2), [work.hidden, 1]));
  const b2 = tf.variable(tf.zeros([1]));
  const times: number[] = [];
  for (let run = 0; run < 7; run++) {
    const started = performance.now();
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const hidden = tf.relu(tf.add(tf.matMul(x, w1), b1));
        return tf.mean(tf.square(tf.sub(tf.add(tf.matMul(hidden, w2), b2), y))) as tf.Scalar;
      });
      for (const v of [w1, b1, w2, b2]) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)));
    });
    times.push(performance.now() - started);
  }
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
}
