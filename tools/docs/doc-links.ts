/**
 * What the documentation points to, checked against the repository: every relative link leads to
 * a file or folder that exists, every `#anchor` to a heading of its page (as GitHub makes anchors
 * from headings), and every repository path written as code (`graders/test/cli/intake.test.ts`)
 * to something that exists, so that a moved or renamed file cannot leave a page pointing nowhere.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { ROOT, proseLines, withoutCodeSpans, type DocFile } from './doc-files.js';

export interface DocProblem {
  /** `docs/ta-guide.md:12`. */
  where: string;
  message: string;
}

/** The anchor GitHub gives a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
export function headingSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/\*/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown text's headings, a repeated one numbered as GitHub does (`-1`, `-2`). */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text: line } of proseLines(text)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = headingSlug(heading);
    const times = seen.get(slug) ?? 0;
    seen.set(slug, times + 1);
    anchors.add(times === 0 ? slug : `${slug}-${times}`);
  }
  return anchors;
}

export interface DocLink {
  line: number;
  /** The destination as written. */
  target: string;
}

/** The links and images of a Markdown text (inline and reference definitions), outside code. */
export function markdownLinks(text: string): DocLink[] {
  const links: DocLink[] = [];
  for (const { number, text: line } of proseLines(text)) {
    const prose = withoutCodeSpans(line);
    for (const match of prose.matchAll(/!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^()\s<>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
      links.push({ line: number, target: match[1] });
    }
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?([^\s<>]+)>?/.exec(prose);
    if (definition) links.push({ line: number, target: definition[1] });
  }
  return links;
}

/** Whether a destination leaves the repository (`https:`, `mailto:`): those are not checked here. */
const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/** Every relative link of `doc` that leads to no file, or to no heading of a Markdown page. */
export function brokenLinks(doc: DocFile, root: string = ROOT): DocProblem[] {
  const problems: DocProblem[] = [];
  for (const { line, target } of markdownLinks(doc.text)) {
    if (isExternal(target)) continue;
    const where = `${doc.path}:${line}`;
    const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
    const path = pathPart === '' ? doc.path : posix.normalize(posix.join(posix.dirname(doc.path), decodeURIComponent(pathPart)));
    if (path.startsWith('../')) {
      problems.push({ where, message: `the link ${target} leads out of the repository` });
      continue;
    }
    const onDisk = join(root, path);
    if (!existsSync(onDisk)) {
      problems.push({ where, message: `the link ${target} leads to ${path}, which does not exist` });
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (!path.endsWith('.md') || statSync(onDisk).isDirectory()) {
      problems.push({ where, message: `the link ${target} has an anchor, but ${path} is not a Markdown page` });
      continue;
    }
    const anchors = headingAnchors(pathPart === '' ? doc.text : readFileSync(onDisk, 'utf8'));
    if (!anchors.has(anchor)) {
      problems.push({ where, message: `the link ${target}: ${path} has no heading whose anchor is #${anchor}` });
    }
  }
  return problems;
}

/** The top-level folders whose paths the pages write as code, and what exists only once built or run. */
const REPOSITORY_FOLDERS = ['.ci', '.github', 'docs', 'graders', 'reference', 'skeleton', 'submissions', 'tools'];
const MADE_BY_RUNNING = ['graders/.build'];

/** The repository paths written as code spans (`tools/assign`, `graders/rubric.json`), outside fenced blocks. */
export function repositoryPaths(text: string): DocLink[] {
  const paths: DocLink[] = [];
  const pattern = new RegExp(`^(?:${REPOSITORY_FOLDERS.map((f) => f.replace('.', '\\.')).join('|')})/[A-Za-z0-9._/-]*$`);
  for (const { number, text: line } of proseLines(text)) {
    for (const match of line.matchAll(/`([^`\n]+)`/g)) {
      const span = match[1];
      if (pattern.test(span) && !span.split('/').includes('..')) paths.push({ line: number, target: span });
    }
  }
  return paths;
}

/** Every repository path written as code in `doc` that does not exist. */
export function missingPaths(doc: DocFile, root: string = ROOT): DocProblem[] {
  return repositoryPaths(doc.text)
    .filter(({ target }) => !MADE_BY_RUNNING.some((made) => target === made || target.startsWith(`${made}/`)))
    .filter(({ target }) => !existsSync(join(root, target)))
    .map(({ line, target }) => ({ where: `${doc.path}:${line}`, message: `${target} does not exist` }));
}
