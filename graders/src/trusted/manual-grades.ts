/**
 * Scores that TAs enter by hand for manual items (a comment on a plot, a derivation: any part the rubric
 * gives manual points), kept in one CSV file the TAs own:
 *
 *   id,part,points,comment
 *   alice,P3,0.5,"clear explanation of the noise floor"
 *
 * `grade` merges them into totals and reports; a row that does not fit the rubric is an error
 * naming the file and line.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { PartResult, SubmissionResult } from './result.js';
import type { Rubric } from './rubric.js';
import { roundPoints } from './points.js';

export interface ManualGrade {
  points: number;
  comment: string;
}

/** Manual grades by submission id, then part id. */
export type ManualGrades = Map<string, Map<string, ManualGrade>>;

export class ManualGradesError extends Error {
  override name = 'ManualGradesError';
}

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines). */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

export function loadManualGrades(path: string | undefined, rubric: Rubric): ManualGrades {
  const grades: ManualGrades = new Map();
  if (path === undefined || !existsSync(path)) return grades;
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  if (header.join(',') !== 'id,part,points,comment') {
    throw new ManualGradesError(`${path}:1: expected the header "id,part,points,comment", found "${lines[0] ?? ''}"`);
  }
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${path}:${i + 2}`;
    const [id, partId, pointsText, comment = ''] = splitCsvLine(line);
    const part = rubric.parts.find((p) => p.id === partId?.trim());
    if (!id?.trim()) throw new ManualGradesError(`${where}: the id (the submission folder's name) is empty`);
    if (!part?.manual) {
      const manualParts = rubric.parts.filter((p) => p.manual).map((p) => p.id);
      throw new ManualGradesError(`${where}: part "${partId}" has no manual points in the rubric; expected one of ${manualParts.join(', ')}`);
    }
    const points = Number(pointsText);
    if (pointsText?.trim() === '' || !Number.isFinite(points) || points < 0 || points > part.manual.points) {
      throw new ManualGradesError(`${where}: points "${pointsText}" must be a number from 0 to ${part.manual.points} for ${part.id}`);
    }
    const byPart = grades.get(id.trim()) ?? new Map<string, ManualGrade>();
    byPart.set(part.id, { points, comment: comment.trim() });
    grades.set(id.trim(), byPart);
  });
  return grades;
}

/**
 * Adds the TA's scores to a submission's result: each part with a score gets its points and the
 * TA's comment, and stops waiting for review. Returns a new result; the total is recomputed.
 */
export function applyManualGrades(result: SubmissionResult, grades: ManualGrades, rubric: Rubric): SubmissionResult {
  const byPart = grades.get(result.id);
  if (!byPart) return result;
  const parts = result.parts.map((part): PartResult => {
    const grade = byPart.get(part.id);
    if (!grade || !rubric.parts.find((p) => p.id === part.id)?.manual) return part;
    const points = roundPoints(part.points + grade.points);
    const status = part.status === 'pending' ? (points >= part.max ? 'passed' : 'partial') : part.status;
    return { ...part, points, status, manual: grade };
  });
  return { ...result, parts, total: roundPoints(parts.reduce((sum, p) => sum + p.points, 0)) };
}
