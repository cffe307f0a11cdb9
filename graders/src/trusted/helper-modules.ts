/**
 * The student's own modules in the source folder (src/): which files are read, and why the others
 * are not. A student may add modules next to the assignment's and import them from any of their
 * files (`import { topologicalOrder } from './topo_sort.js'`). A file directly in src/ is read as one when:
 * - its name is NAME.ts, with NAME by the rule of MODULE_NAME: letters a-z and A-Z, digits, `_` and
 *   `-`, in parts joined by single dots, starting with a letter, a digit or `_` (`topo_sort.ts`,
 *   `graph.utils.ts`, `Helpers2.ts`), the whole name at most MAX_NAME_CHARS characters long;
 * - NAME is not a given module's name (that file is the given one, which the grader takes from its
 *   own copy), and differs from every given module and every module of the student's read before
 *   it in more than case: where case is ignored (macOS, Windows), the two would be one file;
 * - NAME is not a name the grader's own modules take in the folder a part runs in (ORACLE_MODULE);
 * - it is neither a declaration file (`NAME.d.ts`: the grader compiles without checking types, so
 *   declarations change nothing) nor a test file (`NAME.test.ts`, `NAME.spec.ts`: a test imports the
 *   test framework, which graded code cannot, and every part compiles every module of the student's);
 * - it is among the first MAX_HELPER_MODULES such files, by name in sorted order.
 *
 * Every other entry of src/ that looks like a source file (its name ends in .ts, .tsx, .mts, .cts,
 * .js, .jsx, .mjs or .cjs, in any case) or is a folder is named with the reason it is not read:
 * nothing is dropped silently. The rest (notes, data, editor backups, hidden folders, macOS's
 * `._NAME` metadata files) is ignored, as is everything in a submission that is not read. At most
 * MAX_NAMED_REFUSALS entries are named one by one; one more line says how many others there are.
 *
 * A refused name is untrusted text of any length: it is shown with its control, format and
 * unassigned characters as `\u{...}` escapes (so it holds no line break or right-to-left override),
 * and cut to MAX_SHOWN_NAME_CHARS.
 */
import { MODULE_NAME } from '../shared/framework-specifier.js';
import { cutText } from './cut-text.js';
import { ORACLE_MODULE } from './framework-files.js';

/** The student's modules read at most; the others are named, not read. */
export const MAX_HELPER_MODULES = 20;
/** Refused entries named one by one at most. */
export const MAX_NAMED_REFUSALS = 40;
/** The longest name of a module of the student's, `.ts` included. */
export const MAX_NAME_CHARS = 100;
/** A refused name is cut to this many characters where it is shown. */
const MAX_SHOWN_NAME_CHARS = 120;

/** An entry of the source folder, as the file system lists it. */
export interface SourceFolderEntry {
  name: string;
  /** Whether it is a folder (a link to one is not: a link is refused by name when it is read). */
  folder: boolean;
}

export interface HelperModules {
  /** The files to read, as paths (`src/topo_sort.ts`), by name in sorted order. */
  accepted: string[];
  /** The entries not read that look like source files or are folders, each with why (intake problems). */
  refused: { file: string; problem: string }[];
}

const SOURCE_LIKE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
const HELPER_NAME = new RegExp(`^${MODULE_NAME}$`);
const nameRule = (source: string): string =>
  `name a module of yours with letters a-z and A-Z, digits, "_", "-" and "." (as in ${source}/topo_sort.ts), ` +
  'starting with a letter, a digit or "_"';

const UNSHOWN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}\\]/gu;

/** `name` as reports show it: control, format and unassigned characters (and `\`) escaped, cut to a bound. */
export function shownFileName(name: string): string {
  const escaped = name.replace(UNSHOWN, (ch) => (ch === '\\' ? '\\\\' : `\\u{${ch.codePointAt(0)!.toString(16)}}`));
  return cutText(escaped, MAX_SHOWN_NAME_CHARS);
}

const quoted = (ch: string): string => (ch === '"' ? `'"'` : `"${shownFileName(ch)}"`);

