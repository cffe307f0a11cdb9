/**
 * `grades.csv`: one row per submission (by id) with the points per rubric part, for a spreadsheet
 * or an LMS import. RFC 4180: CRLF line ends; a field with a quote, a line break, a tab or either
 * spreadsheet separator (`,`, or `;` where the decimal mark is a comma) is quoted, so that a
 * spreadsheet of either kind reads it as one cell. Text that could run as a formula is guarded
 * (see guardFormula).
 *
 * Status is the submission's status (`graded`, `no-submission`, `error`), except that a graded submission with a part the grader failed
 * to judge says `grader-error`, and one with a manual item still waiting for a TA says `pending`:
 * its total is not final yet.
 */
import type { ClassResult, SubmissionResult } from '../result.js';
import { graderErrorParts, hasPendingReview, sortedSubmissions } from './class-summary.js';
import { formatPoints } from './format-points.js';
import type { ReportFile } from './report-file.js';

export const CSV_REPORT_NAME = 'grades.csv';

type Cell = { text: string } | { number: number | undefined };

export function renderCsvReport(result: ClassResult): ReportFile[] {
  const partIds = result.rubric.parts.map((part) => part.id);
  const header: Cell[] = ['id', ...partIds, 'total', 'max', 'status'].map((text) => ({ text }));
  const rows = sortedSubmissions(result).map((submission): Cell[] => [
    { text: submission.id },
    ...partIds.map((id) => ({ number: submission.parts.find((part) => part.id === id)?.points })),
    { number: submission.total },
    { number: submission.max },
    { text: csvStatus(submission) },
  ]);
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return [{ name: CSV_REPORT_NAME, content: `${lines.join('\r\n')}\r\n` }];
}

function csvStatus(submission: SubmissionResult): string {
  if (graderErrorParts(submission).length > 0) return 'grader-error';
  return hasPendingReview(submission) ? 'pending' : submission.status;
}

function csvField(cell: Cell): string {
  // Numbers are ours (formatted, possibly negative) and are never guarded; text may come from
  // a student (the id is a folder name) and is.
  if ('text' in cell) return csvTextField(cell.text);
  return cell.number === undefined ? '' : formatPoints(cell.number);
}

/**
 * A field of text, which may be a student's: guarded against formulas, and quoted when it holds a
 * quote, a line break, a tab, `,` or `;`, or starts or ends with a space, which some readers trim
 * from an unquoted field (an id is read back exactly). Every CSV the harness writes uses it.
 */
export function csvTextField(text: string): string {
  const guarded = guardFormula(text);
  return /[",;\t\r\n]|^\s|\s$/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/**
 * Spreadsheets run a cell that starts with = + - @ as a formula, some after skipping leading
 * spaces, quotes, tabs or carriage returns; a leading apostrophe makes it plain text (OWASP "CSV
 * injection"). So a cell is guarded when it starts with a tab, a carriage return or a NUL, or when
 * its first character after any whitespace and quotes is = + - or @.
 */
export function guardFormula(text: string): string {
  return /^(?:[\t\r\0]|[\s"']*[=+\-@])/.test(text) ? `'${text}` : text;
}
