/**
 * Q3: checks that answers/q3.json is filled in and has the right form. It does not check the
 * numbers themselves: the grader does.
 */
import { readFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { Q3_KERNELS } from '../src/q3-image.js';

const ANSWERS_FILE = 'answers/q3.json';
const NOT_FILLED_IN = `Q3: ${ANSWERS_FILE} is not filled in yet`;

function readAnswers(): Record<string, unknown> {
  const text = readFileSync(new URL(`../${ANSWERS_FILE}`, import.meta.url), 'utf8');
  let answers: unknown;
  try {
    answers = JSON.parse(text);
  } catch (error) {
    throw new Error(`Q3: ${ANSWERS_FILE} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    throw new Error(`Q3: ${ANSWERS_FILE} must hold one object with the keys "k1" and "k2"`);
  }
  return answers as Record<string, unknown>;
}

function holdsNull(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.some(holdsNull));
}

/** Throws one sentence saying what is wrong with the matrix under `name`, if anything. */
function checkForm(name: keyof typeof Q3_KERNELS, matrix: unknown): void {
  const size = Q3_KERNELS[name].outputSize;
  const where = `Q3: "${name}" in ${ANSWERS_FILE}`;
  if (matrix === undefined) throw new Error(`${where} is missing`);
  if (holdsNull(matrix)) throw new Error(NOT_FILLED_IN);
  if (!Array.isArray(matrix) || matrix.length !== size) {
    throw new Error(`${where} must be a list of ${size} rows, got ${Array.isArray(matrix) ? `${matrix.length} rows` : JSON.stringify(matrix)}`);
  }
  matrix.forEach((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== size) {
      throw new Error(`${where}: row ${i} must hold ${size} numbers, got ${JSON.stringify(row)}`);
    }
    row.forEach((entry: unknown, j) => {
      if (typeof entry !== 'number' || !Number.isFinite(entry)) {
        throw new Error(`${where}: entry [${i}][${j}] must be a number, got ${JSON.stringify(entry)}`);
      }
    });
  });
}

describe('Q3 convolution by hand', () => {
  test('k1 with stride 1: a 6x6 matrix of numbers', () => {
    checkForm('k1', readAnswers().k1);
  });

  test('k2 with stride 2: a 4x4 matrix of numbers', () => {
    checkForm('k2', readAnswers().k2);
  });
});
