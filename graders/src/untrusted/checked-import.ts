/**
 * The import rule, applied when the child runs, to an `import()` whose specifier the compiler could
 * not read because it is computed (the given linear-regression.ts loads its plot module through a
 * variable). The compiler rewrites `import(x)` to `checkedImport(import.meta, where, x)`, with
 * `where` the place in the student's file (`src/ops.ts:12:5`): a specifier the rule allows is loaded
 * from where the compiler puts that module, anything else is refused with the compiler's message.
 * The sandbox, not this check, is what confines the child.
 */
import { ALLOWED_IMPORTS, frameworkModuleName, isNodeBuiltin } from '../shared/framework-specifier.js';

/** Where each framework module is found from a part's folder, by name; set when this file is compiled. */
declare const FRAMEWORK_MODULE_PATHS: Record<string, string>;

/** Async, as `import()` is: a refusal, or a specifier that cannot become a string, is a rejection. */
export async function checkedImport(importer: ImportMeta, where: string, specifier: unknown): Promise<unknown> {
  const text = String(specifier);
  if (isNodeBuiltin(text)) return import(text);
  const name = frameworkModuleName(text);
  if (name === null) throw new Error(`${where}: cannot import ${JSON.stringify(text)}: ${ALLOWED_IMPORTS}`);
  const path = Object.hasOwn(FRAMEWORK_MODULE_PATHS, name) ? FRAMEWORK_MODULE_PATHS[name] : `./${name}.js`;
  return import(new URL(path, importer.url).href);
}
