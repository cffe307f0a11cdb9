/**
 * Scores that TAs enter by hand for manual items (a comment on a plot, a derivation: any part the rubric
 * gives manual points), kept in one CSV file the TAs own:
 *
 *   id,part,points,comment
 *   alice,P3,0.5,"clear explanation of the noise floor"
 *   bob,P3,,
 *
 * A row whose points are empty is an item still pending (as `grade` writes them in
 * manual-grades.pending.csv, for the TA to fill in). `grade` merges the scores into totals and
 * reports. Reading the file (`loadManualGrades`) refuses a row that does not fit the rubric;
 * checking it against the class (`checkManualGrades`) refuses two rows for one item and, when the
 * run covers the whole class, an id that names no submission. Each message names the file and line.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { PartResult, SubmissionResult } from './result.js';
import type { Rubric } from './rubric.js';
import { roundPoints } from './points.js';
import { CsvSyntaxError, csvRecords } from './csv-records.js';
import { closestName } from './closest-name.js';
import { guardFormula } from './reports/csv-report.js';
import { InputError } from './input-error.js';

export interface ManualGrade {
  points: number;
  comment: string;
}

/** Manual grades by submission id, then part id. */
export type ManualGrades = Map<string, Map<string, ManualGrade>>;

/** One row of the TAs' file. */
export interface ManualGradeRow {
  /** The line the row starts on. */
  line: number;
  /** The id cell as written. */
  written: string;
  /**
   * The id it means: the cell without the apostrophe that guards a formula in the CSV files
   * `grade` writes (`'=x` is the folder `=x`), else the cell itself. Never trimmed: it is a
   * folder's name, which may start or end with a space.
   */
  id: string;
  part: string;
  /** The TA's score, or null when the points are empty: the item is still pending. */
  grade: ManualGrade | null;
}

export interface ManualGradesFile {
  /** The file as given; undefined when there is none (no scores yet). */
  path: string | undefined;
  rows: ManualGradeRow[];
}

export interface ManualGradesCheck {
  /**
   * Are `knownIds` the whole class (the results written hold every submission: a run without
   * --shard, with the submissions it keeps, or grade merge)? Then an unknown id is an error, else a warning.
   */
  complete: boolean;
}

/** A manual grades file that cannot be read, or whose rows do not fit the rubric or the class. */
export class ManualGradesError extends InputError {
  override name = 'ManualGradesError';
  constructor(code: `E_MANUAL_GRADES_${string}`, message: string) {
    super(code, message);
  }
}

/** The id a cell means: `x` for a cell `'x` that is `guardFormula(x)`, the guard grade's CSV files add; else the cell. */
function unguardedId(cell: string): string {
  return cell.startsWith("'") && guardFormula(cell.slice(1)) === cell ? cell.slice(1) : cell;
}

/**
 * Reads the TAs' file; a missing file is no scores at all. Throws ManualGradesError naming the file
 * and line of a row that does not fit the rubric.
 */
