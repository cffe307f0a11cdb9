/**
 * An exact-answer matrix as a submission's page shows it: the student's with the wrong entries
 * marked and, only when the answers were released (`grade --release-answers`), the expected one
 * beside it. Without that the page holds no expected value, not even in the text for screen readers.
 */
import type { MatrixComparison } from '../result.js';
import { formatPoints } from './format-points.js';

const WITHHELD_NOTE = 'The expected values are not shown until your TA releases the answers.';

/** The view model of a part's matrices, with a sentence that sums up what is wrong. */
export function matrixView(matrix: MatrixComparison, partTitle: string) {
  const wrongAt = (row: number, column: number) => matrix.wrong?.[row]?.[column] === true;
  const released = matrix.expected;
  const expected =
    released === undefined
      ? null
      : matrixTable(`Expected matrix, ${partTitle}`, released, (row, column, value) => ({
          text: formatPoints(value),
          cellClass: wrongAt(row, column) ? 'differs' : '',
          wrong: false,
          expected: null,
        }));
  const got =
    matrix.got === null
      ? null
      : matrixTable(`Your matrix, ${partTitle}`, matrix.got, (row, column, value) => ({
          text: value === null ? '–' : formatPoints(value),
          cellClass: wrongAt(row, column) ? 'wrong' : '',
          wrong: wrongAt(row, column),
          expected: released === undefined ? null : expectedEntry(released, row, column),
        }));
  // `wrong` has the expected matrix's shape whenever there is an answer to compare.
  const expectedShape = released ?? matrix.wrong;
  const entries = expectedShape ? expectedShape.reduce((count, row) => count + row.length, 0) : 0;
  const wrongCount = matrix.wrong ? matrix.wrong.flat().filter(Boolean).length : 0;
  const shape = (rows: readonly unknown[][]) => `${rows.length}×${rows[0]?.length ?? 0}`;
  const where = released === undefined ? 'in your answer' : 'in your answer and outlined in the expected matrix';
  const expectedSize = expectedShape ? `; the expected one is ${shape(expectedShape)}` : '';
  let summary: string;
  if (matrix.got === null) summary = 'No matrix was found in your answer for this part.';
  else if (matrix.wrong === null) summary = `Your matrix is ${shape(matrix.got)}${expectedSize}.`;
  else if (wrongCount === 1) summary = `1 of ${entries} entries is wrong; it is marked ✗ ${where}.`;
  else summary = `${wrongCount} of ${entries} entries are wrong; they are marked ✗ ${where}.`;
  const withheld = released === undefined && wrongCount > 0 ? WITHHELD_NOTE : null;
  return { summary, withheld, expected, got };
}

/** A released expected entry as the page shows it, for the student's entry at (row, column). */
function expectedEntry(released: number[][], row: number, column: number): string {
  const value = released[row]?.[column];
  return value === undefined ? 'no entry' : formatPoints(value);
}

function matrixTable<T, Cell>(label: string, rows: readonly (readonly T[])[], cell: (row: number, column: number, value: T) => Cell) {
  const width = Math.max(0, ...rows.map((row) => row.length));
  return {
    label,
    columns: Array.from({ length: width }, (_, column) => column),
    rows: rows.map((values, row) => ({ index: row, cells: values.map((value, column) => cell(row, column, value)) })),
  };
}
