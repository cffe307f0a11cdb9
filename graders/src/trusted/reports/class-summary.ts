/**
 * Facts about a class that more than one report needs: the order of submissions, which ones still
 * wait for a TA, and how the class did per part.
 */
import type { ClassResult, PartResult, SubmissionResult } from '../result.js';

/** Submissions by id, in code-unit order, which (unlike localeCompare) is the same on every machine. */
export function sortedSubmissions(result: ClassResult): SubmissionResult[] {
  return [...result.submissions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * A manual item still waiting for a TA's score: the part says so (status "pending"), or it has a
 * text for the TA, no TA score, and points that its checks cannot give (max above the checks'
 * maxima: a part whose automatic check failed may still have its comment to score). A text alone
 * is not enough: a derivation shown to the TA earns nothing when all its part's points come from
 * checks, and a text that is no answer (`review.noAnswer`: missing, empty, the template) waits for no one.
 */
export function isPendingReview(part: PartResult): boolean {
  if (part.status === 'pending') return true;
  if (part.review === undefined || part.review.noAnswer !== undefined || part.manual !== undefined) return false;
  const checkPoints = part.checks.reduce((sum, check) => sum + check.max, 0);
  return part.max - checkPoints > 1e-9;
}

/** The ids of the parts the grader failed to judge (status "grader-error"): a TA has to look at them. */
export function graderErrorParts(submission: SubmissionResult): string[] {
  return submission.parts.filter((part) => part.status === 'grader-error').map((part) => part.id);
}

/** " (grader error in P1, P2)" after a submission's score, or "" when the grader judged every part. */
export function graderErrorNote(submission: SubmissionResult): string {
  const parts = graderErrorParts(submission);
  return parts.length === 0 ? '' : ` (grader error in ${parts.join(', ')})`;
}

/** A graded submission whose total may still change once a TA scores its manual items. */
export function hasPendingReview(submission: SubmissionResult): boolean {
  return submission.status === 'graded' && submission.parts.some(isPendingReview);
}

export interface PartRate {
  id: string;
  title: string;
  max: number;
  /** Graded submissions (status "graded"); submissions the harness could not grade are left out. */
  graded: number;
  /** How many of those passed every check of this part (one with checks, all passed, and only its TA's text left counts). */
  passed: number;
  /** passed / graded, 0 when nobody was graded. */
  passRate: number;
  /** Mean points on this part over the graded submissions. */
  meanPoints: number;
}

export function partRates(result: ClassResult): PartRate[] {
  const graded = result.submissions.filter((submission) => submission.status === 'graded');
  return result.rubric.parts.map(({ id, title, max }) => {
    const parts = graded.map((submission) => submission.parts.find((part) => part.id === id));
    const onlyTextLeft = (part: PartResult) => (part.status === 'pending' || part.status === 'no-answer') && part.checks.length > 0 && part.checks.every((check) => check.passed);
    const passed = parts.filter((part) => part?.status === 'passed' || (part !== undefined && onlyTextLeft(part))).length;
    const points = parts.reduce((sum, part) => sum + (part?.points ?? 0), 0);
    return {
      id,
      title,
      max,
      graded: graded.length,
      passed,
      passRate: graded.length === 0 ? 0 : passed / graded.length,
      meanPoints: graded.length === 0 ? 0 : points / graded.length,
    };
  });
}

export interface ClassStatistics {
  submissions: number;
  graded: number;
  /** Folders and zips without any of the assignment's files (status "no-submission"). */
  noSubmission: number;
  errors: number;
  pendingReview: number;
  /** Submissions with a part the grader failed to judge, which a TA has to look at. */
  graderErrors: number;
  /** Over graded submissions; null when there are none. */
  mean: number | null;
  median: number | null;
}

export function classStatistics(result: ClassResult): ClassStatistics {
  const totals = result.submissions
    .filter((submission) => submission.status === 'graded')
    .map((submission) => submission.total)
    .sort((a, b) => a - b);
  const middle = Math.floor(totals.length / 2);
  return {
    submissions: result.submissions.length,
    graded: totals.length,
    noSubmission: result.submissions.filter((submission) => submission.status === 'no-submission').length,
    errors: result.submissions.filter((submission) => submission.status === 'error').length,
    pendingReview: result.submissions.filter(hasPendingReview).length,
    graderErrors: result.submissions.filter((submission) => graderErrorParts(submission).length > 0).length,
    mean: totals.length === 0 ? null : totals.reduce((sum, total) => sum + total, 0) / totals.length,
    median: totals.length === 0 ? null : totals.length % 2 === 1 ? totals[middle] : (totals[middle - 1] + totals[middle]) / 2,
  };
}
