/**
 * Reads a submission folder. Only the files students edit are read (the assignment's list, plus
 * the student's own modules directly in src/); everything else in the folder (node_modules,
 * package.json, tsconfig, edits to given files) is ignored, because the grader lays the student's
 * files over its own pristine copy of the given ones. Which names in src/ are the student's modules
 * is helper-modules.ts's rule (NAME.ts, NAME of letters, digits, `_`, `-` and `.`, at most 20 such
 * files); every other entry of src/ that looks like a source file, or is a folder, is named with the
 * reason it is not read.
 *
 * Each file must be a regular file inside the folder (no symlink, no device, no path leaving the
 * folder), no larger than the rubric's limit, and valid UTF-8 text. A file that fails is reported
 * by name with what was expected and is treated as missing.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { submittedFiles, type AssignmentDefinition } from './assignment.js';
import { frameworkFiles } from './framework-files.js';
import { helperModules, type HelperModules } from './helper-modules.js';

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

/**
 * The student's own modules in the source folder, and its entries named as not read. A source
 * folder whose real path leaves the submission is not listed (its names are not the student's to
 * show): the assignment's files in it are refused by name when they are read.
 */
function extraSourceFiles(folder: string, realFolder: string, assignment: AssignmentDefinition): HelperModules {
  const source = assignment.sourceFolder;
  let entries: Dirent[];
  try {
    const within = relative(realFolder, realpathSync(join(folder, source)));
    if (within === '..' || within.startsWith(`..${sep}`) || isAbsolute(within)) return { accepted: [], refused: [] };
    entries = readdirSync(join(folder, source), { withFileTypes: true });
  } catch {
    return { accepted: [], refused: [] };
  }
  const listed = entries.map((entry) => ({ name: entry.name, folder: entry.isDirectory() }));
  return helperModules(listed, source, frameworkFiles(assignment).modules);
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
  const helpers = extraSourceFiles(folder, realFolder, assignment);
  for (const file of [...submittedFiles(assignment), ...helpers.accepted]) {
    const read = readOne(folder, realFolder, file, maxFileBytes);
    if (typeof read === 'string') files.set(file, read);
    else if (read !== null) problems.push(read);
  }
  problems.push(...helpers.refused);
  return { files, problems };
}
