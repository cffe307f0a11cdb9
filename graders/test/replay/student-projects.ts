/**
 * Students' projects as students have them, to run the tests the grader gives them: the skeleton
 * as handed out (package.json, tsconfig.json, vitest.config.ts, the public tests and their helpers
 * in test/support, the given sources) with a submission's own files laid over it.
 */
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../cli/run-grade.js';

/** Writes the project of the submission in `submission` to `project` (which must not exist yet). */
export function writeStudentProject(submission: string, project: string): void {
  cpSync(join(ROOT, 'skeleton'), project, { recursive: true, filter: (source) => !source.includes('node_modules') });
  cpSync(submission, project, { recursive: true });
}

/**
 * Lets every project under `folder` find the repository's packages (vitest, fast-check), as
 * `npm install` would give each: Node looks for node_modules in every folder above a file.
 */
export function linkPackages(folder: string): void {
  symlinkSync(join(ROOT, 'node_modules'), join(folder, 'node_modules'), 'dir');
}

/** Writes `text` to `path`, making its folder. */
export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
