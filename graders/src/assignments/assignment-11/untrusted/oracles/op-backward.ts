/**
 * Q1(b) oracle: one of the student's operations, forward and backward rule, on given inputs.
 * Request: { op, inputs: WireArray[], upstream: WireArray, axes?: number[] }.
 * Result: { value, gradients } exactly as the student's code produced them (copied to plain data);
 * the parent checks shapes and numbers.
 */
import * as ops from 'framework:ops';
import { Input, type Tensor } from 'framework:tensor';
import { fromWire, toWire } from '../wire-arrays.js';
import type { OracleRequest, WireArray } from '../../../../shared/protocol.js';

type OpClass = new (...args: never[]) => Tensor;

export function handle(request: OracleRequest): unknown {
  const Op = (ops as unknown as Record<string, OpClass>)[String(request.op)];
  if (typeof Op !== 'function') throw new Error(`ops.ts does not export ${String(request.op)}`);
  const inputs = (request.inputs as WireArray[]).map((array) => new Input(fromWire(array)));
  const args: unknown[] = request.op === 'ReduceMean' ? [inputs[0], request.axes] : inputs;
  const node = new (Op as new (...args: unknown[]) => Tensor)(...args);
  const value = toWire(node.value);
  const gradients: unknown = node.backwardRule(fromWire(request.upstream as WireArray));
  return {
    value,
    gradients: Array.isArray(gradients) ? gradients.map(toWire) : toWire(gradients),
  };
}
