/**
 * Q3: the hand-computed convolutions in answers/q3.json, compared entry by entry with the
 * reference's own convolution of the assignment's image. No student code runs: the file is data,
 * parsed here. Partial credit per correct entry, for attempts only: an entry that a placeholder the
 * matrix mostly copies (0s, the image, a kernel) gets right by itself earns nothing
 * (q3-placeholders.ts). Classic mistakes are recognised by recomputing them (kernel flipped, wrong
 * stride, transposed result, wrong output shape).
 *
 * The expected matrices are answers a student could copy: they enter the result only when a TA
 * releases them (`Q3Options.releaseAnswers`, after the deadline). Until then the result marks which
 * entries are wrong, and no message or hint holds an expected value (the kernels and strides they
 * mention are in the assignment's text).
 */
import { NDArray } from '@assignment-11/reference/src/ndarray.js';
import { correlate2d, flip } from '@assignment-11/reference/src/convolution-primitives.js';
import { Q3_IMAGE, Q3_KERNELS } from '@assignment-11/reference/src/q3-image.js';
import { transpose } from '@assignment-11/reference/src/ndarray.js';
import type { PartContext } from '../../../trusted/assignment.js';
import type { CheckResult, MatrixComparison, PartResult, PartStatus } from '../../../trusted/result.js';
import { roundPoints } from '../../../trusted/points.js';
import { creditedEntries, placeholdersFor } from './q3-placeholders.js';

export type Q3Name = 'k1' | 'k2';

export interface Q3Options {
  /** Include the expected matrix in the result (default: false, the answers stay withheld). */
  releaseAnswers?: boolean;
}

export interface Q3Outcome {
  status: PartStatus;
  points: number;
  reason?: string;
  check: CheckResult;
}

const image = NDArray.from(Q3_IMAGE);

function expectedFor(name: Q3Name, stride = Q3_KERNELS[name].stride, kernel = NDArray.from(Q3_KERNELS[name].kernel)): number[][] {
  return correlate2d(image, kernel, stride).toNested() as number[][];
}

type Parsed = { matrix: (number | null)[][]; problem?: undefined } | { matrix?: undefined; problem: string; notFilled?: boolean };

function readMatrix(value: unknown, name: Q3Name): Parsed {
  const { outputSize } = Q3_KERNELS[name];
  const expectation = `a ${outputSize}x${outputSize} list of lists of numbers`;
  if (value === undefined) return { problem: `"${name}" is missing from answers/q3.json; expected ${expectation}` };
  if (!Array.isArray(value) || !value.every((row) => Array.isArray(row)))
    return { problem: `"${name}" is not a list of rows; expected ${expectation}` };
  const matrix = (value as unknown[][]).map((row) => row.map((x) => (typeof x === 'number' && Number.isFinite(x) ? x : null)));
  if (matrix.every((row) => row.every((x) => x === null))) return { problem: `"${name}" is not filled in yet`, notFilled: true };
  return { matrix };
}

function sameMatrix(a: (number | null)[][], b: number[][]): boolean {
  return (
    a.length === b.length &&
    a.every((row, i) => row.length === b[i].length && row.every((x, j) => x !== null && Math.abs(x - b[i][j]) <= 1e-9))
  );
}

function diagnose(name: Q3Name, got: (number | null)[][]): { diagnosis: string; hint: string } | undefined {
  const { kernel, stride, outputSize } = Q3_KERNELS[name];
  const k = NDArray.from(kernel);
  const otherStride = stride === 1 ? 2 : 1;
  if (sameMatrix(got, expectedFor(name, stride, flip(k)))) {
    return {
      diagnosis: 'kernel-flipped',
      hint: 'You flipped the kernel (a convolution in the signal-processing sense). Here Z[i][j] = sum of I[i+k][j+l] K[k][l]: lay the kernel on the image as it is written.',
    };
  }
  if (sameMatrix(got, expectedFor(name, otherStride))) {
    return {
      diagnosis: 'wrong-stride',
      hint: `Use a stride of ${stride} for ${name}: move the kernel ${stride} pixel${stride > 1 ? 's' : ''} at a time, giving ${outputSize}x${outputSize} numbers.`,
    };
  }
  if (sameMatrix(got, transpose(NDArray.from(expectedFor(name))).toNested() as number[][])) {
    return {
      diagnosis: 'transposed',
      hint: 'Your result is transposed: write one list per output ROW (row i holds the positions where the kernel starts at image row i).',
    };
  }
  const rows = got.length;
  const cols = got[0]?.length ?? 0;
  if (rows !== outputSize || got.some((row) => row.length !== outputSize)) {
    const otherSize = Math.floor((8 - kernel.length) / otherStride) + 1;
    if (rows === otherSize && cols === otherSize) {
      return {
        diagnosis: 'wrong-stride',
        hint: `A ${otherSize}x${otherSize} result comes from a stride of ${otherStride}; ${name} uses a stride of ${stride}, giving ${outputSize}x${outputSize}.`,
      };
    }
    return {
      diagnosis: 'wrong-output-shape',
      hint: `The output has floor((8 - ${kernel.length}) / ${stride}) + 1 = ${outputSize} rows and columns: the image is already padded, add no more padding.`,
    };
  }
  // One kernel entry used with the wrong sign.
  for (let r = 0; r < kernel.length; r++) {
    for (let c = 0; c < kernel[r].length; c++) {
      if (kernel[r][c] === 0) continue;
      const slipped = kernel.map((row) => [...row]);
      slipped[r][c] = -kernel[r][c];
      if (sameMatrix(got, expectedFor(name, stride, NDArray.from(slipped)))) {
        return {
          diagnosis: 'kernel-entry-sign',
          hint: `You used ${-kernel[r][c]} for the kernel entry in row ${r + 1}, column ${c + 1}; it is ${kernel[r][c]}. Every output entry where that entry meets a nonzero pixel is off.`,
        };
      }
    }
  }
  // A few entries off: the method is right, the arithmetic slipped.
  const expected = expectedFor(name);
  const wrong = expected.flat().filter((x, index) => {
    const g = got[Math.floor(index / outputSize)][index % outputSize];
    return g === null || Math.abs(g - x) > 1e-9;
  }).length;
  if (wrong > 0 && wrong <= Math.max(2, Math.floor((outputSize * outputSize) / 8))) {
    return {
      diagnosis: 'arithmetic-slip',
      hint: `${wrong === 1 ? 'One entry is' : `${wrong} entries are`} wrong and all the others right, so the method is right: redo the sums of products for the entries marked below.`,
    };
  }
  return undefined;
}

