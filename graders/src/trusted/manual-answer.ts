/**
 * A part's manual item as grading leaves it: the text a TA scores, whether it is an answer at all,
 * and the part's status while it waits.
 *
 * A text whose file is missing, that holds only whitespace, or that is the template the students
 * were handed (the assignment's `handout`), line ends and runs of whitespace aside, is no answer:
 * its manual points are 0 and no TA is asked to read it (a TA's row in manual-grades.csv still
 * counts). Any other text waits for a TA's score: the part is `pending` once its checks have all
 * passed; a part whose checks fell short keeps its status, and its text still waits for the TA.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NoAnswer, PartResult } from './result.js';
import type { RubricPart } from './rubric.js';

/** What the pages and the text reports say about a text that is no answer. */
export const NO_ANSWER_TEXT: Readonly<Record<NoAnswer, string>> = {
  missing: 'no answer: the file is missing or could not be read',
  empty: 'no answer: the file is empty',
  template: 'no answer: the template is unchanged',
};

/** The text as compared with the template: without a byte-order mark, each run of whitespace (line ends included) one space, trimmed. */
export function normalisedAnswer(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Why `text` is no answer, given the file's `template` as handed out; undefined when it is an answer. */
export function noAnswerOf(text: string | null, template: string | undefined): NoAnswer | undefined {
  if (text === null) return 'missing';
  const answer = normalisedAnswer(text);
  if (answer === '') return 'empty';
  if (template !== undefined && answer === normalisedAnswer(template)) return 'template';
  return undefined;
}

const templates = new Map<string, string | null>();

/** The file as the students were handed it (`handout` is that folder), read once; undefined when there is none. */
export function handedOutTemplate(handout: string | undefined, file: string): string | undefined {
  if (handout === undefined) return undefined;
  const path = join(handout, file);
  if (!templates.has(path)) templates.set(path, existsSync(path) ? readFileSync(path, 'utf8') : null);
  return templates.get(path) ?? undefined;
}

/** The text a TA scores for `part`, from the submission's accepted `files`; undefined when the rubric gives the part no manual points. */
export function manualReview(part: RubricPart, files: ReadonlyMap<string, string>, handout: string | undefined): PartResult['review'] {
  if (!part.manual) return undefined;
  const { file } = part.manual;
  const text = files.get(file) ?? null;
  const noAnswer = noAnswerOf(text, handedOutTemplate(handout, file));
  return { file, text, ...(noAnswer ? { noAnswer } : {}) };
}

/**
 * `result` with its manual item: the text for the TA, and, when the checks earned every point they
 * can (`passed`, or `pending` from the part's own grading), `pending` for an answer or `no-answer`
 * (the review's `noAnswer` says why, which the reports show). A part whose own file is missing
 * says so and nothing more.
 */
export function withManualItem(result: PartResult, part: RubricPart, review: NonNullable<PartResult['review']>): PartResult {
  if (result.status === 'missing' || !part.manual) return result;
  const withReview: PartResult = { ...result, review };
  const onlyManualLeft = (result.status === 'passed' || result.status === 'pending') && part.manual.points > 0;
  if (!onlyManualLeft) return withReview;
  return { ...withReview, status: review.noAnswer === undefined ? 'pending' : 'no-answer' };
}

/** "answers/q.md: no answer: the template is unchanged" for a manual item that is no answer and has no TA score; null otherwise. */
export function noAnswerNote(part: PartResult): string | null {
  const kind = part.review?.noAnswer;
  return kind === undefined || part.manual !== undefined ? null : `${part.review!.file}: ${NO_ANSWER_TEXT[kind]}`;
}
