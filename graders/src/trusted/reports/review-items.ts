/**
 * What the review page lists: for each of the rubric's manual items (a part with points a TA gives
 * by hand), the graded submissions whose answer file holds text, the ones still waiting for a TA's
 * score first (`isPendingReview`, as everywhere else), then the ones already scored, whose score the
 * page's form keeps. Parts in rubric order, submissions by id: the same class gives the same list.
 */
import type { ClassResult, PartResult, SubmissionResult } from '../result.js';
import { isPendingReview, sortedSubmissions } from './class-summary.js';
import type { ManualItem } from './report-formats.js';

export interface ReviewItem {
  submission: SubmissionResult;
  part: PartResult;
  /** The answer file, e.g. "answers/notes.md", and its text. */
  file: string;
  text: string;
  /** The points the TA may give (the rubric's manual points). */
  points: number;
  /** Waiting for a TA's score; else `part.manual` holds the score given. */
  pending: boolean;
  /** Where the item comes in `manual-grades.csv`: by id, then in rubric order, as in manual-grades.pending.csv. */
  csvOrder: number;
}

export interface ReviewGroup {
  partId: string;
  title: string;
  /** What the TA grades, from the rubric; null when the rubric was not given. */
  what: string | null;
  points: number;
  pending: ReviewItem[];
  scored: ReviewItem[];
}

/**
 * The manual items as the class result shows them, when the rubric's are not given: a part whose
 * answer text goes with points its checks cannot give.
 */
function manualItemsInResult(result: ClassResult): Record<string, ManualItem> {
  const items: Record<string, ManualItem> = {};
  for (const submission of result.submissions) {
    for (const part of submission.parts) {
      const points = part.max - part.checks.reduce((sum, check) => sum + check.max, 0);
      if (part.review !== undefined && points > 1e-9 && !Object.hasOwn(items, part.id)) items[part.id] = { points, what: '' };
    }
  }
  return items;
}

/** The review page's groups, one per manual item of the rubric (in rubric order), each with its items. */
export function reviewGroups(result: ClassResult, manualItems?: Readonly<Record<string, ManualItem>>): ReviewGroup[] {
  const manual = manualItems ?? manualItemsInResult(result);
  const partOrder = result.rubric.parts.map((part) => part.id);
  const submissions = sortedSubmissions(result).filter((submission) => submission.status === 'graded');
  const items: ReviewItem[] = [];
  for (const submission of submissions) {
    for (const part of [...submission.parts].sort((a, b) => partOrder.indexOf(a.id) - partOrder.indexOf(b.id))) {
      const item = manual[part.id];
      const text = part.review?.text;
      if (!item || !Object.hasOwn(manual, part.id) || typeof text !== 'string') continue;
      const pending = isPendingReview(part);
      if (!pending && part.manual === undefined) continue;
      items.push({ submission, part, file: part.review!.file, text, points: item.points, pending, csvOrder: items.length });
    }
  }
  return result.rubric.parts
    .filter((part) => Object.hasOwn(manual, part.id))
    .map((part) => {
      const ofPart = items.filter((item) => item.part.id === part.id);
      const what = manual[part.id].what;
      return {
        partId: part.id,
        title: part.title,
        what: what === '' ? null : what,
        points: manual[part.id].points,
        pending: ofPart.filter((item) => item.pending),
        scored: ofPart.filter((item) => !item.pending),
      };
    });
}
