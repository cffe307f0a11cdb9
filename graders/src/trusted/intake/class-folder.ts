/**
 * Whether a folder given as one submission holds a class instead (`grade submissions` where
 * `grade submissions/*` was meant). It does when it holds none of the assignment's files itself and,
 * among its entries, either two or more folders hold some (directly or in a wrapping folder), or a
 * zip does not sit beside exactly one such folder: `alice/`, `bob/`; `alice.zip`, `bob.zip`;
 * `alice.zip` alone. One folder holding the files, with no zip beside it, is a wrapped submission
 * (`alice/assignment-11/src/…`), which the intake unwraps. The zips are judged by their names: none
 * is opened here.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isNeverWrapper, isSystemJunk } from './junk.js';
import { isZipName } from './submission-source.js';
import { findSubmissionRoot, folderTree } from './submission-root.js';

/** Whether `folder` holds submissions rather than being one; `files` are the assignment's (submittedFiles). */
export function holdsSubmissions(folder: string, files: readonly string[]): boolean {
  const tree = folderTree(folder);
  if (files.some((file) => tree.has(file))) return false;
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return false;
  }
  const zips = entries.filter((entry) => entry.isFile() && !isSystemJunk(entry.name) && isZipName(entry.name)).length;
  const holdsFiles = (name: string): boolean => findSubmissionRoot(folderTree(join(folder, name)), files).kind !== 'none';
  const holding = entries.filter((entry) => entry.isDirectory() && !isNeverWrapper(entry.name) && holdsFiles(entry.name)).length;
  return holding + zips >= 2 || (zips === 1 && holding === 0);
}
