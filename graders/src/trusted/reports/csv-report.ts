/**
 * `grades.csv`: one row per submission (by id) with the points per rubric part, for a spreadsheet
 * or an LMS import. RFC 4180: CRLF line ends, fields with a comma, quote or line break are quoted.
 *
 * Status is the submission's status, except that a graded submission with a manual item still
 * waiting for a TA says `pending`: its total is not final yet.
 */
import type { ClassResult, SubmissionResult } from '../result.js';
import { hasPendingReview, sortedSubmissions } from './class-summary.js';
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
  return hasPendingReview(submission) ? 'pending' : submission.status;
}

function csvField(cell: Cell): string {
  // Numbers are ours (formatted, possibly negative) and are never guarded; text may come from
  // a student (the id is a folder name) and is.
  const text = 'text' in cell ? guardFormula(cell.text) : cell.number === undefined ? '' : formatPoints(cell.number);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return, which some strip
 * first) as a formula; a leading apostrophe makes it plain text (OWASP "CSV injection").
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
