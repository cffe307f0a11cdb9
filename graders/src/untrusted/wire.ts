/**
 * What crosses the process boundary when student code throws: the error, as plain bounded text.
 * Runs inside the untrusted child.
 *
 * The lengths cut here keep honest messages small; they bound nothing that matters, since student
 * code runs in this process too. The parent bounds every answer again as it reads it (answer.ts).
 */
import type { WireError } from '../shared/protocol.js';

const MESSAGE_CHARS = 2000;
const NAME_CHARS = 200;

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
