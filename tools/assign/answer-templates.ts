/**
 * JSON answer files (answers/q3.json) reach the students as templates: the same shape with every
 * number replaced by null. They are printed with one matrix row per line so that the template
 * reads like the matrix it stands for and can be filled in by overwriting the nulls.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Whether `fileName` (a path from the package root) is a JSON answer file. */
export function isJsonAnswerFile(fileName: string): boolean {
  return fileName.startsWith('answers/') && fileName.endsWith('.json');
}

function blankNumbers(value: Json): Json {
  if (typeof value === 'number') return null;
  if (Array.isArray(value)) return value.map(blankNumbers);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, blankNumbers(item)]));
  }
  return value;
}

const isContainer = (value: Json): boolean => value !== null && typeof value === 'object';

/**
 * JSON with two-space indentation, except that an array of plain values (a matrix row, a vector)
 * stays on one line: `[null, null, null]`.
 */
export function formatAnswerJson(value: Json, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (!value.some(isContainer)) return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    return `[\n${value.map((item) => inner + formatAnswerJson(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${formatAnswerJson(item, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/**
 * The student's template of a JSON answer file.
 *
 * @param text the reference answers
 * @param fileName e.g. "answers/q3.json", for the error message
 * @throws SyntaxError naming the file if `text` is not JSON
 */
export function answerTemplate(text: string, fileName: string): string {
  let answers: Json;
  try {
    answers = JSON.parse(text) as Json;
  } catch (error) {
    throw new SyntaxError(`${fileName}: the reference answers are not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return `${formatAnswerJson(blankNumbers(answers))}\n`;
}
