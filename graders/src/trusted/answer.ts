/**
 * Validation of everything the child sends. Its messages are untrusted data: they are checked
 * against a schema (the nonce, the request count, plain values of a bounded size) before any field
 * is used. A message that fails counts as no answer.
 *
 * Every answer is also bounded here, as it is read, whatever field carries what (WIRE_BOUNDS): the
 * child's own caps prove nothing, since student code runs there. Strings are cut, arrays and
 * objects shortened, values nested too deeply dropped, and an `error` object at any depth must be
 * exactly what the child's errorToWire makes. What reaches the checks, the results and the
 * reports is never larger than these bounds.
 */
import { z } from 'zod';
import type { OracleResponse, WireError } from '../shared/protocol.js';
import { cutText } from './cut-text.js';

/** The bounds of every value in an answer from the child (docs/security.md, "Bounds"). */
export const WIRE_BOUNDS = {
  /** Characters of any string, at any depth; a longer one is cut and ends with "… (N characters cut)". */
  stringChars: 2000,
  /** Characters of an error's name and of the part it names. */
  nameChars: 200,
  /** Items of any array (a 1000 x 1000 NDArray's data); the rest are dropped. */
  arrayItems: 1_000_000,
  /** Levels of arrays and objects inside one response's result; a value nested deeper becomes null. */
  depth: 16,
  /** Keys of any object; the first ones are kept. */
  objectKeys: 64,
} as const;

const boundedString = (max: number) => z.string().transform((text) => cutText(text, max));

const wireErrorSchema = z
  .object({
    name: boundedString(WIRE_BOUNDS.nameChars),
    message: boundedString(WIRE_BOUNDS.stringChars),
    part: boundedString(WIRE_BOUNDS.nameChars).optional(),
  })
  .strict();

const answerEnvelope = z
  .object({ type: z.literal('answer'), nonce: z.string(), bundle: z.string(), responses: z.array(z.unknown()) })
  .strict();

/** Thrown inside the reading of one answer when it is malformed; the answer then counts as no answer. */
class Malformed extends Error {}

/** An error object from the child, bounded; anything but `{ name, message, part? }` of strings is malformed. */
function readWireError(value: unknown): WireError {
  const parsed = wireErrorSchema.safeParse(value);
  if (!parsed.success) throw new Malformed();
  return parsed.data;
}

/**
 * `value` within WIRE_BOUNDS. Values already within them are returned as they are (no copy: the
 * answers hold thousands of number arrays, and this runs on every one); only the arrays and
 * objects on the way to something cut are copied.
 */
function bounded(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cutText(value, WIRE_BOUNDS.stringChars);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= WIRE_BOUNDS.depth) return null;
  return Array.isArray(value) ? boundedArray(value, depth) : boundedObject(value as Record<string, unknown>, depth);
}

function boundedArray(array: unknown[], depth: number): unknown[] {
  const length = Math.min(array.length, WIRE_BOUNDS.arrayItems);
  let copy: unknown[] | null = length < array.length ? array.slice(0, length) : null;
  for (let i = 0; i < length; i++) {
    const item = array[i];
    if (typeof item === 'number' || item === null || typeof item === 'boolean') continue;
    const kept = bounded(item, depth + 1);
    if (kept !== item) (copy ??= array.slice(0, length))[i] = kept;
  }
  return copy ?? array;
}

function boundedObject(object: Record<string, unknown>, depth: number): Record<string, unknown> {
  const keys = Object.keys(object);
  const kept = keys.length > WIRE_BOUNDS.objectKeys ? keys.slice(0, WIRE_BOUNDS.objectKeys) : keys;
  let changed = kept.length < keys.length;
  const values = kept.map((key) => {
    const value = object[key];
    const bound = key === 'error' ? readWireError(value) : bounded(value, depth + 1);
    if (bound !== value) changed = true;
    return bound;
  });
  if (!changed) return object;
  // Defined, not assigned: a "__proto__" key from JSON stays a plain key.
  const copy: Record<string, unknown> = {};
  kept.forEach((key, i) => Object.defineProperty(copy, key, { value: values[i], enumerable: true, writable: true, configurable: true }));
  return copy;
}

/** One response: exactly `{ result }` (bounded) or `{ error }` (an error object). */
function readResponse(value: unknown): OracleResponse {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Malformed();
  const keys = Object.keys(value);
  if (keys.length !== 1) throw new Malformed();
  if (keys[0] === 'result') return { result: bounded((value as { result: unknown }).result, 0) };
  if (keys[0] === 'error') return { error: readWireError((value as { error: unknown }).error) };
  throw new Malformed();
}

/** The answer to one run, bounded, or null when the message is not exactly that answer. */
export function readAnswer(message: unknown, nonce: string, bundle: string, count: number): OracleResponse[] | null {
  const parsed = answerEnvelope.safeParse(message);
  if (!parsed.success) return null;
  const { nonce: got, bundle: gotBundle, responses } = parsed.data;
  if (got !== nonce || gotBundle !== bundle || responses.length !== count) return null;
  try {
    return responses.map(readResponse);
  } catch {
    // Malformed, or too strange to read: either way not the answer asked for.
    return null;
  }
}

export function isNotImplemented(response: OracleResponse): boolean {
  return 'error' in response && response.error.name === 'NotImplemented';
}
