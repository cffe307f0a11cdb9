/** Compares a generated skeleton with the one on disk, file by file. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { byPath, listFiles } from './list-files.js';
import type { SkeletonFiles } from './skeleton-contents.js';

export interface SkeletonDifference {
  /** Path from the skeleton's root. */
  path: string;
  /** differs: both have it with other content; missing: only the generated one; extra: only the one on disk. */
  kind: 'differs' | 'missing' | 'extra';
}

/** Every file where `skeletonDir` is not what `expected` says, sorted by path. */
export function diffSkeleton(expected: SkeletonFiles, skeletonDir: string): SkeletonDifference[] {
  const onDisk = new Set(existsSync(skeletonDir) ? listFiles(skeletonDir) : []);
  const differences: SkeletonDifference[] = [];
  for (const [path, content] of expected) {
    if (!onDisk.has(path)) differences.push({ path, kind: 'missing' });
    else if (!readFileSync(join(skeletonDir, path)).equals(content)) differences.push({ path, kind: 'differs' });
  }
  for (const path of onDisk) if (!expected.has(path)) differences.push({ path, kind: 'extra' });
  return differences.sort((a, b) => byPath(a.path, b.path));
}
