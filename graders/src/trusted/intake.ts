/**
 * Reads a submission folder. Only the files students edit are read (the assignment's list, plus
 * new helper files the student added under src/); everything else in the folder (node_modules,
 * package.json, tsconfig, edits to given files) is ignored, because the grader lays the student's
 * files over its own pristine copy of the given ones.
 *
 * Each file must be a regular file inside the folder (no symlink, no device, no path leaving the
 * folder), no larger than the rubric's limit, and valid UTF-8 text. A file that fails is reported
 * by name with what was expected and is treated as missing.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { submittedFiles, type AssignmentDefinition } from './assignment.js';
import { frameworkFiles } from './framework-files.js';

export interface IntakeProblem {
  file: string;
  problem: string;
}

export interface Intake {
  /** The submission folder's name. */
  id: string;
  /** Accepted files by relative path. */
  files: Map<string, string>;
  problems: IntakeProblem[];
}

const MAX_EXTRA_FILES = 20;

/** Student-added helper modules: SOURCE/NAME.ts where NAME is not one of the assignment's modules. */
function extraSourceFiles(folder: string, assignment: AssignmentDefinition): string[] {
  const source = assignment.sourceFolder;
  const { modules } = frameworkFiles(assignment);
  let entries: string[];
  try {
    entries = readdirSync(join(folder, source));
  } catch {
    return [];
  }
  return entries
    .filter((name) => /^[a-z0-9-]+\.ts$/i.test(name) && !modules.has(name.slice(0, -3)))
    .sort()
    .slice(0, MAX_EXTRA_FILES)
    .map((name) => `${source}/${name}`);
}

function readOne(folder: string, realFolder: string, file: string, maxBytes: number): string | IntakeProblem | null {
  const path = join(folder, file);
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return null;
  }
  if (stat.isSymbolicLink()) return { file, problem: 'is a symbolic link; submit the file itself' };
  if (!stat.isFile()) return { file, problem: 'is not a regular file (a folder or a device); submit a text file' };
  // A parent folder may itself be a link that leads out of the submission.
  const real = realpathSync(path);
  if (relative(realFolder, real).startsWith(`..${sep}`) || relative(realFolder, real) === '..') {
    return { file, problem: 'lies outside the submission folder (through a linked folder); submit the file itself' };
  }
  if (stat.size > maxBytes) return { file, problem: `is ${stat.size} bytes; the limit is ${maxBytes} bytes` };
  const bytes = readFileSync(path);
  if (bytes.includes(0)) return { file, problem: 'contains NUL bytes: expected a text file' };
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { file, problem: 'is not valid UTF-8 text; save it as UTF-8' };
  }
}

/** Reads the files of `assignment` (submittedFiles) and the student's helper modules from `folder`. */
export function readSubmission(folder: string, assignment: AssignmentDefinition, maxFileBytes: number): Omit<Intake, 'id'> {
  const files = new Map<string, string>();
  const problems: IntakeProblem[] = [];
  const realFolder = realpathSync(folder);
  for (const file of [...submittedFiles(assignment), ...extraSourceFiles(folder, assignment)]) {
    const read = readOne(folder, realFolder, file, maxFileBytes);
    if (typeof read === 'string') files.set(file, read);
    else if (read !== null) problems.push(read);
  }
  return { files, problems };
}
