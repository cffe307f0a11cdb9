/**
 * Names that operating systems and archivers add beside a student's files, which are never part of
 * a submission: macOS's `__MACOSX` folder (in zips made by the Finder), `.DS_Store` and its `._NAME`
 * AppleDouble files, Windows's `Thumbs.db` and `desktop.ini`, and the like. They are ignored
 * wherever a submission is looked at: a zip's entries under them are not unpacked, and they never
 * count as the folder that wraps a submission.
 */

const SYSTEM_NAMES = new Set([
  '__macosx',
  '.ds_store',
  '.spotlight-v100',
  '.trashes',
  '.fseventsd',
  '.temporaryitems',
  'thumbs.db',
  'ehthumbs.db',
  'desktop.ini',
  '$recycle.bin',
]);

/** Whether a file or folder name (one path segment) is an operating system's or an archiver's, not the student's. */
export function isSystemJunk(name: string): boolean {
  return name.startsWith('._') || SYSTEM_NAMES.has(name.toLowerCase());
}

/**
 * Whether a folder can be ruled out as the one that wraps a submission, by its name alone: system
 * junk, a hidden folder (`.git`, `.vscode`) or installed packages (`node_modules`).
 */
export function isNeverWrapper(name: string): boolean {
  return isSystemJunk(name) || name.startsWith('.') || name === 'node_modules';
}
