/**
 * How the HTML pages name a submission's and a part's status: the words, and for a part the icon
 * of its row and the short note of its cell on the class table.
 */
import type { PartStatus, SubmissionStatus } from '../result.js';

/** A submission's status in words, on the class table and its page. */
export const SUBMISSION_STATUS_LABEL: Record<SubmissionStatus, string> = {
  graded: 'graded',
  'no-submission': 'no submission',
  error: 'error',
};

/** A part's status: its words, its icon, and the note its cell on the class table adds to the points ('' for none). */
export const PART_STATUS: Record<PartStatus, { label: string; icon: string; note: string }> = {
  passed: { label: 'passed', icon: '✓', note: '' },
  partial: { label: 'partial credit', icon: '◐', note: '' },
  failed: { label: 'failed', icon: '✗', note: '' },
  'not-implemented': { label: 'not implemented', icon: '∅', note: 'not impl.' },
  crashed: { label: 'crashed', icon: '!', note: 'crashed' },
  timeout: { label: 'timed out', icon: '◷', note: 'timeout' },
  missing: { label: 'file missing', icon: '?', note: 'missing' },
  pending: { label: 'pending TA review', icon: '…', note: 'pending' },
  'no-answer': { label: 'no answer', icon: '∅', note: 'no answer' },
  'grader-error': { label: 'grader error', icon: '⚠', note: 'grader error' },
};
