/**
 * First step of `npm run mutation`: copies the reference's student files to
 * graders/mutation/subject/src/, which Stryker mutates (graders/stryker.config.mjs). The copy is
 * what gets mutated, not reference/src itself, because the graders import reference/src for their
 * own trusted side: mutating it would change the yardstick along with the submission.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assignment } from '../../graders/src/assignments/assignment-11/index.js';
import { studentModules } from '../../graders/src/trusted/assignment.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The student modules of the registry that hold solution regions (the rest are given whole). */
export const MUTATED_FILES = studentModules(assignment)
  .map((name) => `${name}.ts`)
  .filter((file) => readFileSync(join(ROOT, 'reference', 'src', file), 'utf8').includes('BEGIN SOLUTION'));
const SUBJECT = join(ROOT, 'graders', 'mutation', 'subject', 'src');

rmSync(SUBJECT, { recursive: true, force: true });
mkdirSync(SUBJECT, { recursive: true });
for (const file of MUTATED_FILES) copyFileSync(join(ROOT, 'reference', 'src', file), join(SUBJECT, file));
process.stdout.write(`copied ${MUTATED_FILES.join(', ')} from reference/src to graders/mutation/subject/src\n`);
