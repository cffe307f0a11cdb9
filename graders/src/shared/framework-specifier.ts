/**
 * What a module of the assignment may import, in the words both sides use: the compiler checks
 * every written specifier against it, and the child checks a computed `import()` against it when
 * it runs (untrusted/checked-import.ts).
 */

/** Said to the student when an import is refused. */
export const ALLOWED_IMPORTS = "only the assignment's own files (./name.js) and node: modules can be imported";

/** `./name`, `./name.js`, `./name.ts` or `framework:name` to `name`; null for anything else. */
export function frameworkModuleName(specifier: string): string | null {
  const match = /^(?:framework:|\.\/)([A-Za-z0-9-]+)(?:\.js|\.ts)?$/.exec(specifier);
  return match ? match[1] : null;
}

/** A module built into Node, named with the `node:` scheme (`node:fs`, `node:path/posix`). */
export function isNodeBuiltin(specifier: string): boolean {
  return /^node:[a-z_]+(?:\/[a-z_]+)*$/.test(specifier);
}
