/**
 * Arrays as Assignment 11's answers carry them ({ shape, data }, data a flat row-major list), read
 * into the framework's NDArray after the wire's bounds (trusted/answer.ts) have been applied.
 */
import { z } from 'zod';
import { NDArray, sizeOf } from '@assignment-11/reference/src/ndarray.js';
import type { WireArray } from '../../../shared/protocol.js';
import { WIRE_BOUNDS } from '../../../trusted/answer.js';

const MAX_ELEMENTS = WIRE_BOUNDS.arrayItems;

export const wireArraySchema = z
  .object({
    shape: z.array(z.number().int().min(0).max(MAX_ELEMENTS)).max(8),
    data: z.array(z.number().or(z.null())).max(MAX_ELEMENTS),
  })
  .strict()
  .refine((a) => sizeOf(a.shape) === a.data.length, { message: 'data length does not match the shape' });

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
  if (isWellFormedWireArray(value))
    return new NDArray(
      value.shape,
      value.data.map((x) => (x === null ? Number.NaN : x)),
    );
  const parsed = wireArraySchema.safeParse(value);
  if (!parsed.success) return null;
  return new NDArray(
    parsed.data.shape,
    parsed.data.data.map((x) => (x === null ? Number.NaN : x)),
  );
}

export function toWireArray(array: NDArray): WireArray {
  return { shape: [...array.shape], data: Array.from(array.data) };
}

/** Describes a value that should have been an array, for messages. */
export function describeNonArray(value: unknown): string {
  const described = z.object({ notAnArray: z.string().max(200) }).safeParse(value);
  return described.success ? described.data.notAnArray : 'not an array';
}
