/**
 * Conversions between the framework's NDArray and the plain { shape, data } form that crosses
 * the process boundary. Runs inside the untrusted child.
 */
import { NDArray } from 'framework:ndarray';
import type { WireArray } from '../../../shared/protocol.js';

export function fromWire(array: WireArray): NDArray {
  return new NDArray(
    array.shape,
    array.data.map((x) => (x === null ? Number.NaN : x)),
  );
}

/** Copies whatever the student code returned into plain numbers; anything else becomes a description. */
export function toWire(value: unknown): WireArray | { notAnArray: string } {
  if (value instanceof NDArray) {
    return { shape: Array.from(value.shape, Number), data: Array.from(value.data, Number) };
  }
  return { notAnArray: value === null ? 'null' : Array.isArray(value) ? `an array of length ${value.length}` : typeof value };
}
