/**
 * What rendering a student's answer for the review page may cost (render-answer.ts renders it, in
 * a worker thread that rendered-answers.ts holds to these bounds), and the cut of a long answer.
 * Apart from the renderer, so that the grader's own thread never loads markdown-it or KaTeX.
 */
/** How much of an answer is rendered, and what the rendering may cost (docs/security.md, "Bounds"). */
export const ANSWER_RENDER_BOUNDS = {
  /** Characters of an answer rendered; the rest is cut, with a note (the reference derivation has about 5,500). */
  inputChars: 32_000,
  /** Rendered HTML of one answer (the reference derivation gives about 200 KB); a larger one is shown as text. */
  outputChars: 1024 * 1024,
  /** Wall time for one answer in the worker; past it the answer is shown as text. */
  timeMs: 20_000,
  /** The worker's JavaScript heap; an answer that needs more is shown as text. */
  memoryMiB: 256,
  /** Macro expansions KaTeX may make in one formula (KaTeX's own default). */
  katexMaxExpand: 1000,
  /** The largest size, in em, a formula may ask for (`\rule`, `\kern`, `\hspace`…). */
  katexMaxSize: 10,
} as const;

/** The answer up to `inputChars`, at a line end where one is near, and how many characters were left out. */
export function cutAnswer(text: string, maxChars: number = ANSWER_RENDER_BOUNDS.inputChars): { text: string; cutChars: number } {
  if (text.length <= maxChars) return { text, cutChars: 0 };
  let end = maxChars;
  const lineEnd = text.lastIndexOf('\n', maxChars);
  if (lineEnd > maxChars * 0.8) end = lineEnd;
  // Never between the two halves of a character outside the BMP.
  else if (/[\uD800-\uDBFF]/.test(text[end - 1])) end -= 1;
  return { text: text.slice(0, end), cutChars: text.length - end };
}
