/**
 * `manual-grades.pending.csv`: the manual items of a class still waiting for a TA's score, as rows
 * of the TAs' own file (`id,part,points,comment`) with the points empty, for the TA to fill in and
 * pass back with `grade --manual FILE` (a row left empty stays pending). One row per pending item
 * (`isPendingReview`, as grades.csv's "pending" status), by id in code-unit order, then in rubric
 * order. The id is a folder's name, a student's text: it is quoted and guarded against formulas as
 * in grades.csv, and read back as itself (see manual-grades.ts). CRLF line ends; the same class
 * gives the same bytes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassResult } from './result.js';
import { isPendingReview, sortedSubmissions } from './reports/class-summary.js';
import { csvTextField } from './reports/csv-report.js';
import { writeFileAtomic } from './reports/write-file-atomic.js';

export const PENDING_MANUAL_GRADES_NAME = 'manual-grades.pending.csv';

export interface PendingManualGrades {
  /** The file written (in the output folder). */
  path: string;
  /** How many items wait for a TA (rows below the header). */
  count: number;
}

/** The file's text and how many items it lists. */
export function renderPendingManualGrades(result: ClassResult): { content: string; count: number } {
  const order = result.rubric.parts.map((part) => part.id);
  const rows = sortedSubmissions(result).flatMap((submission) =>
    submission.parts
      .filter(isPendingReview)
      .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id))
      .map((part) => [csvTextField(submission.id), csvTextField(part.id), '', ''].join(',')),
  );
  return { content: ['id,part,points,comment', ...rows].map((line) => `${line}\r\n`).join(''), count: rows.length };
}

/** Writes the file into `outDir` (only when its content changed, so an unchanged class leaves it as it was). */
export async function writePendingManualGrades(outDir: string, result: ClassResult): Promise<PendingManualGrades> {
  const path = join(outDir, PENDING_MANUAL_GRADES_NAME);
  const { content, count } = renderPendingManualGrades(result);
  const previous = await readFile(path, 'utf8').catch(() => null);
  if (previous !== content) await writeFileAtomic(path, content);
  return { path, count };
}

/** The line for the end of a run: how many items wait and where to score them; null when none does. */
export function pendingManualGradesNote(pending: PendingManualGrades): string | null {
  if (pending.count === 0) return null;
  const items = pending.count === 1 ? '1 manual item waits' : `${pending.count} manual items wait`;
  return `${items} for a TA's score: fill in the points in ${pending.path} and pass it with --manual`;
}