/** Sorts by name, by UTF-16 code units: the same order on every machine and in every locale. */
const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Why a file of this name in src/ cannot be a module of the student's (by its name alone), or null. */
function nameProblem(name: string, source: string): string | null {
  if (name.startsWith('.')) return `its name starts with "." (a hidden file); ${nameRule(source)}`;
  if (!name.endsWith('.ts')) {
    return `only TypeScript modules (.ts) are read; rename it to ${source}/${shownFileName(name.replace(SOURCE_LIKE, '.ts'))}`;
  }
  if (name.endsWith('.d.ts')) {
    return (
      'it is a declaration file (.d.ts): the grader compiles without checking types, so declarations change nothing; ' +
      `put types your modules share in a module (${source}/NAME.ts) and import them with "import type"`
    );
  }
  if (/\.(?:test|spec)\.ts$/.test(name)) return 'it is a test file (.test.ts, .spec.ts): the grader runs its own checks, not your tests';
  const stem = name.slice(0, -'.ts'.length);
  const odd = [...stem].find((ch) => !/[A-Za-z0-9_.-]/.test(ch));
  if (odd !== undefined) return `its name holds ${quoted(odd)}; ${nameRule(source)}`;
  if (!/^[A-Za-z0-9_]/.test(stem)) return `its name starts with ${quoted(stem[0])}; ${nameRule(source)}`;
  if (!HELPER_NAME.test(stem)) {
    return `its name has two dots in a row; a "." in a module's name stands between two other characters (as in ${source}/graph.utils.ts)`;
  }
  if (name.length > MAX_NAME_CHARS) return `its name is ${name.length} characters long; a module's name is at most ${MAX_NAME_CHARS}`;
  return null;
}

/** Why an entry of the source folder is not read, where its name alone does not say. */
const REASONS = {
  folder: (source: string) =>
    `it is a folder: modules of yours are read only directly in ${source}/ (${source}/NAME.ts), not in folders inside it`,
  graderModule: "the grader's own module has that name in the folder where your code runs; give yours another name",
  sameButCase: (other: string) =>
    `its name differs from ${other} only in case, and where case is ignored (macOS, Windows) the two are one file; ` +
    'give it a name of its own',
  overTheCap: (source: string) =>
    `at most ${MAX_HELPER_MODULES} modules of your own are read from ${source}/, the first ${MAX_HELPER_MODULES} by name`,
  unnamed: (count: number, source: string) =>
    `and ${count} more entries of ${source}/, not named one by one here (at most ${MAX_NAMED_REFUSALS} are)`,
};

/**
 * The student's modules among `entries` (the source folder's), and the entries named as not read.
 * `givenModules` are the assignment's modules by name, `source` the source folder (`src`).
 */
export function helperModules(entries: readonly SourceFolderEntry[], source: string, givenModules: ReadonlySet<string>): HelperModules {
  const refusals: { name: string; problem: string }[] = [];
  const refuse = (name: string, problem: string): void => {
    refusals.push({ name, problem });
  };
  /** Module names taken so far, in lower case, with what each is (for why a later one is refused). */
  const taken = new Map([...givenModules].map((given) => [given.toLowerCase(), `the given ${source}/${given}.ts`]));
  const candidates: string[] = [];
  for (const { name, folder } of [...entries].sort(byName)) {
    // A given module's file is the grader's own copy (named by the intake when it is read and is no file).
    if (name.endsWith('.ts') && givenModules.has(name.slice(0, -'.ts'.length))) continue;
    if (folder) {
      if (!name.startsWith('.')) refuse(name, REASONS.folder(source));
      continue;
    }
    if (!SOURCE_LIKE.test(name) || name.startsWith('._')) continue;
    const problem = nameProblem(name, source);
    const lower = name.slice(0, -'.ts'.length).toLowerCase();
    const clash = taken.get(lower);
    if (problem !== null) refuse(name, problem);
    else if (lower === ORACLE_MODULE) refuse(name, REASONS.graderModule);
    else if (clash !== undefined) refuse(name, REASONS.sameButCase(clash));
    else {
      taken.set(lower, `your ${source}/${name}`);
      candidates.push(name);
    }
  }
  for (const name of candidates.slice(MAX_HELPER_MODULES)) refuse(name, REASONS.overTheCap(source));
  refusals.sort(byName);
  const refused = refusals.slice(0, MAX_NAMED_REFUSALS).map(({ name, problem }) => ({ file: `${source}/${shownFileName(name)}`, problem }));
  if (refusals.length > MAX_NAMED_REFUSALS) {
    refused.push({ file: `${source}/…`, problem: REASONS.unnamed(refusals.length - MAX_NAMED_REFUSALS, source) });
  }
  return { accepted: candidates.slice(0, MAX_HELPER_MODULES).map((name) => `${source}/${name}`), refused };
}
