/**
 * How solution markers are written in each kind of file, and what a solution region becomes in the
 * student's copy. Only TypeScript sources and Markdown answers may hold markers.
 */
import { posix } from 'node:path';

export interface MarkerSyntax {
  /** A marker line as written in this kind of file, shown in error messages. */
  readonly beginExample: string;
  readonly endExample: string;
  /** Matches a whole trimmed BEGIN line; group 1 is the label, if any. */
  readonly begin: RegExp;
  /** Matches a whole trimmed END line. */
  readonly end: RegExp;
  /** Whether BEGIN must name the part (the label ends up in the student's error message). */
  readonly labelRequired: boolean;
  /** The lines that replace a region, without indentation. */
  placeholder(label: string | undefined): string[];
  /** Whether the placeholder needs `NotImplemented` imported into the file. */
  readonly usesNotImplemented: boolean;
}

/** Any text that looks like a marker; a line with it must be a well-formed marker. */
export const MARKER_WORDS = /\b(BEGIN|END) SOLUTION\b/;

/** `'...'` with the quote and backslash escaped, for a TypeScript string literal. */
function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const typescript: MarkerSyntax = {
  beginExample: '// BEGIN SOLUTION <part, e.g. Q1(b) Mul.backwardRule>',
  endExample: '// END SOLUTION',
  begin: /^\/\/ BEGIN SOLUTION(?:\s+(\S.*?))?\s*$/,
  end: /^\/\/ END SOLUTION\s*$/,
  labelRequired: true,
  placeholder: (label) => [`// TODO: ${label}`, `throw new NotImplemented(${quoted(label ?? '')});`],
  usesNotImplemented: true,
};

const markdown: MarkerSyntax = {
  beginExample: '<!-- BEGIN SOLUTION -->',
  endExample: '<!-- END SOLUTION -->',
  // A label is allowed (it names the part for whoever reads the reference) but not needed.
  begin: /^<!-- BEGIN SOLUTION(?:\s+(\S.*?))?\s*-->$/,
  end: /^<!-- END SOLUTION\s*-->$/,
  labelRequired: false,
  placeholder: () => ['_Write your answer here._'],
  usesNotImplemented: false,
};

/** The marker syntax for a file, by its extension; undefined where markers are not allowed. */
export function markerSyntaxFor(fileName: string): MarkerSyntax | undefined {
  switch (posix.extname(fileName)) {
    case '.ts':
      return typescript;
    case '.md':
      return markdown;
    default:
      return undefined;
  }
}
