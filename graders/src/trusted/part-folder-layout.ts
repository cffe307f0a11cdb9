/**
 * Where each module is in the child's scratch folder, and so what a compiled module's imports
 * become. The scratch folder holds a shared subfolder (SHARED_DIR) with the given files that import
 * no student file and the run-time import check, and a folder per part with everything else: the
 * student's files, the given copies of the files the part does not grade, the part's replacements
 * and stubs, and its oracle.
 */
import { ALLOWED_IMPORTS, frameworkModuleName, isNodeBuiltin } from '../shared/framework-specifier.js';
import type { AssignmentDefinition } from './assignment.js';
import { frameworkFiles } from './framework-files.js';
import type { ImportPolicy } from './module-imports.js';

/** The child's scratch folder holds ES modules with the .js extension. */
export const SCRATCH_PACKAGE_JSON = '{ "type": "module" }\n';

/** The scratch folder's subfolder holding the given files that import no student file. */
export const SHARED_DIR = 'given';

/** The run-time check of a computed `import()`, in the shared folder (graders/src/untrusted/checked-import.ts). */
export const CHECKED_IMPORT = 'checked-import';

/** Where an assignment's modules are, as seen from a module in a part's folder. */
export interface ModuleLayout {
  /** Whether module NAME is in the shared folder (one copy for every part), not in each part's own. */
  isShared(name: string): boolean;
  /** Where a compiled module in a part's folder finds module NAME, e.g. `../given/tensor.js`. */
  importPath(name: string): string;
  /**
   * What a framework file may import: the assignment's own modules (given files, the student's files
   * and the student's helper modules in the source folder) and Node's built-in modules.
   */
  policy: ImportPolicy;
}

/** The layout of `assignment`'s modules. */
export function moduleLayout(assignment: AssignmentDefinition): ModuleLayout {
  const { modules, studentModules } = frameworkFiles(assignment);
  const stubs = assignment.stubs ?? {};
  const replaceable = new Set(assignment.replaceable ?? []);

  /**
   * Given modules other than the pristine copies of student files import no student file, so one
   * copy serves every part: each part's modules import them from the shared folder (loaded and
   * compiled once per child). The student files' names stay relative, resolved in the part's own folder.
   */
  const isShared = (name: string): boolean => !studentModules.has(name) && modules.has(name);

  /**
   * A replaceable module and a stub are reached through the part's own folder, which holds the
   * part's replacement or a one-line re-export of the shared original (a stub: the grader's module,
   * in every part).
   */
  const importPath = (name: string): string => {
    if (replaceable.has(name) || Object.hasOwn(stubs, name)) return `./${name}.js`;
    return isShared(name) ? `../${SHARED_DIR}/${name}.js` : `./${name}.js`;
  };

  const policy: ImportPolicy = {
    resolve: (specifier) => {
      if (isNodeBuiltin(specifier)) return specifier;
      const name = frameworkModuleName(specifier);
      return name === null ? null : importPath(name);
    },
    allowed: ALLOWED_IMPORTS,
    checkedImport: `../${SHARED_DIR}/${CHECKED_IMPORT}.js`,
  };

  return { isShared, importPath, policy };
}
