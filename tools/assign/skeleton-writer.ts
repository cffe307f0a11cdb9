/** Replaces the skeleton folder by freshly generated files. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { IGNORED_DIRECTORY } from './list-files.js';
import type { SkeletonFiles } from './skeleton-contents.js';

/**
 * Empties `skeletonDir` (keeping its node_modules, so that an install survives) and writes `files`
 * into it: a file deleted from the reference disappears from the skeleton too.
 */
export function writeSkeleton(files: SkeletonFiles, skeletonDir: string): void {
  mkdirSync(skeletonDir, { recursive: true });
  for (const entry of readdirSync(skeletonDir)) {
    if (entry !== IGNORED_DIRECTORY) rmSync(join(skeletonDir, entry), { recursive: true, force: true });
  }
  for (const [path, content] of files) {
    const target = join(skeletonDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}
