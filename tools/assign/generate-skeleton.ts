/**
 * `npm run skeleton`: regenerates skeleton/ (the student package) from reference/.
 * `npm run skeleton:check`: fails if skeleton/ is not exactly what would be generated.
 *
 * Options: `--check`, and `--root <dir>` for another folder holding reference/ and skeleton/ (a copy
 * of this repository, or another assignment's folder).
 * Exit codes: 0 done or up to date, 1 skeleton out of date, 2 the reference cannot be turned into
 * a skeleton (a marker error, a missing file, unreadable JSON): nothing is written then.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MarkerError } from './marker-error.js';
import { MissingReferenceFile, buildSkeleton } from './skeleton-contents.js';
import { diffSkeleton } from './skeleton-diff.js';
import { writeSkeleton } from './skeleton-writer.js';

const DEFAULT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export interface GenerateOptions {
  /** The folder holding reference/ and skeleton/ (the repository root, or an assignment's folder). */
  root: string;
  /** Compare instead of write. */
  check: boolean;
}

/** Runs the command and returns its exit code; all output goes through `log` and `fail`. */
export function generateSkeleton(
  { root, check }: GenerateOptions,
  log: (line: string) => void = console.log,
  fail: (line: string) => void = console.error,
): number {
  const skeletonDir = join(root, 'skeleton');
  let files;
  try {
    files = buildSkeleton(join(root, 'reference'));
  } catch (error) {
    // These three say what to fix in the reference; anything else is a bug here and keeps its stack.
    if (!(error instanceof MarkerError || error instanceof MissingReferenceFile || error instanceof SyntaxError)) throw error;
    fail(`cannot generate the skeleton: ${error.message}`);
    return 2;
  }

  if (!check) {
    writeSkeleton(files, skeletonDir);
    log(`skeleton/ generated from reference/: ${files.size} files`);
    return 0;
  }

  const differences = diffSkeleton(files, skeletonDir);
  if (differences.length === 0) {
    log(`skeleton/ is up to date with reference/ (${files.size} files)`);
    return 0;
  }
  fail(`skeleton/ is out of date with reference/ (${differences.length} file(s)):`);
  for (const { kind, path } of differences) fail(`  ${kind.padEnd(7)}  skeleton/${path}`);
  fail('run `npm run skeleton` to regenerate it');
  return 1;
}

function main(): void {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false }, root: { type: 'string' } } });
  process.exitCode = generateSkeleton({ root: resolve(values.root ?? DEFAULT_ROOT), check: values.check });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
