/**
 * `grade --json`: what a script needs from a run, as one JSON object on stdout: the output folder
 * and formats, counts, and per submission its id, total, maximum, status, the parts the grader
 * failed to judge (`graderErrors`, when there are any), whether it came from the cache, the paths
 * of its own reports, and each part's points, maximum and status (`parts`: `pending` waits for a
 * TA, `no-answer` is a TA's text left as the template); and what was kept of the class already in
 * the output folder.
 */
import { join } from 'node:path';
import type { ClassResult } from '../trusted/result.js';
import { graderErrorParts } from '../trusted/reports/class-summary.js';
import { classroomResultPath } from '../trusted/reports/classroom-report.js';
import { gradescopeResultsPath } from '../trusted/reports/gradescope-report.js';
import { pageNames, submissionStems } from '../trusted/reports/page-names.js';
import type { ReportFormat } from '../trusted/reports/report-formats.js';

/** The class-wide file of each format (per-submission formats have none). */
const CLASS_FILES: Partial<Record<ReportFormat, string>> = {
  html: 'index.html',
  csv: 'grades.csv',
  json: 'results.json',
  junit: 'junit.xml',
  markdown: 'summary.md',
};

export interface JsonSummaryInput {
  command: 'grade' | 'merge';
  version: string;
  out: string;
  formats: readonly ReportFormat[];
  result: ClassResult;
  /** Ids taken from the result cache (nothing ran for them). */
  cached: ReadonlySet<string>;
  /**
   * What was kept from the class results already in the output folder: submissions this run did
   * not grade, and parts of those it graded that it did not (`--only`). Nothing when absent.
   */
  kept?: { submissions: readonly string[]; parts: number };
  /** Whether the reports were written (false: they already held exactly this result). */
  reportsWritten: boolean;
  seconds: number;
}

export function jsonSummary(input: JsonSummaryInput): object {
  const { result, out, formats } = input;
  const kept = new Set(input.kept?.submissions ?? []);
  const ids = result.submissions.map((s) => s.id);
  const pages = pageNames(ids);
  const stems = submissionStems(ids);
  const submissions = result.submissions.map((s) => {
    const reports: Record<string, string> = {};
    if (formats.includes('html')) reports.html = join(out, pages.get(s.id)!);
    if (formats.includes('gradescope')) reports.gradescope = join(out, gradescopeResultsPath(stems.get(s.id)!));
    if (formats.includes('classroom')) reports.classroom = join(out, classroomResultPath(stems.get(s.id)!));
    const graderErrors = graderErrorParts(s);
    return {
      id: s.id,
      total: s.total,
      max: s.max,
      status: s.status,
      cached: input.cached.has(s.id),
      kept: kept.has(s.id),
      ...(s.error ? { error: s.error } : {}),
      ...(graderErrors.length > 0 ? { graderErrors } : {}),
      reports,
      parts: s.parts.map((part) => ({ id: part.id, points: part.points, max: part.max, status: part.status })),
    };
  });
  return {
    command: input.command,
    version: input.version,
    out,
    seed: result.seed,
    formats,
    reportsWritten: input.reportsWritten,
    seconds: Math.round(input.seconds * 10) / 10,
    counts: {
      submissions: result.submissions.length,
      graded: result.submissions.filter((s) => s.status === 'graded').length,
      noSubmission: result.submissions.filter((s) => s.status === 'no-submission').length,
      errors: result.submissions.filter((s) => s.status === 'error').length,
      run: result.submissions.filter((s) => !input.cached.has(s.id) && !kept.has(s.id)).length,
      cached: result.submissions.filter((s) => input.cached.has(s.id)).length,
    },
    kept: { submissions: kept.size, parts: input.kept?.parts ?? 0 },
    files: formats.flatMap((format) => (CLASS_FILES[format] ? [join(out, CLASS_FILES[format]!)] : [])),
    submissions,
  };
}
