/**
 * The submission paths on the command line, sorted before anything is graded: a folder or a `.zip`
 * file is a submission; a plain file (a `roster.csv` that `submissions/*` also matched) and an
 * operating system's leftovers (`__MACOSX`, `Thumbs.db`) are skipped with a warning naming them;
 * a folder that holds submissions instead of being one (intake/class-folder.ts) is a usage error,
 * with the pattern the TA probably meant. A path that does not exist stays a submission, whose
 * result says so. Paths stay exactly as given.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { submittedFiles, type AssignmentDefinition } from '../trusted/assignment.js';
import { holdsSubmissions } from '../trusted/intake/class-folder.js';
import { isSystemJunk } from '../trusted/intake/junk.js';
import { isZipName } from '../trusted/intake/submission-source.js';

export interface SubmissionArguments {
  /** The paths to grade, in the order given. */
  submissions: string[];
  /** What to tell the TA about the paths skipped. */
  warnings: string[];
  /** Folders given as one submission that hold several: each with the message to refuse it with. */
  classFolders: string[];
}

/** Sorts `paths`, the positional arguments of a run that grades `assignment`. */
export function submissionArguments(paths: readonly string[], assignment: AssignmentDefinition): SubmissionArguments {
  const files = submittedFiles(assignment);
  const sorted: SubmissionArguments = { submissions: [], warnings: [], classFolders: [] };
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      sorted.submissions.push(path);
      continue;
    }
    const name = basename(path.replace(/[\\/]+$/, ''));
    if (isSystemJunk(name)) {
      const what = name.toLowerCase() === '__macosx' ? "macOS's metadata of a zip" : "an operating system's file";
      sorted.warnings.push(`skipped ${path}: ${what}, not a submission`);
    } else if (stat.isDirectory() && holdsSubmissions(path, files)) {
      sorted.classFolders.push(`${path} holds submissions; did you mean ${path.replace(/[\\/]+$/, '')}/*?`);
    } else if (stat.isDirectory() || isZipName(path)) {
      sorted.submissions.push(path);
    } else {
      sorted.warnings.push(`skipped ${path}: a file, not a submission (a submission is a folder or a .zip file)`);
    }
  }
  return sorted;
}
