/**
 * Which submission folders a pull request changes: `git diff --name-only` between the merge base
 * of the base ref and the head, limited to `submissions/`. A folder counts when any file under it
 * was added, changed or deleted; one that no longer exists in the head (deleted or renamed away)
 * is reported apart, since there is nothing left to grade. Names are git's own bytes (`-z`: no
 * quoting) and are passed on as paths, never as patterns: a folder named `*` is that folder.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { InputError } from '../trusted/input-error.js';

export const SUBMISSIONS_DIR = 'submissions';

export interface ChangedSubmissions {
  /** Folder names under submissions/ that exist in the head, sorted. */
  folders: string[];
  /** Changed folder names that are gone in the head, or are not plain folders (a symbolic link). */
  gone: string[];
  /** How many changed files lie outside submissions/ (they are not used for grading). */
  otherFiles: number;
}

/** `git diff` between the base and the head failed (a base that is not in the clone, a folder that is no clone). */
export class GitDiffError extends InputError {
  override name = 'GitDiffError';
  constructor(code: `E_GIT_DIFF_${string}`, message: string) {
    super(code, message);
  }
}

async function changedFiles(repo: string, base: string, head: string): Promise<string[]> {
  const diff = await execa('git', ['-C', repo, 'diff', '--name-only', '-z', '--no-renames', `${base}...${head}`, '--'], { reject: false });
  if (diff.exitCode !== 0) {
    throw new GitDiffError(
      'E_GIT_DIFF_FAILED',
      `git diff ${base}...${head} failed in ${repo}: ${diff.stderr.trim()}. ` +
        'The base must be a commit or ref present in that clone: check the pull request out with its history (actions/checkout with fetch-depth: 0) and pass --base the base commit.',
    );
  }
  return diff.stdout.split('\0').filter(Boolean);
}

export async function changedSubmissions(repo: string, base: string, head = 'HEAD'): Promise<ChangedSubmissions> {
  const files = await changedFiles(repo, base, head);
  const names = new Set<string>();
  let otherFiles = 0;
  for (const file of files) {
    const [top, name, ...rest] = file.split('/');
    if (top === SUBMISSIONS_DIR && name && rest.length > 0) names.add(name);
    else if (top !== SUBMISSIONS_DIR) otherFiles++;
  }
  const folders: string[] = [];
  const gone: string[] = [];
  for (const name of [...names].sort()) {
    let isFolder = false;
    try {
      isFolder = lstatSync(join(repo, SUBMISSIONS_DIR, name)).isDirectory();
    } catch {
      // Deleted or renamed in the pull request.
    }
    (isFolder ? folders : gone).push(name);
  }
  return { folders, gone, otherFiles };
}
