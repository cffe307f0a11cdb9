/**
 * Where a submission's files are. Learning-management systems and students wrap them: a download
 * gives `alice/assignment-11/src/…`, a zip `alice.zip` holding `assignment-11/src/…`. So when the
 * top of a submission holds none of the assignment's files (`src/tensor.ts`, `answers/q3.json`, …),
 * its folders are searched, at most MAX_WRAPPING_DEPTH levels down: when exactly one of them holds
 * some, that folder is the submission. Folders that never wrap one (`__MACOSX`, hidden folders,
 * `node_modules`) are passed over, and so are links: a link is never followed to find the files.
 *
 * The same rule serves folders on disk and the entries of a zip (SubmissionTree).
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isNeverWrapper } from './junk.js';

/** The wrapping folders looked through: `alice/assignment-11/` (1) and `alice/download/assignment-11/` (2). */
export const MAX_WRAPPING_DEPTH = 2;

/** A submission's folders and files, by paths relative to its top ('' is the top), with `/` between segments. */
export interface SubmissionTree {
  /** Whether anything (a file, a link, a folder) is at `path`. */
  has(path: string): boolean;
  /** The names of the folders directly in `folder` (links to folders are not folders). */
  subfolders(folder: string): string[];
}

export type SubmissionRoot =
  /** The folder that holds the assignment's files: '' for the top, else a path such as `assignment-11`. */
  | { kind: 'found'; folder: string }
  /** None of the assignment's files, at the top or in a wrapping folder. */
  | { kind: 'none' }
  /** No file of the assignment at the top, and more than one folder holding some. */
  | { kind: 'several'; folders: string[] };

const within = (folder: string, name: string): string => (folder === '' ? name : `${folder}/${name}`);

/** Where the files named in `files` (the assignment's, relative paths) are in `tree`. */
export function findSubmissionRoot(tree: SubmissionTree, files: readonly string[]): SubmissionRoot {
  const folders = candidateRoots(tree, files, '', MAX_WRAPPING_DEPTH);
  if (folders.length === 0) return { kind: 'none' };
  return folders.length === 1 ? { kind: 'found', folder: folders[0] } : { kind: 'several', folders };
}

/** The folders, `folder` itself or within it at most `depth` levels down, that hold the files first on their way down. */
function candidateRoots(tree: SubmissionTree, files: readonly string[], folder: string, depth: number): string[] {
  if (files.some((file) => tree.has(within(folder, file)))) return [folder];
  if (depth === 0) return [];
  return tree
    .subfolders(folder)
    .filter((name) => !isNeverWrapper(name))
    .sort()
    .flatMap((name) => candidateRoots(tree, files, within(folder, name), depth - 1));
}

/** A folder on disk as a SubmissionTree: `lstat` for what is there, `readdir` for the folders (links are not followed). */
export function folderTree(top: string): SubmissionTree {
  const at = (path: string): string => (path === '' ? top : join(top, ...path.split('/')));
  return {
    has(path) {
      try {
        lstatSync(at(path));
        return true;
      } catch {
        return false;
      }
    },
    subfolders(folder) {
      try {
        return readdirSync(at(folder), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => entry.name);
      } catch {
        return [];
      }
    },
  };
}

/** The paths of a zip's entries (folders implied by the paths of their files) as a SubmissionTree. */
export function pathTree(paths: readonly { path: string; folder: boolean }[]): SubmissionTree {
  const present = new Set<string>();
  const children = new Map<string, Set<string>>();
  const addFolder = (folder: string, name: string): void => {
    if (!children.has(folder)) children.set(folder, new Set());
    children.get(folder)!.add(name);
  };
  for (const { path, folder } of paths) {
    if (path === '') continue;
    const segments = path.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      present.add(prefix);
      const isFolder = i < segments.length || folder;
      if (isFolder) addFolder(segments.slice(0, i - 1).join('/'), segments[i - 1]);
    }
  }
  return {
    has: (path) => present.has(path),
    subfolders: (folder) => [...(children.get(folder) ?? [])],
  };
}