export function loadManualGrades(path: string | undefined, rubric: Rubric): ManualGradesFile {
  if (path === undefined || !existsSync(path)) return { path: undefined, rows: [] };
  let records;
  try {
    records = csvRecords(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ManualGradesError('E_MANUAL_GRADES_CSV', `${path}:${error.line}: ${error.message}`);
    throw new ManualGradesError('E_MANUAL_GRADES_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`);
  }
  const [header, ...body] = records;
  const found = header?.line === 1 ? header.cells.join(',') : '';
  if (
    found
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .join(',') !== 'id,part,points,comment'
  ) {
    throw new ManualGradesError('E_MANUAL_GRADES_HEADER', `${path}:1: expected the header "id,part,points,comment", found "${found}"`);
  }
  const manualParts = rubric.parts.filter((p) => p.manual).map((p) => p.id);
  const rows = body.map(({ line, cells }): ManualGradeRow => {
    const where = `${path}:${line}`;
    const [written = '', partId = '', pointsText = '', comment = ''] = cells;
    if (written.trim() === '') {
      throw new ManualGradesError('E_MANUAL_GRADES_EMPTY_ID', `${where}: the id (the submission folder's name) is empty`);
    }
    const part = rubric.parts.find((p) => p.id === partId.trim());
    if (!part?.manual) {
      const expected = manualParts.join(', ');
      const unknown = `${where}: part "${partId}" has no manual points in the rubric`;
      throw new ManualGradesError('E_MANUAL_GRADES_PART', `${unknown}; expected one of ${expected}`);
    }
    const row = { line, written, id: unguardedId(written), part: part.id };
    if (pointsText.trim() === '') return { ...row, grade: null };
    const points = Number(pointsText);
    if (!Number.isFinite(points) || points < 0 || points > part.manual.points) {
      const range = `a number from 0 to ${part.manual.points} for ${part.id} (or empty while it is pending)`;
      throw new ManualGradesError('E_MANUAL_GRADES_POINTS', `${where}: points "${pointsText}" must be ${range}`);
    }
    return { ...row, grade: { points, comment: comment.trim() } };
  });
  return { path, rows };
}

/** The id a row means in a class of `known` ids: the cell as written when it is one, else the cell without its guard. */
export function resolvedId(row: ManualGradeRow, known: ReadonlySet<string>): string {
  return known.has(row.written) ? row.written : row.id;
}

/**
 * An id in a message, in JSON's quotes: a line break or a tab in it (it is a folder's name, a
 * student's text) is escaped, so it stays on its line; the command line escapes the rest.
 */
const quotedId = (id: string): string => JSON.stringify(id);

/**
 * Checks the TAs' rows against the ids of the class and returns the scores to merge. Two rows for
 * the same id and part are always an error (which one would count?). An id that names no
 * submission is an error when the run covers the whole class (`complete`), with the closest id as
 * "did you mean"; otherwise (a shard) it is a warning and its row is left out, since the
 * submission may be elsewhere: `grade merge`, which sees the whole class, checks again. Throws
 * ManualGradesError listing every problem, each with the file and line.
 */
export function checkManualGrades(
  file: ManualGradesFile,
  knownIds: Iterable<string>,
  check: ManualGradesCheck,
): { grades: ManualGrades; warnings: string[] } {
  const known = new Set(knownIds);
  const errors: string[] = [];
  const warnings: string[] = [];
  const firstLine = new Map<string, number>();
  const grades: ManualGrades = new Map();
  for (const row of file.rows) {
    const where = `${file.path}:${row.line}`;
    const id = resolvedId(row, known);
    const item = JSON.stringify([id, row.part]);
    const first = firstLine.get(item);
    if (first !== undefined) {
      errors.push(`${where}: a second row for ${quotedId(id)} ${row.part} (the first is line ${first}); keep one of the two`);
      continue;
    }
    firstLine.set(item, row.line);
    if (!known.has(id)) {
      const closest = closestName(id, known);
      const unknown = `${quotedId(row.written)}${closest === undefined ? '' : ` (did you mean ${quotedId(closest)}?)`}`;
      if (check.complete) errors.push(`${where}: no submission has the id ${unknown}; an id is a submission folder's name`);
      else {
        const leftOut = 'the row is left out (a run over the whole class, or grade merge, refuses it)';
        warnings.push(`${where}: no submission given to this run has the id ${unknown}; ${leftOut}`);
      }
      continue;
    }
    if (row.grade === null) continue;
    const byPart = grades.get(id) ?? new Map<string, ManualGrade>();
    byPart.set(row.part, row.grade);
    grades.set(id, byPart);
  }
  if (errors.length > 0) throw new ManualGradesError('E_MANUAL_GRADES_ROWS', errors.join('\n'));
  return { grades, warnings };
}

/**
 * Adds the TA's scores to a submission's result: each part with a score gets its points and the
 * TA's comment, and stops waiting for review; a part that had only its manual points left (pending,
 * or no answer, which a TA may still score) is passed, partial or failed by its new points. Returns
 * a new result; the total is recomputed.
 */
export function applyManualGrades(result: SubmissionResult, grades: ManualGrades, rubric: Rubric): SubmissionResult {
  const byPart = grades.get(result.id);
  if (!byPart) return result;
  const parts = result.parts.map((part): PartResult => {
    const grade = byPart.get(part.id);
    if (!grade || !rubric.parts.find((p) => p.id === part.id)?.manual) return part;
    const points = roundPoints(part.points + grade.points);
    const onlyManualLeft = part.status === 'pending' || part.status === 'no-answer';
    const status = onlyManualLeft ? (points >= part.max - 1e-9 ? 'passed' : points > 0 ? 'partial' : 'failed') : part.status;
    return { ...part, points, status, manual: grade };
  });
  return { ...result, parts, total: roundPoints(parts.reduce((sum, p) => sum + p.points, 0)) };
}
