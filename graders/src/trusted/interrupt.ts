/**
 * An interrupted grader (Ctrl-C, `kill`, a closed terminal) leaves nothing running and nothing
 * half-written: it kills every child's process group, removes the scratch folders and exits with
 * 128 + the signal's number. Reports are written only after every submission is graded, each file
 * replaced atomically, so an interrupt leaves the previous reports as they were (or, during the
 * last moments of writing, every file whole and the next run rewriting them all).
 */
import { constants } from 'node:os';
import { killAllSandboxes } from './sandbox.js';
import { removeAllScratchFolders } from './scratch.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

let installed = false;

/** Installs the handlers once per process; a second signal of the same kind gets Node's default. */
export function stopChildrenOnInterrupt(): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      killAllSandboxes();
      removeAllScratchFolders();
      process.stderr.write(`grade: interrupted by ${signal}; the running children were stopped\n`);
      process.exit(128 + constants.signals[signal]);
    });
  }
}
