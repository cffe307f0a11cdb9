/**
 * A submission as the command line is given it: a folder, or a `.zip` file (its id is the file's
 * name without `.zip`). Either may wrap the assignment's files in a folder (submission-root.ts).
 * What this module hands on is always a folder for intake.ts to read:
 * - a folder: the folder itself, or the one inside it that holds the assignment's files;
 * - a zip: a private scratch folder (mode 0700, removed after intake) into which only the entries
 *   intake may read are unpacked: the assignment's files and the entries directly in its source
 *   folder (the student's own modules, and what intake names as not read), each at most
 *   `limits.fileKiB`, as regular files that this module creates itself. Links, devices, encrypted
 *   entries and names that differ only in case are never written: each is named with the reason,
 *   like a refused file of a folder, when intake could have read it (an assignment's file, a
 *   `NAME.ts` in the source folder). Folders directly in the source folder are made empty, so that
 *   intake names them as it does in a folder.
 * A folder or zip holding none of the assignment's files is no submission (nothing to grade), and a
 * zip that zip.ts refuses is not read at all; the others' grading goes on.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { submittedFiles, type AssignmentDefinition } from '../assignment.js';
import { shownFileName } from '../helper-modules.js';
import type { IntakeProblem } from '../intake.js';
import type { Rubric } from '../rubric.js';
import { makeScratchFolder, removeScratchFolder } from '../scratch.js';
import { isSystemJunk } from './junk.js';
import { findSubmissionRoot, folderTree, pathTree, type SubmissionRoot } from './submission-root.js';
import { openZip, ZipRefusal, type OpenedZip, type ZipEntryInfo } from './zip.js';

const MIB = 1024 * 1024;

export type OpenedSubmission =
  /** The folder to read, problems found while unpacking a zip, and what to call once it is read. */
  | { kind: 'folder'; folder: string; problems: IntakeProblem[]; release: () => void }
  /** None of the assignment's files: why, for the result. */
  | { kind: 'no-submission'; reason: string }
  /** Not a folder or a zip that can be read: why, for the result. */
  | { kind: 'refused'; error: string };

/** Whether a path names a zip file by its name (`alice.zip`, `ALICE.ZIP`). */
export function isZipName(path: string): boolean {
  return /\.zip$/i.test(path.replace(/[\\/]+$/, ''));
}

/** Opens the submission at `path` (a folder or a .zip file). */
export async function openSubmission(path: string, assignment: AssignmentDefinition, limits: Rubric['limits']): Promise<OpenedSubmission> {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return { kind: 'refused', error: `${path} does not exist; expected a student's folder (a copy of skeleton/) or a .zip of one` };
  }
  const files = submittedFiles(assignment);
  if (stat.isDirectory()) {
    const root = findSubmissionRoot(folderTree(path), files);
    if (root.kind !== 'found') return { kind: 'no-submission', reason: noSubmissionReason(root, files) };
    const folder = root.folder === '' ? path : join(path, ...root.folder.split('/'));
    return { kind: 'folder', folder, problems: [], release: () => {} };
  }
  if (!stat.isFile() || !isZipName(path)) {
    const error = `${path} is not a folder or a .zip file; expected a student's folder (a copy of skeleton/) or a .zip of one`;
    return { kind: 'refused', error };
  }
  const refused = (reason: string): OpenedSubmission => ({
    kind: 'refused',
    error: `${basename(path)} was not unpacked: ${reason}; nothing in it was graded`,
  });
  if (stat.size > limits.zipMiB * MIB) {
    return refused(`it is ${Math.ceil(stat.size / MIB)} MiB; the limit is ${limits.zipMiB} MiB (limits.zipMiB in the rubric)`);
  }
  let zip: OpenedZip;
  try {
    // An entry larger than any file intake reads is held to the ratio (zip.ts).
    zip = await openZip(path, {
      entries: limits.zipEntries,
      totalBytes: limits.zipMiB * MIB,
      ratio: limits.zipRatio,
      ratioFloorBytes: limits.fileKiB * 1024,
    });
  } catch (error) {
    if (error instanceof ZipRefusal) return refused(error.message);
    throw error;
  }
  try {
    return await unpackSubmission(zip, assignment, limits.fileKiB * 1024);
  } finally {
    zip.close();
  }
}

/** Why a folder or zip is no submission. */
function noSubmissionReason(root: Exclude<SubmissionRoot, { kind: 'found' }>, files: readonly string[]): string {
  if (root.kind === 'several') {
    const shown = root.folders.slice(0, 3).map((folder) => `${shownFileName(folder)}/`);
    const more = root.folders.length > 3 ? ` and ${root.folders.length - 3} more` : '';
    const folders = `${root.folders.length} folders (${shown.join(', ')}${more})`;
    return `the assignment's files are in ${folders}, so none was graded: keep one of them`;
  }
  // submittedFiles lists the source files first: one of them and the last of the others.
  const examples = [...new Set([files[0], files[files.length - 1]])];
  return `no file of the assignment found: expected e.g. ${examples.join(', ')}`;
}

