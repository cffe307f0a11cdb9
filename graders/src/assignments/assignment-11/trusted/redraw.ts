/**
 * Redrawn cases (property.ts, `redraw`): after a failure whose minimal case confirms no mistake,
 * the same structure (shapes, graph, axes, stride; ReLU's exact zeros) with new values drawn from
 * the check's seed and the attempt. The values are readable (one decimal, two in arrays of more
 * than 50 entries) and of magnitudes at which the known mistakes disagree: 0.5 to 3, never 0 or 1
 * (an upstream of ones hides a gradient that ignores it), all different within an array, and of
 * both signs in every array of two entries or more. A one-entry array takes its sign from the
 * attempt, so that attempts 0 to 3 try every sign pattern of the first two.
 */
import type { WireArray } from '../../../shared/protocol.js';
import type { ConvCase } from './q2-conv-cases.js';
import type { GraphCase } from './q1a-graph-cases.js';
import type { MseCase } from './q1c-mse.js';
import type { OpCase } from './q1b-ops.js';

/**
 * Every value a redrawn entry may take, of magnitude 0.5 to 3 but 1: in tenths (50 values), or in
 * hundredths (500) for an array of more entries than that.
 */
function valuePool(entries: number): number[] {
  const steps = entries <= 50 ? 10 : 100;
  const magnitudes = Array.from({ length: 2.5 * steps + 1 }, (_, k) => (0.5 * steps + k) / steps).filter((m) => m !== 1);
  return magnitudes.flatMap((m) => [m, -m]);
}

/**
 * New values for `array`, of its shape, all different from each other (two equal entries can make
 * two mistakes agree by chance): `index` numbers the arrays of one case (for the sign of a one-entry
 * array); with `keepZeros`, entries that are exactly 0 stay 0 (a convention at the kink).
 */
export function redrawnArray(array: WireArray, random: () => number, attempt: number, index: number, keepZeros = false): WireArray {
  const free = array.data.flatMap((x, i) => (keepZeros && Number(x) === 0 ? [] : [i]));
  const pool = valuePool(free.length);
  // The first free.length entries of a random permutation of the pool.
  for (let k = 0; k < free.length && k < pool.length; k++) {
    const j = k + Math.floor(random() * (pool.length - k));
    [pool[k], pool[j]] = [pool[j], pool[k]];
  }
  const values = pool.slice(0, free.length);
  if (values.length === 1) values[0] = (((attempt >> index) & 1) === 1 ? -1 : 1) * Math.abs(values[0]);
  else if (values.length > 1 && values.every((v) => Math.sign(v) === Math.sign(values[0]))) {
    const flipped = Math.floor(random() * values.length);
    values[flipped] = -values[flipped];
  }
  const data = array.data.map(() => 0);
  free.forEach((i, k) => (data[i] = values[k]));
  return { shape: array.shape, data };
}

/** Q1(b): new inputs and upstream gradient; ReLU keeps its exact zeros. */
export function redrawOpCase(keepZeros: boolean) {
  return (c: OpCase, random: () => number, attempt: number): OpCase => ({
    ...c,
    inputs: c.inputs.map((input, i) => redrawnArray(input, random, attempt, i, keepZeros)),
    upstream: redrawnArray(c.upstream, random, attempt, c.inputs.length),
  });
}

/** Q1(a): new leaf values and explicit gradient, the same graph (operations, factors, depth). */
export function redrawGraphCase(c: GraphCase, random: () => number, attempt: number): GraphCase {
  let index = 0;
  const nodes = c.nodes.map((node) => (node.op === 'leaf' ? { ...node, value: redrawnArray(node.value, random, attempt, index++) } : node));
  return { ...c, nodes, ...(c.gradient ? { gradient: redrawnArray(c.gradient, random, attempt, index) } : {}) };
}

/** Q1(c): a new target, and a prediction 0.5 to 3 away from it in every entry. */
export function redrawMseCase(c: MseCase, random: () => number, attempt: number): MseCase {
  const target = redrawnArray(c.target, random, attempt, 0);
  const residual = redrawnArray(c.prediction, random, attempt, 1);
  const data = residual.data.map((r, i) => Math.round((Number(r) + Number(target.data[i])) * 100) / 100);
  return { target, prediction: { shape: c.prediction.shape, data } };
}

/** Q2: new image, kernel and upstream gradient, the same shapes and stride. */
export function redrawConvCase(c: ConvCase, random: () => number, attempt: number): ConvCase {
  return {
    ...c,
    image: redrawnArray(c.image, random, attempt, 0),
    kernel: redrawnArray(c.kernel, random, attempt, 1),
    upstream: redrawnArray(c.upstream, random, attempt, 2),
  };
}
