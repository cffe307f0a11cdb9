/**
 * Q1(c) oracle: calls the student's mse on given inputs and describes the graph it built (which
 * op each node is, its inputs and its value). The parent rebuilds that graph with the reference
 * operations and runs the trusted backward pass on it, so no backward rule runs here.
 * Request: { prediction: WireArray, target: WireArray }.
 */
import * as ops from 'framework:ops';
import { Input, type Tensor } from 'framework:tensor';
import { mse } from 'framework:losses';
import { fromWire, toWire } from '../wire-arrays.js';
import type { OracleRequest, WireArray } from '../../../../shared/protocol.js';

const KNOWN_OPS = ['ReduceMean', 'Add', 'Mul', 'MatMul', 'ReLU', 'Sigmoid', 'Neg', 'Sqrt'] as const;

function kindOf(node: Tensor, prediction: Tensor, target: Tensor): string {
  if (node === prediction) return 'prediction';
  if (node === target) return 'target';
  for (const name of KNOWN_OPS) if (node instanceof (ops as unknown as Record<string, new (...a: never[]) => Tensor>)[name]) return name;
  if (node.inputs.length === 0) return 'constant';
  return `unknown operation ${node.constructor?.name ?? ''}`.trim();
}

export function handle(request: OracleRequest): unknown {
  const prediction = new Input(fromWire(request.prediction as WireArray));
  const target = new Input(fromWire(request.target as WireArray));
  const output = mse(prediction, target);
  const index = new Map<Tensor, number>();
  const nodes: unknown[] = [];
  const visit = (node: Tensor): number => {
    const known = index.get(node);
    if (known !== undefined) return known;
    if (nodes.length > 10_000) throw new Error('mse built more than 10,000 nodes');
    const inputs = Array.from(node.inputs ?? [], visit);
    const axes = (node as { axes?: unknown }).axes;
    nodes.push({
      kind: kindOf(node, prediction, target),
      inputs,
      value: toWire(node.value),
      ...(Array.isArray(axes) ? { axes: axes.map(Number) } : {}),
    });
    index.set(node, nodes.length - 1);
    return nodes.length - 1;
  };
  // An explicit stack would survive deeper graphs, but mse needs a handful of nodes.
  visit(output);
  return { nodes };
}
