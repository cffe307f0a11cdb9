/**
 * Known mistakes of Tensor.backward, replayed in the parent: the probe graph is built on the
 * reference Tensor with the grader's probe operations (the same ones the child uses, so that
 * arrays are shared exactly as in the child) and walked by a backward pass that makes one
 * mistake. A mistake is named when its leaf gradients are the student's and the case tells it
 * apart from the right gradients and from every other mistake (trusted/checks/confirmed-mistake.ts).
 */
import { NDArray, add, matmul, mul, scale, transpose } from '@assignment-11/reference/src/ndarray.js';
import { Tensor, Variable } from '@assignment-11/reference/src/tensor.js';
import { buildProbeGraph, type ProbeNode } from '../shared/probe-graph.js';
import { probeMakers } from '../shared/probe-ops.js';
import { confirmedMistake, type Answer } from '../../../trusted/checks/confirmed-mistake.js';
import type { Tolerance } from '../../../trusted/checks/tolerance.js';

export interface BackwardMistake {
  id: string;
  hint: string;
}

type MistakeId =
  | 'not-seeded'
  | 'no-gradient-reaches-leaves'
  | 'explicit-gradient-ignored'
  | 'gradient-assigned-not-accumulated'
  | 'no-visited-set'
  | 'not-topological-order'
  | 'pre-order-propagation'
  | 'leaf-gradients-reset'
  | 'intermediate-gradients-kept'
  | 'gradient-reset-mid-pass'
  | 'gradient-array-shared'
  | 'uses-counted-per-distinct-input';

const ORDER_HINT =
  'A tensor may pass its gradient on only after every tensor that uses it has added its contribution: process tensors in reverse topological order (a depth-first search that appends a tensor after all its inputs, then that list walked backwards). Breadth-first order, or passing a gradient on when a tensor is first reached, goes wrong when one path to a tensor is longer than another.';

/**
 * The mistakes. Two that give the same gradients on every graph share a diagnosis (breadth-first
 * order and passing a gradient on at first visit); two that give the same gradients only on some
 * graphs (on a graph without reuse, resetting the leaves and assigning instead of adding both stop
 * a second backward() from doubling them) are told apart by the graphs that separate them, and on
 * the others neither is named.
 */
const MISTAKES: { id: MistakeId; diagnosis: string; hint: string }[] = [
  {
    id: 'not-seeded',
    diagnosis: 'not-seeded',
    hint: 'Every gradient came out 0: the output must be seeded with dLoss/dLoss = 1 (ones of its shape, or the gradient passed to backward) before the pass.',
  },
  {
    id: 'no-gradient-reaches-leaves',
    diagnosis: 'no-gradient-reaches-leaves',
    hint: 'No gradient reached the leaves: the pass must start at the output and go towards the leaves, i.e. walk the topological order (leaves first) backwards.',
  },
  {
    id: 'explicit-gradient-ignored',
    diagnosis: 'explicit-gradient-ignored',
    hint: "When backward(gradient) is given a gradient, that gradient (not ones) is the output's seed.",
  },
  {
    id: 'leaf-gradients-reset',
    diagnosis: 'leaf-gradients-reset',
    hint: "A second backward() must ADD the same gradients to the leaves' gradients again (they double), as tensor.ts's doc comment says: reset only the gradients of intermediate tensors (those with inputs) at the start of a pass, and add to input.grad rather than assign it.",
  },
  {
    id: 'gradient-assigned-not-accumulated',
    diagnosis: 'gradient-assigned-not-accumulated',
    hint: 'A tensor used twice must receive the SUM of both gradients: add to input.grad (input.grad = input.grad ? add(input.grad, g) : g) instead of assigning it.',
  },
  {
    id: 'no-visited-set',
    diagnosis: 'no-visited-set',
    hint: 'Your graph walk reaches a tensor once per path and processes it each time, so its gradient is passed on twice: keep a visited set so that each tensor appears once in the topological order.',
  },
  { id: 'not-topological-order', diagnosis: 'not-topological-order', hint: ORDER_HINT },
  { id: 'pre-order-propagation', diagnosis: 'not-topological-order', hint: ORDER_HINT },
  {
    id: 'intermediate-gradients-kept',
    diagnosis: 'intermediate-gradients-kept',
    hint: "A second backward() reuses the intermediate tensors' gradients from the first pass: reset the gradients of intermediate tensors (those with inputs) at the start of each pass, but not the leaves'.",
  },
  {
    id: 'gradient-reset-mid-pass',
    diagnosis: 'gradient-reset-mid-pass',
    hint: "An intermediate tensor's gradient is reset while the pass is still adding contributions to it: reset the gradients once, before the pass, never inside the loop.",
  },
  {
    id: 'gradient-array-shared',
    diagnosis: 'gradient-array-shared',
    hint: 'You add gradients in place into the array stored first in input.grad, but an operation may hand the same array to several tensors (a + b gives both the upstream array): store a copy the first time, or add with add(input.grad, g), which makes a new array.',
  },
  {
    id: 'uses-counted-per-distinct-input',
    diagnosis: 'uses-counted-per-distinct-input',
    hint: "A tensor used twice by ONE operation (r * r) has two uses: a pass that counts a tensor's uses per input and waits for all of them must also count down once per input, duplicates included, not once per distinct input; else that tensor never becomes ready and its gradient is never passed on.",
  },
];

const framework = { Tensor, NDArray, add, mul, matmul, scale, transpose };