/** Grades one of k1/k2 from the text of answers/q3.json (undefined when the file is missing). */
export function gradeQ3(name: Q3Name, text: string | undefined, max: number, options: Q3Options = {}): Q3Outcome {
  const expected = expectedFor(name);
  const released = options.releaseAnswers === true ? { expected } : {};
  const checkName = `${name} entry by entry`;
  const fail = (status: PartStatus, message: string, extra: Partial<CheckResult> = {}): Q3Outcome => ({
    status,
    points: 0,
    reason: message,
    check: { name: checkName, passed: false, points: 0, max, message, ...extra },
  });
  if (text === undefined) return fail('missing', 'answers/q3.json: file not found');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(
      'failed',
      `answers/q3.json is not valid JSON (${(error as Error).message}); expected { "k1": [[...6 numbers], ...6 rows], "k2": [[...4 numbers], ...4 rows] }`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail('failed', 'answers/q3.json must hold an object { "k1": ..., "k2": ... }');
  }
  const read = readMatrix((parsed as Record<string, unknown>)[name], name);
  if (read.problem !== undefined)
    return fail(read.notFilled ? 'not-implemented' : 'failed', read.problem, { matrix: { ...released, got: null, wrong: null } });
  const got = read.matrix;
  const size = expected.length;
  const wrong = expected.map((row, i) =>
    row.map((x, j) => {
      const g = got[i]?.[j];
      return g === null || g === undefined || Math.abs(g - x) > 1e-9;
    }),
  );
  const wrongCount = wrong.flat().filter(Boolean).length;
  const shapeOk = got.length === size && got.every((row) => row.length === size);
  const matrix: MatrixComparison = { ...released, got, wrong };
  const found = diagnose(name, got);
  const total = size * size;
  const right = shapeOk ? total - wrongCount : 0;
  const credit = shapeOk ? creditedEntries(got, expected, placeholdersFor(size, got)) : undefined;
  const correct = credit ? credit.credited.flat().filter(Boolean).length : 0;
  const points = roundPoints((max * correct) / total);
  const passed = correct === total;
  const message = passed
    ? `all ${total} entries are right`
    : credit?.followed
      ? `${right} of ${total} entries are right, but ${correct === 0 ? 'none earns' : `only ${correct} earn`} credit: your matrix mostly copies ` +
        `${credit.followed.description}, which needs no computing, and an entry that it gets right by itself earns nothing`
      : shapeOk
        ? `${correct} of ${total} entries are right`
        : `the result is ${got.length}x${got[0]?.length ?? 0}, expected ${size}x${size}`;
  return {
    status: passed ? 'passed' : correct > 0 ? 'partial' : 'failed',
    points,
    ...(passed ? {} : { reason: message }),
    check: { name: checkName, passed, points, max, message, matrix, ...(found && !passed ? found : {}) },
  };
}

/** Grades Q3's matrix NAME from answers/q3.json: entry by entry, with the answers withheld unless released. */
export async function gradeQ3Part(context: PartContext, name: Q3Name): Promise<PartResult> {
  const { part } = context;
  const outcome = gradeQ3(name, context.files.get(part.file), part.max, { releaseAnswers: context.releaseAnswers });
  return {
    id: part.id,
    title: part.title,
    points: outcome.points,
    max: part.max,
    status: outcome.status,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    checks: [outcome.check],
  };
}
