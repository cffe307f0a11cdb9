/**
 * Writes a file so that readers only ever see the old content or the complete new content: the
 * content goes to a temporary file in the same folder (same file system, so the rename is atomic)
 * and is synced to disk before it replaces the target. A run killed half-way leaves at most a
 * `.name.<pid>.<random>.tmp` file behind, never a half-written report.
 *
 * npm's `write-file-atomic` does the same plus ownership, mode and signal handling we do not need;
 * these lines avoid a dependency (and its `signal-exit` and type packages) for one call.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(content); // text as UTF-8
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