/** Unpacks the entries intake may read into a new scratch folder (see the module's comment). */
async function unpackSubmission(zip: OpenedZip, assignment: AssignmentDefinition, maxFileBytes: number): Promise<OpenedSubmission> {
  const files = submittedFiles(assignment);
  const entries = zip.entries.filter((entry) => entry.path !== '' && !entry.path.split('/').some(isSystemJunk));
  const root = findSubmissionRoot(pathTree(entries.map((entry) => ({ path: entry.path, folder: entry.kind === 'folder' }))), files);
  if (root.kind !== 'found') return { kind: 'no-submission', reason: noSubmissionReason(root, files) };

  // Paths relative to the folder that holds the assignment's files.
  const prefix = root.folder === '' ? '' : `${root.folder}/`;
  const inRoot = entries.flatMap((entry) => (entry.path.startsWith(prefix) ? [{ ...entry, path: entry.path.slice(prefix.length) }] : []));
  const source = `${assignment.sourceFolder}/`;
  const expected = new Set(files);
  const directlyInSource = (path: string): boolean => path.startsWith(source) && !path.slice(source.length).includes('/');
  // The assignment's files, and modules of the student's (NAME.ts, not hidden); others in src/ are unpacked for intake to name.
  const mayBeRead = (path: string): boolean =>
    expected.has(path) || (directlyInSource(path) && /^[^.].*\.ts$/i.test(path.slice(source.length)));
  const wanted = inRoot.filter((entry) => entry.kind !== 'folder' && (expected.has(entry.path) || directlyInSource(entry.path)));
  const sourceFolders = new Set(
    inRoot.flatMap((entry) => {
      if (!entry.path.startsWith(source)) return [];
      const [name, ...rest] = entry.path.slice(source.length).split('/');
      return rest.length > 0 || entry.kind === 'folder' ? [name] : [];
    }),
  );

  // Two entries whose paths differ only in case would be one file where case is ignored (macOS, Windows).
  const byFoldedPath = new Map<string, string[]>();
  for (const entry of inRoot.filter((e) => e.kind !== 'folder')) {
    const key = entry.path.toLowerCase();
    byFoldedPath.set(key, [...(byFoldedPath.get(key) ?? []), entry.path]);
  }

  const problems: IntakeProblem[] = [];
  const folder = makeScratchFolder();
  try {
    for (const name of [...sourceFolders].sort()) mkdirSync(join(folder, assignment.sourceFolder, name), { recursive: true });
    for (const entry of wanted.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      const clash = byFoldedPath.get(entry.path.toLowerCase())!;
      const problem =
        clash.length > 1 ? clashProblem(entry.path, clash) : (entryProblem(entry, maxFileBytes) ?? (await unpack(zip, entry, folder)));
      // A file intake would not read in a folder either (notes, data) is left out without a word.
      if (problem !== null && mayBeRead(entry.path)) problems.push({ file: shownFileName(entry.path), problem });
    }
  } catch (error) {
    removeScratchFolder(folder);
    throw error;
  }
  return { kind: 'folder', folder, problems, release: () => removeScratchFolder(folder) };
}

function clashProblem(path: string, clash: readonly string[]): string {
  const others = clash.filter((other) => other !== path);
  if (others.length < clash.length - 1) return `is in the archive ${clash.length} times; keep one`;
  const names = others.map((other) => `"${shownFileName(other)}"`).join(', ');
  return `differs only in case from ${names} in the archive, and where case is ignored (macOS, Windows) the two are one file; keep one`;
}

/** Why an entry is not unpacked, by what the archive says of it, or null. */
function entryProblem(entry: ZipEntryInfo, maxFileBytes: number): string | null {
  if (entry.kind === 'link') return 'is a symbolic link; submit the file itself';
  if (entry.kind === 'special') return 'is not a regular file (a device or a pipe); submit a text file';
  if (entry.encrypted) return 'is encrypted in the archive; zip it without a password';
  if (entry.unsupportedMethod !== null) {
    const method = entry.unsupportedMethod;
    return `is packed with a method the grader does not read (method ${method}); zip it again with deflate, the usual method`;
  }
  if (entry.size > maxFileBytes) return `is ${entry.size} bytes; the limit is ${maxFileBytes} bytes`;
  return null;
}

/** Writes one entry into `folder` as a new regular file; why not, when it cannot be. */
async function unpack(zip: OpenedZip, entry: ZipEntryInfo, folder: string): Promise<string | null> {
  let data: Buffer;
  try {
    data = await zip.read(entry);
  } catch (error) {
    return `could not be unpacked: ${(error as Error).message}; zip it again`;
  }
  const path = join(folder, ...entry.path.split('/'));
  try {
    mkdirSync(dirname(path), { recursive: true });
    // 'wx': a new file only, never through anything already there.
    writeFileSync(path, data, { flag: 'wx', mode: 0o600 });
    return null;
  } catch (error) {
    return `could not be unpacked (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); rename it`;
  }
}
