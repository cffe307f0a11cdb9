/**
 * Conversions between the framework's NDArray and the plain { shape, data } form that crosses
 * the process boundary. Runs inside the untrusted child.
 *
 * The lengths cut here keep honest messages small; they bound nothing that matters, since student
 * code runs in this process too. The parent bounds every answer again as it reads it (answer.ts).
 */
import { NDArray } from 'framework:ndarray';
import type { WireArray, WireError } from '../shared/protocol.js';

const MESSAGE_CHARS = 2000;
const NAME_CHARS = 200;

export function fromWire(array: WireArray): NDArray {
  return new NDArray(array.shape, array.data.map((x) => (x === null ? Number.NaN : x)));
}

/** Copies whatever the student code returned into plain numbers; anything else becomes a description. */
export function toWire(value: unknown): WireArray | { notAnArray: string } {
  if (value instanceof NDArray) {
    return { shape: Array.from(value.shape, Number), data: Array.from(value.data, Number) };
  }
  return { notAnArray: value === null ? 'null' : Array.isArray(value) ? `an array of length ${value.length}` : typeof value };
}

/** `read()` as a string of at most `max` characters; a description when reading it throws. */
function readAsText(read: () => unknown, max: number): string {
  try {
    return String(read()).slice(0, max);
  } catch {
    return '(unreadable)';
  }
}

/** What a thrown value says. Its name, message and part are read once each, and may be getters that throw. */
export function errorToWire(error: unknown): WireError {
  try {
    if (error instanceof Error) {
      const part = (error as { part?: unknown }).part;
      return {
        name: readAsText(() => error.name, NAME_CHARS),
        message: readAsText(() => error.message, MESSAGE_CHARS),
        ...(typeof part === 'string' ? { part: part.slice(0, NAME_CHARS) } : {}),
      };
    }
  } catch {
    // An error whose prototype chain or `part` throws when read: described below like any value.
  }
  return { name: 'thrown value', message: readAsText(() => error, MESSAGE_CHARS) };
}
