/**
 * Annotations for a pull request: one per part that fell short, on the student's file for that
 * part (the rubric's `file`), at the line where the graded code starts (the class of a Q1(b) op,
 * `backward` for Q1(a), `mse` for Q1(c), ...; line 1 when it cannot be found), with the findings
 * and hints as the message.
 *
 * Messages and the folder in `file` may carry a student's text (an exception's message, a folder
 * name): GitHub shows an annotation as plain text, and `workflowCommand` escapes it so that it
 * stays the command's data, with control characters shown as escapes (workflow-commands.ts).
 */
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

/** Where the code a part grades starts, by part id. */
function anchor(partId: string): RegExp | null {
  if (partId === 'Q1a') return /^\s*backward\s*\(/m;
  if (partId.startsWith('Q1b.')) return new RegExp(`\\bclass\\s+${partId.slice(4).replace(/[^A-Za-z0-9]/g, '')}\\b`);
  if (partId === 'Q1c') return /\bfunction\s+mse\b|\bmse\s*=/;
  if (partId === 'Q1d') return /\bfunction\s+trainLinearRegression\b/;
  if (partId === 'Q2.kernel') return /^\s*kernelGradient\s*\(/m;
  if (partId === 'Q2.input') return /^\s*imageGradient\s*\(/m;
  if (partId.startsWith('Q3.')) return new RegExp(`"${partId.slice(3).replace(/[^A-Za-z0-9]/g, '')}"`);
  return null;
}

/** The 1-based line where `partId`'s code starts in `text`, or 1. */
export function partLine(partId: string, text: string | undefined): number {
  const pattern = anchor(partId);
  const match = text === undefined || pattern === null ? null : pattern.exec(text);
  if (!match) return 1;
  const start = match.index + (match[0].length - match[0].trimStart().length);
  return text!.slice(0, start).split('\n').length;
}

/**
 * The annotations for a class result whose submissions are the folders `<submissionsDir>/<id>`
 * of a repository (`repo` on disk, `submissionsDir` relative to its root).
 */
export function annotations(result: ClassResult, rubric: Rubric, repo: string, submissionsDir: string): Annotation[] {
  const list: Annotation[] = [];
  for (const submission of result.submissions) {
    const folder = `${submissionsDir}/${submission.id}`;
    if (submission.status === 'error') {
      list.push({ level: 'error', title: `${submission.id}: not graded`, message: submission.error ?? 'the harness could not grade this submission' });
      continue;
    }
    // The files as the grader read them (regular files inside the folder only).
    const files = readSubmission(`${repo}/${folder}`, rubric.limits.fileKiB * 1024).files;
    for (const part of submission.parts) {
      const file = rubric.parts.find((p) => p.id === part.id)?.file;
      const where = file ? { file: `${folder}/${file}`, line: partLine(part.id, files.get(file)) } : {};
      const findings = partFindings(part);
      if (findings.length > 0) {
        const message = [`${part.title}: ${pointsOf(part.points, part.max)}, ${PART_STATUS_LABEL[part.status]}.`, ...findings.flatMap((f) => ['', ...findingLines(f)])].join('\n');
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
