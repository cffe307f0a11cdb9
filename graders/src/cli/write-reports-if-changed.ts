/**
 * Writes the reports unless the folder already holds the reports of exactly this class result,
 * rendered by exactly this grader (a regrade in which nothing changed): rendering a class's pages
 * costs more than grading it from the cache. `graderFingerprint` (result-cache.ts) covers the
 * report code, its templates and the assignment's views, so a new release renders again. The
 * report code (handlebars, vega) is loaded only when something is written.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ClassResult } from '../trusted/result.js';
import type { ReportFormat } from '../trusted/reports/report-formats.js';
import type { ReportOptions } from '../trusted/reports/report-formats.js';
import { writeFileAtomic } from '../trusted/reports/write-file-atomic.js';

const STAMP = join('.cache', 'reports.sha256');
/** A file (or folder) each format always writes, to notice reports deleted since the stamp. */
const FILE_CHECKED: Record<ReportFormat, string> = {
  html: 'index.html',
  csv: 'grades.csv',
  json: 'results.json',
  junit: 'junit.xml',
  markdown: 'summary.md',
  gradescope: 'gradescope',
  classroom: 'classroom',
};

/** The paths written, or null when the reports in `outDir` were already these. */
export async function writeReportsIfChanged(
  outDir: string,
  result: ClassResult,
  formats: readonly ReportFormat[] = ['html', 'csv', 'json'],
  options: ReportOptions = {},
  graderFingerprint = '',
): Promise<string[] | null> {
  const stamp = createHash('sha256').update(JSON.stringify({ result, formats, options, graderFingerprint })).digest('hex');
  const checked = result.submissions.length === 0 ? formats.filter((f) => f !== 'gradescope' && f !== 'classroom') : formats;
  let previous = '';
  try {
    previous = readFileSync(join(outDir, STAMP), 'utf8').trim();
  } catch {
    // No reports written here yet.
  }
  if (previous === stamp && checked.every((format) => existsSync(join(outDir, FILE_CHECKED[format])))) return null;
  const { writeReports } = await import('../trusted/reports/index.js');
  const written = await writeReports(outDir, result, formats, options);
  // The stamp's folder is the result cache's only by default (--cache may put that elsewhere).
  await mkdir(join(outDir, dirname(STAMP)), { recursive: true });
  await writeFileAtomic(join(outDir, STAMP), `${stamp}\n`);
  return written;
}
