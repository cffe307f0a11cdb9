/**
 * The framework's files as the grader sees them: skeleton/src holds the given files and the
 * pristine copies of the files students edit.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SKELETON_SRC = join(fileURLToPath(new URL('../../..', import.meta.url)), 'skeleton', 'src');

/** The framework files a student edits (without the src/ prefix and .ts suffix). */
export const STUDENT_MODULES = ['tensor', 'ops', 'losses', 'linear-regression', 'conv'] as const;
export type StudentModule = (typeof STUDENT_MODULES)[number];

let names: ReadonlySet<string> | undefined;

/** The names of skeleton/src's modules (the given files and the pristine copies of student files). */
export function frameworkModules(): ReadonlySet<string> {
  names ??= new Set(readdirSync(SKELETON_SRC).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)));
  return names;
}

/** Whether skeleton/src has NAME.ts (a given file, or the pristine copy of a student file). */
export function isFrameworkModule(name: string): boolean {
  return frameworkModules().has(name);
}
