/**
 * The reports of the `grade` command: `writeReports` turns a ClassResult into files in one folder
 * (`index.html` and a page per submission, `grades.csv`, `results.json`), each written atomically.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassResult } from '../result.js';
import { renderCsvReport } from './csv-report.js';
import { renderHtmlReport } from './html-report.js';
import { renderJsonReport } from './json-report.js';
import type { ReportFile } from './report-file.js';
import { writeFileAtomic } from './write-file-atomic.js';

export type ReportFormat = 'html' | 'csv' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'csv', 'json'];

const RENDERERS: Record<ReportFormat, (result: ClassResult) => ReportFile[] | Promise<ReportFile[]>> = {
  html: renderHtmlReport,
  csv: renderCsvReport,
  json: renderJsonReport,
};

/** Writes the reports in `formats` into `outDir` (created if needed); returns the written paths. */
export async function writeReports(outDir: string, result: ClassResult, formats: readonly ReportFormat[] = REPORT_FORMATS): Promise<string[]> {
  for (const format of formats) {
    if (!Object.hasOwn(RENDERERS, format)) {
      throw new Error(`writeReports: unknown report format "${String(format)}"; expected one of ${REPORT_FORMATS.join(', ')}.`);
    }
  }
  // Render everything first, so a rendering bug writes nothing rather than half a report set.
  const files: ReportFile[] = [];
  for (const format of formats) files.push(...(await RENDERERS[format](result)));
  await mkdir(outDir, { recursive: true });
  const paths = files.map((file) => join(outDir, file.name));
  await Promise.all(files.map((file, index) => writeFileAtomic(paths[index], file.content)));
  return paths;
}

export { renderCsvReport, guardFormula, CSV_REPORT_NAME } from './csv-report.js';
export { renderHtmlReport, HTML_INDEX_NAME } from './html-report.js';
export { renderJsonReport, canonicalClassResult, JSON_REPORT_NAME } from './json-report.js';
export { pageNames } from './page-names.js';
export { formatPoints } from './format-points.js';
export type { ReportFile } from './report-file.js';
export { writeFileAtomic } from './write-file-atomic.js';
