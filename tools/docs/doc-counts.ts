/**
 * Counts the documentation states that would drift as the project grows (how many wrong and correct
 * submissions the corpora hold), computed from the code instead of written by hand. A page writes
 * such a count between markers, `<!-- count: wrong-corpus -->80<!-- /count -->`, which GitHub does
 * not show; check-doc-counts.ts compares each with its value, and rewrites them with `--write`.
 * A count of that kind written without markers is a problem too, so none can slip in unchecked.
 */
import { CORRECT_CORPUS } from '../submissions/correct-corpus.js';
import { WRONG_CORPUS } from '../submissions/wrong-corpus.js';
import { proseLines, withoutCodeSpans, type DocFile } from './doc-files.js';
import type { DocProblem } from './doc-links.js';

/** Each count a page may state, by the name its markers give it. */
export const DOC_COUNTS: Readonly<Record<string, { what: string; value: () => number }>> = {
  'wrong-corpus': { what: 'realistic wrong submissions in tools/submissions/wrong-corpus.ts', value: () => WRONG_CORPUS.length },
  'correct-corpus': { what: 'correct solutions in tools/submissions/correct-corpus.ts', value: () => CORRECT_CORPUS.length },
};

const MARKED = /<!-- count: ([a-z0-9-]+) -->([^<]*)<!-- \/count -->/g;

export interface StatedCount {
  line: number;
  name: string;
  /** The text between the markers, as written. */
  stated: string;
}

/** The marked counts of a page. */
export function statedCounts(text: string): StatedCount[] {
  return proseLines(text).flatMap(({ number, text: line }) =>
    [...line.matchAll(MARKED)].map((match) => ({ line: number, name: match[1], stated: match[2] })),
  );
}

/**
 * Phrases that state a count which drifts (the size of a corpus, a number of tests or attacks),
 * written as a plain number: such a count belongs between markers, or out of the page.
 */
const COUNTED_THINGS = ['submissions', 'solutions', 'variants', 'tests', 'test files', 'specifiers', 'attacks', 'mutants'];
const UNMARKED_COUNT = new RegExp(
  `\\b\\d[\\d,]*\\s+(?:realistic\\s+|more\\s+)?(?:wrong\\s+|correct\\s+|hostile\\s+)?(?:${COUNTED_THINGS.join('|')})\\b`,
  'g',
);

/** Every count of `doc` that disagrees with its value, names no known count, or is written without markers. */
export function countProblems(doc: DocFile): DocProblem[] {
  const problems: DocProblem[] = [];
  for (const { line, name, stated } of statedCounts(doc.text)) {
    const where = `${doc.path}:${line}`;
    const count = DOC_COUNTS[name];
    if (count === undefined) {
      problems.push({ where, message: `no count is named "${name}"; the counts are ${Object.keys(DOC_COUNTS).join(', ')}` });
      continue;
    }
    const value = count.value();
    if (stated !== String(value)) {
      const fix = 'npx tsx tools/docs/check-doc-counts.ts --write';
      problems.push({ where, message: `states ${stated} ${count.what}, but there are ${value} (${fix})` });
    }
  }
  // A phrase may wrap: each line is read with the next one, and a match is reported on the line it starts on.
  const lines = proseLines(doc.text).map(({ number, text }) => ({ number, prose: withoutCodeSpans(text.replace(MARKED, '')) }));
  lines.forEach(({ number, prose }, i) => {
    const next = lines[i + 1]?.number === number + 1 ? lines[i + 1].prose.trimStart() : '';
    for (const match of `${prose} ${next}`.matchAll(UNMARKED_COUNT)) {
      if (match.index >= prose.length) continue;
      const message = `"${match[0]}" is a count that drifts: mark it with a count of DOC_COUNTS, or leave it out`;
      problems.push({ where: `${doc.path}:${number}`, message });
    }
  });
  return problems;
}

/** `text` with every marked count set to its value (a name no count has is left as written). */
export function withCountsWritten(text: string): string {
  return text.replace(MARKED, (whole, name: string) => {
    const count = DOC_COUNTS[name];
    return count === undefined ? whole : `<!-- count: ${name} -->${count.value()}<!-- /count -->`;
  });
}
