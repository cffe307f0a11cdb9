/**
 * Validation of everything the child sends. Its messages are untrusted data: they are checked
 * against a schema (the nonce, the request count, plain numbers of a bounded size) before any field
 * is used, and arrays are copied into fresh NDArrays. A message that fails counts as no answer.
 *
 * Every answer is also bounded here, as it is read, whatever field carries what (WIRE_BOUNDS): the
 * child's own caps prove nothing, since student code runs there. Strings are cut, arrays and
 * objects shortened, values nested too deeply dropped, and an `error` object at any depth must be
 * exactly what the child's errorToWire makes. What reaches the checks, the results and the
 * reports is never larger than these bounds.
 */
import { z } from 'zod';
import { NDArray, sizeOf } from '../../../reference/src/ndarray.js';
import type { OracleResponse, WireArray, WireError } from '../shared/protocol.js';
import { cutText } from './cut-text.js';

/** The bounds of every value in an answer from the child (README, Security, "Bounds"). */
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

const MAX_ELEMENTS = WIRE_BOUNDS.arrayItems;

export const wireArraySchema = z
  .object({
    shape: z.array(z.number().int().min(0).max(MAX_ELEMENTS)).max(8),
    data: z.array(z.number().or(z.null())).max(MAX_ELEMENTS),
  })
  .strict()
  .refine((a) => sizeOf(a.shape) === a.data.length, { message: 'data length does not match the shape' });

const boundedString = (max: number) => z.string().transform((text) => cutText(text, max));

const wireErrorSchema = z
  .object({ name: boundedString(WIRE_BOUNDS.nameChars), message: boundedString(WIRE_BOUNDS.stringChars), part: boundedString(WIRE_BOUNDS.nameChars).optional() })
  .strict();

const answerEnvelope = z.object({ type: z.literal('answer'), nonce: z.string(), bundle: z.string(), responses: z.array(z.unknown()) }).strict();

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

/**
 * The conditions of wireArraySchema, checked by hand: the answers hold thousands of arrays, and
 * zod's element-by-element parse cost more than judging them. Anything this does not accept
 * still goes through the schema, which stays the definition.
 */
function isWellFormedWireArray(value: unknown): value is WireArray {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 2 || !('shape' in value) || !('data' in value)) return false;
  const { shape, data } = value as { shape: unknown; data: unknown };
  if (!Array.isArray(shape) || shape.length > 8 || !Array.isArray(data) || data.length > MAX_ELEMENTS) return false;
  let size = 1;
  for (const n of shape) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_ELEMENTS) return false;
    size *= n;
  }
  if (size !== data.length) return false;
  for (const x of data) if (x !== null && (typeof x !== 'number' || !Number.isFinite(x))) return false;
  return true;
}

/** A finite-or-not array from the child, as an NDArray (null becomes NaN), or null when malformed. */
export function readWireArray(value: unknown): NDArray | null {
  if (isWellFormedWireArray(value)) return new NDArray(value.shape, value.data.map((x) => (x === null ? Number.NaN : x)));
  const parsed = wireArraySchema.safeParse(value);
  if (!parsed.success) return null;
  return new NDArray(parsed.data.shape, parsed.data.data.map((x) => (x === null ? Number.NaN : x)));
}

export function toWireArray(array: NDArray): WireArray {
  return { shape: [...array.shape], data: Array.from(array.data) };
}

/** Describes a value that should have been an array, for messages. */
export function describeNonArray(value: unknown): string {
  const described = z.object({ notAnArray: z.string().max(200) }).safeParse(value);
  return described.success ? described.data.notAnArray : 'not an array';
}

export function isNotImplemented(response: OracleResponse): boolean {
  return 'error' in response && response.error.name === 'NotImplemented';
}
