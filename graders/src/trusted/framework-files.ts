/**
 * An assignment's source modules as the grader sees them: its given folder (the skeleton's src/)
 * holds the given files and the pristine copies of the files students edit.
 */
import { readdirSync } from 'node:fs';
import { studentModules, type AssignmentDefinition } from './assignment.js';

export interface FrameworkFiles {
  /** The given folder's modules (given files and pristine copies of student files), by name. */
  modules: ReadonlySet<string>;
  /** The modules a student edits, by name. */
  studentModules: ReadonlySet<string>;
}

/** The grader's module in the folder each part runs in (oracle.js), whose name no module of the student's may take. */
export const ORACLE_MODULE = 'oracle';

const known = new WeakMap<AssignmentDefinition, FrameworkFiles>();

/** `assignment`'s modules, read once. */
export function frameworkFiles(assignment: AssignmentDefinition): FrameworkFiles {
  let files = known.get(assignment);
  if (!files) {
    const modules = new Set(
      readdirSync(assignment.givenSources)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => f.slice(0, -3)),
    );
    files = { modules, studentModules: new Set(studentModules(assignment)) };
    known.set(assignment, files);
  }
  return files;
}
