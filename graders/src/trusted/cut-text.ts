/**
 * Cutting a text to a bound, saying so at its end. Used wherever a text that a submission can make
 * long is bounded: the child's answers (answer.ts), the results (result-bounds.ts), the reports.
 */

/** `text` cut to `max` characters (the cut said at its end), never in the middle of a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = `… (${text.length - max} characters cut)`;
  let end = Math.max(0, max - note.length);
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1])) end--;
  return text.slice(0, end) + note;
}
