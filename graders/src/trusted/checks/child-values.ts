/**
 * Reading what the child sent without trusting its type. Answers are validated as an envelope only
 * (answer.ts): a `result` may hold any JSON at all, with any field of any type, and keys such as
 * `__proto__` or `constructor` as its own properties. These read such values for a message or a
 * lookup, and never throw.
 */

/** `value` as text for a message: at most `limit` characters of a string, or what kind of value it is. */
export function textOf(value: unknown, limit = 200): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')) text = String(value);
  else if (Array.isArray(value)) text = 'a list';
  else text = typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  if (text.length <= limit) return text;
  // Never end on half of a surrogate pair.
  const cut = /[\uD800-\uDBFF]/.test(text[limit - 1]) ? limit - 1 : limit;
  return `${text.slice(0, cut)}…`;
}

/** `value[key]` when `value` is an object holding `key` itself (not through its prototype); else undefined. */
export function ownField(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
  return (value as Record<string, unknown>)[key];
}
