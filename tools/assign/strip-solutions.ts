/**
 * Turns a reference file into the student's version: every solution region is replaced by a
 * placeholder at the region's indentation, and everything outside the regions is kept byte for
 * byte. A region is
 *
 *     // BEGIN SOLUTION Q1(b) Mul.backwardRule
 *     ...
 *     // END SOLUTION
 *
 * in TypeScript (it becomes a TODO and `throw new NotImplemented('Q1(b) Mul.backwardRule')`), or
 * `<!-- BEGIN SOLUTION -->` ... `<!-- END SOLUTION -->` in Markdown (it becomes a prompt).
 */
import { MarkerError } from './marker-error.js';
import { MARKER_WORDS, markerSyntaxFor, type MarkerSyntax } from './marker-syntax.js';
import { ensureNotImplementedImport } from './not-implemented-import.js';

interface OpenRegion {
  line: number;
  label: string | undefined;
  indent: string;
  /** The line ending of the BEGIN line ("\r" for CRLF files), reused for the placeholder. */
  carriageReturn: string;
}

function rejectAnyMarker(text: string, fileName: string): void {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => MARKER_WORDS.test(line));
  if (index !== -1) {
    throw new MarkerError(
      fileName,
      index + 1,
      'solution markers are only allowed in .ts files (`// BEGIN SOLUTION <part>`) and .md files (`<!-- BEGIN SOLUTION -->`); ' +
        'this file would reach the students unchanged',
    );
  }
}

function stripRegions(text: string, fileName: string, syntax: MarkerSyntax): { text: string; regions: number } {
  const output: string[] = [];
  let open: OpenRegion | undefined;
  let regions = 0;

  text.split('\n').forEach((rawLine, index) => {
    const line = index + 1;
    const carriageReturn = rawLine.endsWith('\r') ? '\r' : '';
    const content = carriageReturn ? rawLine.slice(0, -1) : rawLine;
    const trimmed = content.trim();
    const begin = syntax.begin.exec(trimmed);

    if (begin) {
      if (open) {
        throw new MarkerError(
          fileName,
          line,
          `nested BEGIN SOLUTION: the region opened at line ${open.line} is still open; close it with \`${syntax.endExample}\` first`,
        );
      }
      const label = begin[1];
      if (syntax.labelRequired && label === undefined) {
        throw new MarkerError(fileName, line, `BEGIN SOLUTION without a label; expected \`${syntax.beginExample}\``);
      }
      open = { line, label, indent: /^\s*/.exec(content)![0], carriageReturn };
    } else if (syntax.end.test(trimmed)) {
      if (!open)
        throw new MarkerError(fileName, line, `END SOLUTION without a BEGIN SOLUTION before it; expected \`${syntax.beginExample}\` above`);
      for (const placeholder of syntax.placeholder(open.label)) output.push(`${open.indent}${placeholder}${open.carriageReturn}`);
      open = undefined;
      regions++;
    } else if (MARKER_WORDS.test(content)) {
      throw new MarkerError(
        fileName,
        line,
        `malformed solution marker; expected a line holding only \`${syntax.beginExample}\` or \`${syntax.endExample}\``,
      );
    } else if (!open) {
      output.push(rawLine);
    }
  });

  if (open) {
    const name = open.label === undefined ? 'BEGIN SOLUTION' : `BEGIN SOLUTION ${open.label}`;
    throw new MarkerError(fileName, open.line, `${name} is never closed; expected \`${syntax.endExample}\` before the end of the file`);
  }
  return { text: output.join('\n'), regions };
}

/**
 * The student's version of a reference file.
 *
 * @param text the file's content
 * @param fileName its path from the package root, e.g. "src/ops.ts": it picks the marker syntax,
 *   locates the NotImplemented import, and names the file in errors
 * @throws MarkerError for an unpaired, nested, unlabelled or misplaced marker
 */
export function stripSolutions(text: string, fileName: string): string {
  const syntax = markerSyntaxFor(fileName);
  if (syntax === undefined) {
    rejectAnyMarker(text, fileName);
    return text;
  }
  const stripped = stripRegions(text, fileName, syntax);
  if (stripped.regions > 0 && syntax.usesNotImplemented) return ensureNotImplementedImport(stripped.text, fileName);
  return stripped.text;
}
