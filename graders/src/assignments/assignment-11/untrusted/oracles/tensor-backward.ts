/**
 * Q1(a) oracle: the student's Tensor.backward on graphs of the grader's probe operations.
 * Request: { nodes: ProbeNode[], gradient?: WireArray, passes: number }. The last node is the
 * output. Result: the gradient of every leaf (or a description when it is not an array).
 */
import { Variable } from 'framework:tensor';
import { buildProbeGraph, type ProbeNode } from '../../shared/probe-graph.js';
import { probeMakers } from '../probe-ops.js';
import { fromWire, toWire } from '../wire-arrays.js';
import type { OracleRequest, WireArray } from '../../../../shared/protocol.js';

export function handle(request: OracleRequest): unknown {
  const nodes = request.nodes as ProbeNode[];
  const built = buildProbeGraph(
    nodes,
    probeMakers((value) => new Variable(value)),
  );
  const output = built[built.length - 1];
  const gradient = request.gradient === undefined ? undefined : fromWire(request.gradient as WireArray);
  for (let pass = 0; pass < Number(request.passes); pass++) output.backward(gradient);
  return {
    leafGradients: nodes.flatMap((node, i) => (node.op === 'leaf' ? [built[i].grad === null ? null : toWire(built[i].grad)] : [])),
  };
}
