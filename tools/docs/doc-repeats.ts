/**
 * Text a page should link to instead of copying: the `grade --help` text lives in the command's
 * option table and in docs/cli.md, and a copy anywhere else goes stale at the next option.
 */
import type { DocFile } from './doc-files.js';
import type { DocProblem } from './doc-links.js';

/** The one page that may hold the command's help. */
export const CLI_REFERENCE = 'docs/cli.md';

/** Lines shorter than this are too generic to call a copy (`Options:`, `-h, --help`). */
const SHORTEST_COPIED_LINE = 40;

const squeezed = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The lines of `help` that `doc` repeats word for word (spacing aside); none for the CLI reference itself. */
export function repeatedHelpLines(doc: DocFile, help: string): DocProblem[] {
  if (doc.path === CLI_REFERENCE) return [];
  const text = squeezed(doc.text);
  return help
    .split('\n')
    .map(squeezed)
    .filter((line) => line.length >= SHORTEST_COPIED_LINE && text.includes(line))
    .map((line) => ({ where: doc.path, message: `repeats a line of grade --help ("${line}"); link to ${CLI_REFERENCE} instead` }));
}
