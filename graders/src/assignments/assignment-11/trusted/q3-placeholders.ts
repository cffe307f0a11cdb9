/**
 * Q3's per-entry credit is for attempts only. Some matrices are right in places without any
 * computing: one number in every entry (0 above all), the image or a block of it copied, a kernel
 * repeated or padded with 0s. Such a placeholder is right wherever the answer happens to hold the
 * same number, and that earns nothing.
 *
 * The rule: a matrix follows a placeholder when it copies it on more than half of the entries
 * where the placeholder is wrong. An entry earns credit when it is right and no placeholder the
 * matrix follows is right there too.
 *
 * A real attempt follows no placeholder: where a placeholder is wrong, the attempt is right or
 * wrong in its own way, and agrees with it only by chance, so every right entry keeps its credit
 * (slips, a kernel entry's sign, a transposed result). A placeholder earns nothing, and neither
 * does a placeholder with a few entries changed; an attempt left unfinished with 0s earns its
 * computed entries only.
 */
import { Q3_IMAGE, Q3_KERNELS } from '@assignment-11/reference/src/q3-image.js';

/** A matrix a student could hand in without computing anything. */
export interface Placeholder {
  /** What it is, for the student's page: "a matrix of 0s", "the image's 6x6 block at row 2, column 1". */
  description: string;
  matrix: number[][];
  /**
   * Its own entries, when not all of them, which must be copied too: a padded kernel is the kernel
   * where it lies (the 0s around it are the matrix of 0s), so a matrix of 0s alone does not follow it.
   */
  own?: boolean[][];
}

/** Which entries of a matrix earn credit, and the placeholder that kept the others from it. */
export interface Credit {
  /** credited[i][j]: entry [i][j] is right and not right by default. */
  credited: boolean[][];
  /** The followed placeholder the matrix equals on the most entries, when it follows one. */
  followed?: Placeholder;
}

/** A student's matrix: null where an entry is not a number. */
type Answer = readonly (readonly (number | null)[])[];

/** Two entries are the same number (as the comparison with the answer decides). */
const same = (a: number | null | undefined, b: number): boolean => typeof a === 'number' && Math.abs(a - b) <= 1e-9;

const square = <T>(size: number, entry: (i: number, j: number) => T): T[][] =>
  Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => entry(i, j)));

/** Every size x size block of the image, contiguous or taking every s-th row and column. */
function imageBlocks(size: number): Placeholder[] {
  const blocks: Placeholder[] = [];
  const length = Q3_IMAGE.length;
  for (let step = 1; step * (size - 1) < length; step++) {
    for (let top = 0; top + step * (size - 1) < length; top++) {
      for (let left = 0; left + step * (size - 1) < length; left++) {
        const where = `row ${top + 1}, column ${left + 1}`;
        blocks.push({
          description:
            step === 1
              ? `the image's ${size}x${size} block at ${where}`
              : `every ${step === 2 ? 'second' : `${step}th`} row and column of the image from ${where}`,
          matrix: square(size, (i, j) => Q3_IMAGE[top + step * i][left + step * j]),
        });
      }
    }
  }
  return blocks;
}

/** Each kernel of Q3 repeated across the matrix (from any of its entries) or padded with 0s around it. */
function kernelCopies(size: number): Placeholder[] {
  const copies: Placeholder[] = [];
  for (const [name, { kernel }] of Object.entries(Q3_KERNELS)) {
    const rows = kernel.length;
    const cols = kernel[0].length;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const matrix = square(size, (i, j) => kernel[(r + i) % rows][(c + j) % cols]);
        copies.push({ description: `the kernel of ${name} repeated`, matrix });
      }
    }
    for (let top = 0; top + rows <= size; top++) {
      for (let left = 0; left + cols <= size; left++) {
        const inside = (i: number, j: number) => i >= top && i < top + rows && j >= left && j < left + cols;
        copies.push({
          description: `the kernel of ${name} padded with 0s`,
          matrix: square(size, (i, j) => (inside(i, j) ? kernel[i - top][j - left] : 0)),
          own: square(size, inside),
        });
      }
    }
  }
  return copies;
}

/** The placeholders a size x size answer is compared with: one number everywhere (each number `got` holds), image blocks, kernels. */
export function placeholdersFor(size: number, got: Answer): Placeholder[] {
  const numbers = [...new Set(got.flat().filter((x): x is number => x !== null))];
  const constants = numbers.map((c) => ({ description: `a matrix of ${c}s`, matrix: square(size, () => c) }));
  return [...constants, ...imageBlocks(size), ...kernelCopies(size)];
}

/** Whether `got` holds the placeholder's number on more than half of the entries (of those `among`) where the placeholder is wrong. */
function copiesMostly(got: Answer, expected: number[][], placeholder: number[][], among = (_i: number, _j: number) => true): boolean {
  let wrong = 0;
  let copied = 0;
  expected.forEach((row, i) =>
    row.forEach((x, j) => {
      if (!among(i, j) || same(placeholder[i][j], x)) return;
      wrong++;
      if (same(got[i][j], placeholder[i][j])) copied++;
    }),
  );
  return 2 * copied > wrong;
}

/** Whether `got` follows the placeholder: copies it mostly, over the whole matrix and over its own entries. */
function follows(got: Answer, expected: number[][], { matrix, own }: Placeholder): boolean {
  return copiesMostly(got, expected, matrix) && (own === undefined || copiesMostly(got, expected, matrix, (i, j) => own[i][j]));
}

/** Which entries of `got` (of the shape of `expected`) earn credit under the rule above. */
export function creditedEntries(got: Answer, expected: number[][], placeholders: readonly Placeholder[]): Credit {
  const followed = placeholders.filter((p) => follows(got, expected, p));
  const rightByDefault = (p: Placeholder, i: number, j: number) => same(got[i][j], expected[i][j]) && same(p.matrix[i][j], expected[i][j]);
  const credited = expected.map((row, i) => row.map((x, j) => same(got[i][j], x) && !followed.some((p) => rightByDefault(p, i, j))));
  const withholding = followed.filter((p) => expected.some((row, i) => row.some((_, j) => rightByDefault(p, i, j))));
  if (withholding.length === 0) return { credited };
  const agreement = (p: Placeholder) => p.matrix.reduce((count, row, i) => count + row.filter((x, j) => same(got[i][j], x)).length, 0);
  return { credited, followed: withholding.reduce((best, p) => (agreement(p) > agreement(best) ? p : best)) };
}
