/**
 * Annotations for a pull request: one per part that fell short, on the student's file for that
 * part, at the line where the graded code starts (the part's `codeAt` in the assignment's
 * registry; line 1 when it cannot be found), with the findings and hints as the message.
 *
 * Messages and the folder in `file` may carry a student's text (an exception's message, a folder
 * name): GitHub shows an annotation as plain text, and `workflowCommand` escapes it so that it
 * stays the command's data, with control characters shown as escapes (workflow-commands.ts).
 */
import { submittedFiles, type AssignmentDefinition } from '../trusted/assignment.js';
import { findSubmissionRoot, folderTree } from '../trusted/intake/submission-root.js';
import type { Rubric } from '../trusted/rubric.js';
import { readSubmission } from '../trusted/intake.js';
import type { ClassResult } from '../trusted/result.js';
import { PART_STATUS_LABEL, findingLines, partFindings, pendingPoints, pointsOf } from '../trusted/reports/part-feedback.js';
import { formatPoints } from '../trusted/reports/format-points.js';

export interface Annotation {
  level: 'error' | 'notice';
  /** Relative to the repository root, e.g. submissions/alice/src/ops.ts; absent for the submission as a whole. */
  file?: string;
  line?: number;
  title: string;
  message: string;
}

/** The 1-based line where the code `pattern` finds starts in `text`, or 1. */
export function partLine(pattern: RegExp | undefined, text: string | undefined): number {
  const match = text === undefined || pattern === undefined ? null : pattern.exec(text);
  if (!match) return 1;
  const start = match.index + (match[0].length - match[0].trimStart().length);
  return text!.slice(0, start).split('\n').length;
}

/**
 * The annotations for a class result whose submissions are the folders `<submissionsDir>/<id>`
 * of a repository (`repo` on disk, `submissionsDir` relative to its root).
 */
export function annotations(
  result: ClassResult,
  assignment: AssignmentDefinition,
  rubric: Rubric,
  repo: string,
  submissionsDir: string,
): Annotation[] {
  const list: Annotation[] = [];
  for (const submission of result.submissions) {
    const given = `${submissionsDir}/${submission.id}`;
    if (submission.status === 'error') {
      list.push({
        level: 'error',
        title: `${submission.id}: not graded`,
        message: submission.error ?? 'the harness could not grade this submission',
      });
      continue;
    }
    if (submission.status === 'no-submission') {
      list.push({
        level: 'error',
        title: `${submission.id}: no submission`,
        message: submission.error ?? 'no file of the assignment found',
      });
      continue;
    }
    // The folder that holds the assignment's files, as the intake found it (it may be wrapped: alice/assignment-11/).
    const root = findSubmissionRoot(folderTree(`${repo}/${given}`), submittedFiles(assignment));
    const folder = root.kind === 'found' && root.folder !== '' ? `${given}/${root.folder}` : given;
    // The files as the grader read them (regular files inside the folder only).
    const files = readSubmission(`${repo}/${folder}`, assignment, rubric.limits.fileKiB * 1024).files;
    for (const part of submission.parts) {
      const definition = assignment.parts.find((p) => p.id === part.id);
      const file = definition?.file;
      const where = file ? { file: `${folder}/${file}`, line: partLine(definition?.codeAt, files.get(file)) } : {};
      const findings = partFindings(part);
      if (findings.length > 0) {
        const message = [
          `${part.title}: ${pointsOf(part.points, part.max)}, ${PART_STATUS_LABEL[part.status]}.`,
          ...findings.flatMap((f) => ['', ...findingLines(f)]),
        ].join('\n');
        list.push({ level: 'error', ...where, title: `${part.title} (${pointsOf(part.points, part.max)})`, message });
      } else if (pendingPoints(part) > 0) {
        const review = part.review?.file;
        list.push({
          level: 'notice',
          ...(review ? { file: `${folder}/${review}`, line: 1 } : where),
          title: `${part.title}: waiting for a TA`,
          message: `${formatPoints(pendingPoints(part))} point(s) of ${part.title} are scored by a TA${review ? ` from ${review}` : ''}.`,
        });
      }
    }
  }
  return list;
}
