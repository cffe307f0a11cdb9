/**
 * Which reports to write and what some of them need beyond the ClassResult. Kept apart from the
 * renderers so that the command line can check `--format` without loading them.
 */
import type { PartView } from '../assignment.js';
import type { PartResult } from '../result.js';

export type ReportFormat = 'html' | 'csv' | 'json' | 'gradescope' | 'classroom' | 'junit' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'csv', 'json', 'gradescope', 'classroom', 'junit', 'markdown'];
/** What `grade` writes when no --format is given. */
export const DEFAULT_REPORT_FORMATS: readonly ReportFormat[] = ['html', 'csv', 'json'];

export function isReportFormat(name: string): name is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(name);
}

export interface ReportOptions {
  /**
   * The submission file each part grades, by part id (the rubric's `file`, e.g. "src/ops.ts"):
   * JUnit's `file` attribute and GitHub Classroom's `filename`. Left out when not given.
   */
  partFiles?: Readonly<Record<string, string>>;
  /** The assignment's extra view of a part (a plot, a note), for the HTML pages. */
  partView?: (part: PartResult) => Promise<PartView | null>;
  /**
   * The rubric's manual items by part id (`manualItemsOf`): the review page lists them, with a form
   * for their points. Left out, they are read from the class result (the points its checks cannot give).
   */
  manualItems?: Readonly<Record<string, ManualItem>>;
}

/** A part's points that a TA gives by hand (the rubric's `manual`), and what the TA grades. */
export interface ManualItem {
  points: number;
  /** What the TA grades, in a few words (e.g. "comment on the plot"). */
  what: string;
}

/** The manual items of a rubric, as ReportOptions want them. */
export function manualItemsOf(rubric: { parts: readonly { id: string; manual?: ManualItem }[] }): Record<string, ManualItem> {
  return Object.fromEntries(rubric.parts.flatMap((part) => (part.manual ? [[part.id, { points: part.manual.points, what: part.manual.what }]] : [])));
}

/** The part files of a rubric, as ReportOptions want them. */
export function partFilesOf(rubric: { parts: readonly { id: string; file: string }[] }): Record<string, string> {
  return Object.fromEntries(rubric.parts.map((part) => [part.id, part.file]));
}
