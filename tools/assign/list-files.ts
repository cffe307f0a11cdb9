/** Recursive file listing in a stable order, as the generator and the check both need it. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Installed packages are never part of a package's sources. */
export const IGNORED_DIRECTORY = 'node_modules';

/** Every file under `directory`, as sorted "/"-separated paths relative to it, without node_modules. */
export function listFiles(directory: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = prefix + entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== IGNORED_DIRECTORY) files.push(...listFiles(join(directory, entry.name), `${path}/`));
    } else if (entry.isFile()) {
      files.push(path);
    }
  }
  return files.sort(byPath);
}

/** Plain code-unit order, the same on every machine and locale. */
export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
