/**
 * What the student package holds: which files of reference/ are copied, and how each one is turned
 * into its student version. Everything else in reference/ (scripts, plots, node_modules) stays
 * behind.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { answerTemplate, isJsonAnswerFile } from './answer-templates.js';
import { byPath, listFiles } from './list-files.js';
import { MarkerError } from './marker-error.js';
import { stripSolutions } from './strip-solutions.js';

/** Copied whole, with every file in them. */
export const COPIED_DIRECTORIES = ['src', 'test', 'answers'] as const;
/** Copied; the skeleton is not a package without them. */
export const REQUIRED_FILES = ['README.md', 'package.json', 'tsconfig.json'] as const;
/** Copied when the reference has them. */
export const OPTIONAL_FILES = ['vitest.config.ts', '.gitignore'] as const;

/**
 * The student package's name, from the reference's: `@course/reference` becomes
 * `@course/skeleton`, any other name NAME becomes `NAME-skeleton`.
 */
export function skeletonPackageName(referenceName: string): string {
  const scoped = /^(@[^/]+)\/reference$/.exec(referenceName);
  return scoped ? `${scoped[1]}/skeleton` : `${referenceName}-skeleton`;
}

/** The skeleton's files by path from the package root, in sorted order. */
export type SkeletonFiles = ReadonlyMap<string, Buffer>;

/** A file or folder the skeleton needs is not in the reference. */
export class MissingReferenceFile extends Error {
  override name = 'MissingReferenceFile';
  readonly code = 'MISSING_REFERENCE_FILE';

  constructor(readonly path: string) {
    super(`${path} is missing from the reference; the student package cannot do without it`);
  }
}

/** A file with a NUL byte is not text: it is copied as it is. */
function isBinary(content: Buffer): boolean {
  return content.includes(0);
}

function renamePackage(text: string): string {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`package.json is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new SyntaxError('package.json must hold an object');
  }
  if (!('name' in manifest) || typeof manifest.name !== 'string' || manifest.name === '') {
    throw new SyntaxError('package.json has no "name"; the student package is named after it (@course/reference becomes @course/skeleton)');
  }
  manifest.name = skeletonPackageName(manifest.name);
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The student version of one reference file. */
export function studentVersion(path: string, content: Buffer): Buffer {
  if (isBinary(content)) return content;
  // Every text file goes through the stripper, if only to reject markers where none belong.
  let text = stripSolutions(content.toString('utf8'), path);
  if (path === 'package.json') text = renamePackage(text);
  else if (isJsonAnswerFile(path)) text = answerTemplate(text, path);
  return Buffer.from(text, 'utf8');
}

/** The paths of reference/ that the skeleton gets, sorted. */
export function copiedPaths(referenceDir: string): string[] {
  const paths: string[] = [];
  for (const directory of COPIED_DIRECTORIES) {
    const full = join(referenceDir, directory);
    if (!existsSync(full) || !statSync(full).isDirectory()) throw new MissingReferenceFile(`${directory}/`);
    paths.push(...listFiles(full).map((file) => `${directory}/${file}`));
  }
  for (const file of REQUIRED_FILES) {
    if (!existsSync(join(referenceDir, file))) throw new MissingReferenceFile(file);
    paths.push(file);
  }
  for (const file of OPTIONAL_FILES) if (existsSync(join(referenceDir, file))) paths.push(file);
  return paths.sort(byPath);
}

/**
 * Builds the whole skeleton in memory from `referenceDir`.
 *
 * @throws MarkerError for a misplaced or malformed solution marker, MissingReferenceFile when a
 *   required file or folder is absent, SyntaxError for a JSON file that cannot be read or a
 *   package.json without a name
 */
export function buildSkeleton(referenceDir: string): SkeletonFiles {
  const files = new Map<string, Buffer>();
  for (const path of copiedPaths(referenceDir)) {
    try {
      files.set(path, studentVersion(path, readFileSync(join(referenceDir, path))));
    } catch (error) {
      // Name the file as seen from where the command runs, so that it can be opened from the message.
      if (error instanceof MarkerError) throw new MarkerError(relative(process.cwd(), join(referenceDir, path)), error.line, error.problem);
      throw error;
    }
  }
  return files;
}
