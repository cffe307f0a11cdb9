/**
 * What a module of the assignment may import, in the words both sides use: the compiler checks
 * every written specifier against it, and the child checks a computed `import()` against it when
 * it runs (untrusted/checked-import.ts).
 */

/** Said to the student when an import is refused. */
export const ALLOWED_IMPORTS = "only the assignment's own files (./name.js) and node: modules can be imported";

/**
 * A module's name (its file's name without `.ts`): letters, digits, `_` and `-`, in parts joined
 * by single dots (`topo_sort`, `graph.utils`), starting with a letter, a digit or `_`. So it never
 * starts with a dot, is never `.` or `..`, and holds no `/` or `\`: it stays a file of one folder.
 * The student's own modules are named by the same rule (trusted/helper-modules.ts).
 */
export const MODULE_NAME = '[A-Za-z0-9_][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+)*';

/**
 * `./NAME.js`, `./NAME.ts` or `framework:NAME` with the same endings; without `.js` or `.ts`, only a
 * NAME without dots (`./ndarray`), so that `./ops.json` or `./ops.mjs` is never read as a module's name.
 */
const FRAMEWORK_SPECIFIER = new RegExp(`^(?:framework:|\\./)(?:(${MODULE_NAME})\\.(?:js|ts)|([A-Za-z0-9_][A-Za-z0-9_-]*))$`);

/** `./name`, `./name.js`, `./name.ts` or `framework:name` to `name`; null for anything else. */
export function frameworkModuleName(specifier: string): string | null {
  const match = FRAMEWORK_SPECIFIER.exec(specifier);
  return match ? (match[1] ?? match[2]) : null;
}

/** A module built into Node, named with the `node:` scheme (`node:fs`, `node:path/posix`). */
export function isNodeBuiltin(specifier: string): boolean {
  return /^node:[a-z_]+(?:\/[a-z_]+)*$/.test(specifier);
}
