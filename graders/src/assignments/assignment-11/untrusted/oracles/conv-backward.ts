/**
 * Q2 oracle: the student's Conv2d forward and both gradients, and how often each gradient called
 * the given convolution primitives (counted by the grader's instrumented copy of them).
 * Request: { image, kernel, upstream: WireArray, stride: number }.
 */
import { Conv2d } from 'framework:conv';
import { Input } from 'framework:tensor';
import { callCounts, resetCallCounts } from '../instrumented-primitives.js';
import { errorToWire } from '../../../../untrusted/wire.js';
import { fromWire, toWire } from '../wire-arrays.js';
import type { OracleRequest, WireArray } from '../../../../shared/protocol.js';

function measure(compute: () => unknown): unknown {
  resetCallCounts();
  try {
    const gradient = toWire(compute());
    return { gradient, calls: { ...callCounts } };
  } catch (error) {
    return { error: errorToWire(error) };
  }
}

export function handle(request: OracleRequest): unknown {
  const conv = new Conv2d(
    new Input(fromWire(request.image as WireArray)),
    new Input(fromWire(request.kernel as WireArray)),
    Number(request.stride),
  );
  const upstream = fromWire(request.upstream as WireArray);
  return {
    value: toWire(conv.value),
    kernel: measure(() => conv.kernelGradient(upstream)),
    image: measure(() => conv.imageGradient(upstream)),
  };
}
