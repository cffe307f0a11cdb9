/**
 * GitHub Classroom: "Points X/Y" per submission on stdout, and in GitHub Actions with exactly one
 * submission the step output `result` that the Classroom reporter reads.
 */
import { appendFileSync } from 'node:fs';
import { classroomResult, encodeClassroomResult } from '../trusted/reports/classroom-report.js';
import { formatPoints } from '../trusted/reports/format-points.js';
import type { ReportOptions } from '../trusted/reports/report-formats.js';
import type { ClassResult } from '../trusted/result.js';
import { printable } from './printable.js';

export function reportClassroom(result: ClassResult, options: ReportOptions, printPoints: boolean): void {
  for (const submission of result.submissions) {
    const points = `Points ${formatPoints(submission.total)}/${formatPoints(result.rubric.max)}`;
    if (printPoints) process.stdout.write(result.submissions.length === 1 ? `${points}\n` : `${printable(submission.id)}: ${points}\n`);
  }
  const output = process.env.GITHUB_OUTPUT;
  if (output && result.submissions.length === 1) {
    appendFileSync(output, `result=${encodeClassroomResult(classroomResult(result, result.submissions[0], options))}\n`);
  }
}