/** Tensors reachable from `root`, each after all of its inputs; with `visited` false, once per path. */
function postOrder(root: Tensor, visited: boolean): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: { tensor: Tensor; inputsDone: boolean }[] = [{ tensor: root, inputsDone: false }];
  while (stack.length > 0) {
    const { tensor, inputsDone } = stack.pop()!;
    if (inputsDone) order.push(tensor);
    else if (!visited || !seen.has(tensor)) {
      seen.add(tensor);
      stack.push({ tensor, inputsDone: true });
      for (const input of tensor.inputs) stack.push({ tensor: input, inputsDone: false });
    }
  }
  return order;
}

/** Breadth-first from `root`, reversed (so that walking it backwards is breadth-first). */
function breadthFirst(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const queue = [root];
  while (queue.length > 0) {
    const tensor = queue.shift()!;
    order.unshift(tensor);
    for (const input of tensor.inputs) {
      if (!seen.has(input)) {
        seen.add(input);
        queue.push(input);
      }
    }
  }
  return order;
}

/** One backward pass from `output` that makes the mistake `mistake`. */
function mistakenBackward(output: Tensor, gradient: NDArray | undefined, mistake: MistakeId): void {
  if (gradient === undefined && output.value.size !== 1) throw new Error('backward() needs a gradient for a non-scalar output');
  const order =
    mistake === 'no-visited-set'
      ? postOrder(output, false)
      : mistake === 'not-topological-order'
        ? breadthFirst(output)
        : postOrder(output, true);
  for (const tensor of order) {
    if (mistake === 'intermediate-gradients-kept') break;
    if (tensor.inputs.length > 0 || mistake === 'leaf-gradients-reset') tensor.grad = null;
  }
  if (mistake === 'not-seeded') output.grad = gradient ?? NDArray.zeros(output.shape);
  else
    output.grad = add(
      output.grad ?? NDArray.zeros(output.shape),
      mistake === 'explicit-gradient-ignored' ? NDArray.ones(output.shape) : (gradient ?? NDArray.ones(output.shape)),
    );

  const send = (input: Tensor, g: NDArray): void => {
    if (mistake === 'gradient-assigned-not-accumulated') input.grad = g;
    else if (mistake === 'gradient-array-shared' && input.grad !== null) {
      for (let j = 0; j < input.grad.size; j++) input.grad.data[j] += g.data[j];
    } else {
      if (mistake === 'gradient-reset-mid-pass' && input.inputs.length > 0) input.grad = null;
      input.grad = input.grad === null ? g : add(input.grad, g);
    }
  };
  const passOn = (tensor: Tensor): void => {
    if (tensor.grad === null || tensor.inputs.length === 0) return;
    const gradients = tensor.inputGradients(tensor.grad);
    tensor.inputs.forEach((input, k) => send(input, gradients[k]));
  };

  if (mistake === 'uses-counted-per-distinct-input') {
    // Kahn's algorithm: a tensor is ready once every use has passed its gradient, but the uses are
    // counted per input slot and counted down once per distinct input.
    const uses = new Map<Tensor, number>();
    for (const tensor of order) for (const input of tensor.inputs) uses.set(input, (uses.get(input) ?? 0) + 1);
    const ready = [output];
    while (ready.length > 0) {
      const tensor = ready.pop()!;
      passOn(tensor);
      for (const input of new Set(tensor.inputs)) {
        const left = uses.get(input)! - 1;
        uses.set(input, left);
        if (left === 0) ready.push(input);
      }
    }
    return;
  }
  if (mistake === 'pre-order-propagation') {
    const visited = new Set<Tensor>();
    const stack = [output];
    while (stack.length > 0) {
      const tensor = stack.pop()!;
      if (visited.has(tensor)) continue;
      visited.add(tensor);
      passOn(tensor);
      for (let k = tensor.inputs.length - 1; k >= 0; k--) stack.push(tensor.inputs[k]);
    }
    return;
  }
  const sequence = mistake === 'no-gradient-reaches-leaves' ? order : [...order].reverse();
  for (const tensor of sequence) passOn(tensor);
}

/** The leaf gradients of the probe graph `nodes` under one mistake (null entries for leaves without a gradient); null when the mistake throws. */
function leafGradientsUnder(
  nodes: ProbeNode[],
  gradient: NDArray | undefined,
  passes: number,
  mistake: MistakeId,
): (NDArray | null)[] | null {
  try {
    const built = buildProbeGraph(
      nodes,
      probeMakers(framework, (value) => new Variable(value)),
    );
    const output = built[built.length - 1];
    for (let pass = 0; pass < passes; pass++) mistakenBackward(output, gradient, mistake);
    return nodes.flatMap((node, i) => (node.op === 'leaf' ? [built[i].grad] : []));
  } catch {
    return null;
  }
}

/**
 * The mistake confirmed by the leaf gradients `got` (null where a leaf has none) of the probe graph
 * `nodes`, against the right ones, `expected`; undefined when none is.
 */
export function confirmedBackwardMistake(
  nodes: ProbeNode[],
  gradient: NDArray | undefined,
  passes: number,
  got: (NDArray | null)[],
  expected: NDArray[],
  tolerance: Tolerance,
): { diagnosis: string; hint: string } | undefined {
  const models = MISTAKES.map((mistake) => ({
    diagnosis: mistake.diagnosis,
    answer: leafGradientsUnder(nodes, gradient, passes, mistake.id) as Answer | null,
    mistake,
  }));
  const confirmed = confirmedMistake(got, expected, models, tolerance);
  return confirmed && { diagnosis: confirmed.mistake.diagnosis, hint: confirmed.mistake.hint };
}
