/**
 * Writes the reports unless the folder already holds the reports of exactly this class result
 * (a regrade in which nothing changed): rendering a class's pages costs more than grading it
 * from the cache. The report code (handlebars, vega) is loaded only when something is written.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClassResult } from '../trusted/result.js';
import { writeFileAtomic } from '../trusted/reports/write-file-atomic.js';

const STAMP = join('.cache', 'reports.sha256');
const FILES_CHECKED = ['index.html', 'results.json', 'grades.csv'];

/** The paths written, or null when the reports in `outDir` were already these. */
export async function writeReportsIfChanged(outDir: string, result: ClassResult): Promise<string[] | null> {
  const stamp = createHash('sha256').update(JSON.stringify(result)).digest('hex');
  let previous = '';
  try {
    previous = readFileSync(join(outDir, STAMP), 'utf8').trim();
  } catch {
    // No reports written here yet.
  }
  if (previous === stamp && FILES_CHECKED.every((file) => existsSync(join(outDir, file)))) return null;
  const { writeReports } = await import('../trusted/reports/index.js');
  const written = await writeReports(outDir, result);
  await writeFileAtomic(join(outDir, STAMP), `${stamp}\n`);
  return written;
}
