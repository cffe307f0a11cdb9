/**
 * Where the per-run scratch folders go: TMPDIR when it is set, otherwise a memory-backed file
 * system (/dev/shm on Linux) when there is one: a part's folder is a few dozen small files, and on
 * a disk-backed /tmp writing and removing them costs more than grading the part. The child cannot
 * write anywhere, so the folder's size is bounded by what the parent writes.
 *
 * The folders that exist are tracked and removed when the process exits, however it exits: after
 * a harness failure as after a completed run; an interrupted run removes them too (interrupt.ts).
 */
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MEMORY_BACKED = '/dev/shm';

let root: string | undefined;

function scratchRoot(): string {
  if (root === undefined) {
    root = tmpdir();
    if (process.env.TMPDIR) return root;
    try {
      if (statSync(MEMORY_BACKED).isDirectory()) {
        accessSync(MEMORY_BACKED, constants.W_OK);
        root = MEMORY_BACKED;
      }
    } catch {
      // No memory-backed file system: the system's temp folder.
    }
  }
  return root;
}

/**
 * A new, empty scratch folder for one submission's run. When the child runs as an unprivileged
 * user, the folder is made readable (not writable) by others: it holds only the given files, the
 * grader's oracles and this submission's own code.
 */
export function makeScratchFolder(readableByOthers = false): string {
  const folder = mkdtempSync(join(scratchRoot(), 'grade-'));
  if (!removedOnExit) {
    removedOnExit = true;
    process.on('exit', removeOnExit);
  }
  live.add(folder);
  if (readableByOthers) chmodSync(folder, 0o755);
  return folder;
}

const live = new Set<string>();
let removedOnExit = false;

/** Removes a scratch folder made by makeScratchFolder. */
export function removeScratchFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  live.delete(folder);
}

/** Removes every scratch folder still there (on an interrupt, and when the process exits). */
export function removeAllScratchFolders(): void {
  for (const folder of [...live]) removeScratchFolder(folder);
}

/** The exit's cleanup: what cannot be removed stays, and the exit code stays what it was. */
function removeOnExit(): void {
  for (const folder of [...live]) {
    try {
      removeScratchFolder(folder);
    } catch {
      // Left for the system's temp cleaning.
    }
  }
}
