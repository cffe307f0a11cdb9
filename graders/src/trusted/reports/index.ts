/**
 * The reports of the `grade` command: `writeReports` turns a ClassResult into files in one folder
 * (`index.html`, a page per submission, `review.html` with its `assets/`, `grades.csv`, `results.json`
 * by default; on request `junit.xml`, `summary.md`, `gradescope/<id>/results.json`,
 * `classroom/<id>.b64`), each written atomically.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ClassResult } from '../result.js';
import { renderClassroomReport } from './classroom-report.js';
import { renderCsvReport } from './csv-report.js';
import { renderGradescopeReport } from './gradescope-report.js';
import { renderHtmlReport } from './html-report.js';
import { renderJsonReport } from './json-report.js';
import { renderJunitReport } from './junit-report.js';
import { renderMarkdownReport } from './markdown-report.js';
import { writeKatexAssets } from './katex-assets.js';
import type { ReportFile } from './report-file.js';
import { renderReviewReport } from './review-report.js';
import { DEFAULT_REPORT_FORMATS, REPORT_FORMATS, type ReportFormat, type ReportOptions } from './report-formats.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** The HTML pages: the class's and each submission's (html-report.ts), and the TA's review page (review-report.ts). */
async function renderHtmlPages(result: ClassResult, options: ReportOptions): Promise<ReportFile[]> {
  return [...(await renderHtmlReport(result, options)), ...(await renderReviewReport(result, options))];
}

const RENDERERS: Record<ReportFormat, (result: ClassResult, options: ReportOptions) => ReportFile[] | Promise<ReportFile[]>> = {
  html: renderHtmlPages,
  csv: renderCsvReport,
  json: renderJsonReport,
  gradescope: renderGradescopeReport,
  classroom: renderClassroomReport,
  junit: renderJunitReport,
  markdown: renderMarkdownReport,
};

/** Writes the reports in `formats` into `outDir` (created if needed); returns the written paths. */
export async function writeReports(
  outDir: string,
  result: ClassResult,
  formats: readonly ReportFormat[] = DEFAULT_REPORT_FORMATS,
  options: ReportOptions = {},
): Promise<string[]> {
  for (const format of formats) {
    if (!Object.hasOwn(RENDERERS, format)) {
      throw new Error(`writeReports: unknown report format "${String(format)}"; expected one of ${REPORT_FORMATS.join(', ')}.`);
    }
  }
  // Render everything first, so a rendering bug writes nothing rather than half a report set.
  const files: ReportFile[] = [];
  for (const format of formats) files.push(...(await RENDERERS[format](result, options)));
  const paths = files.map((file) => join(outDir, file.name));
  for (const folder of new Set([outDir, ...paths.map((path) => dirname(path))])) await mkdir(folder, { recursive: true });
  await Promise.all(files.map((file, index) => writeFileAtomic(paths[index], file.content)));
  // The review page's math needs KaTeX's stylesheet and fonts beside it.
  if (formats.includes('html')) paths.push(...(await writeKatexAssets(outDir)));
  return paths;
}

export { renderCsvReport, guardFormula, CSV_REPORT_NAME } from './csv-report.js';
export { renderHtmlReport, HTML_INDEX_NAME } from './html-report.js';
export { renderReviewReport, REVIEW_PAGE_NAME } from './review-report.js';
export { renderJsonReport, canonicalClassResult, JSON_REPORT_NAME } from './json-report.js';
export { pageNames, submissionStems } from './page-names.js';
export { renderGradescopeReport, gradescopeResults, gradescopeResultsPath, GRADESCOPE_FOLDER } from './gradescope-report.js';
export { renderClassroomReport, classroomResult, classroomResultPath, encodeClassroomResult, CLASSROOM_FOLDER } from './classroom-report.js';
export { renderJunitReport, JUNIT_REPORT_NAME } from './junit-report.js';
export { renderMarkdownReport, markdownSummary, markdownText, MARKDOWN_REPORT_NAME } from './markdown-report.js';
export { DEFAULT_REPORT_FORMATS, REPORT_FORMATS, isReportFormat, manualItemsOf, partFilesOf, type ManualItem, type ReportFormat, type ReportOptions } from './report-formats.js';
export { formatPoints } from './format-points.js';
export type { ReportFile } from './report-file.js';
export { writeFileAtomic } from './write-file-atomic.js';
