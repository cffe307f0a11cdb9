/**
 * The project's documentation as the checks in this folder read it: README.md and every Markdown
 * file in docs/, with their text split into lines, fenced code blocks told apart from prose.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The README's length that keeps it a front page: the rest of the documentation lives in docs/. */
export const README_MAX_LINES = 200;

export interface DocFile {
  /** The path from the repository's root, with `/` between segments (`docs/security.md`). */
  path: string;
  text: string;
}

/** README.md and docs/*.md, README first, then by name. */
export function docFiles(root: string = ROOT): DocFile[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs].map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

/** The number of lines of a text, as an editor counts them (a final line break ends the last line). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

export interface ProseLine {
  /** 1-based. */
  number: number;
  text: string;
}

/** The lines outside fenced code blocks (``` or ~~~), where links, headings and counts are read. */
export function proseLines(text: string): ProseLine[] {
  const lines: ProseLine[] = [];
  let fence: string | null = null;
  text.split('\n').forEach((line, index) => {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && marker !== undefined) {
      fence = marker[0].repeat(marker.length);
      return;
    }
    if (fence !== null) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
      return;
    }
    lines.push({ number: index + 1, text: line });
  });
  return lines;
}

/** A prose line without its code spans (`…`), whose text is never a link or a count. */
export function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)[\s\S]*?\1/g, (span) => ' '.repeat(span.length));
}
