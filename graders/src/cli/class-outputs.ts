/**
 * What `grade` and `grade merge` both write once the class in --out is known: the reports (unless
 * they are already these), no page of a submission the class no longer has, the timings, the
 * manual items still pending and, with --format classroom, the Classroom output of the
 * submissions this run brought.
 */
import { join } from 'node:path';
import type { AssignmentDefinition } from '../trusted/assignment.js';
import { writePendingManualGrades } from '../trusted/pending-manual-grades.js';
import { REPORT_FORMATS, manualItemsOf, partFilesOf, type ReportFormat, type ReportOptions } from '../trusted/reports/report-formats.js';
import { writeFileAtomic } from '../trusted/reports/write-file-atomic.js';
import { graderFingerprint } from '../trusted/result-cache.js';
import type { ClassResult } from '../trusted/result.js';
import type { Rubric } from '../trusted/rubric.js';
import type { MergedClass } from './class-merge.js';
import { reportClassroom } from './classroom-output.js';
import { timingsWithKept, type PreviousClass } from './kept-results.js';
import { removeStaleReports } from './stale-reports.js';
import { writeReportsIfChanged } from './write-reports-if-changed.js';

export interface ClassOutputs {
  out: string;
  assignment: AssignmentDefinition;
  rubric: Rubric;
  /** The formats asked for; results.json is written whenever the folder held a class already. */
  formats: readonly ReportFormat[];
  previous: PreviousClass;
  merged: MergedClass;
  /** This run's timings, by submission (the kept submissions' are carried over from the folder). */
  timings: Record<string, unknown>;
  /** The submissions this run graded or merged in, for the Classroom output. */
  broughtIds: ReadonlySet<string>;
  /** Whether the Classroom output also prints each submission's points (not with --json). */
  printPoints: boolean;
}

/** Writes the class's outputs; returns the formats written and the report files (null when they were already these). */
export async function writeClassOutputs(c: ClassOutputs): Promise<{ classFormats: ReportFormat[]; written: string[] | null }> {
  const { out, merged, previous } = c;
  const options: ReportOptions = {
    partFiles: partFilesOf(c.rubric),
    manualItems: manualItemsOf(c.rubric),
    partView: c.assignment.partView,
  };
  // results.json is the class's record, which the next run keeps: written whenever there was one.
  const classFormats = REPORT_FORMATS.filter((format) => c.formats.includes(format) || (format === 'json' && previous.result !== null));
  const written = await writeReportsIfChanged(out, merged.result, classFormats, options, graderFingerprint(c.assignment));
  removeStaleReports(
    out,
    previous.ids,
    merged.result.submissions.map((s) => s.id),
  );
  const timings = timingsWithKept(out, c.timings, merged.keptSubmissions);
  await writeFileAtomic(join(out, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
  await writePendingManualGrades(out, merged.result);
  if (c.formats.includes('classroom')) {
    const brought: ClassResult = { ...merged.result, submissions: merged.result.submissions.filter((s) => c.broughtIds.has(s.id)) };
    reportClassroom(brought, options, c.printPoints);
  }
  return { classFormats, written };
}
