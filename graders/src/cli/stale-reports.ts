/**
 * The per-submission reports a previous run wrote that the class written now no longer has: the
 * pages, Gradescope and Classroom files of submissions a run that starts over (`--fresh`, a shard)
 * dropped, or of ids whose file names changed (a new id that differs from one only in case gives
 * both hashed names). Left behind, a page would still be found and read, with no link to it and
 * with a grade that no longer holds. Only names the reports themselves give are removed.
 */
import { rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { classroomResultPath } from '../trusted/reports/classroom-report.js';
import { gradescopeResultsPath } from '../trusted/reports/gradescope-report.js';
import { pageNames, submissionStems } from '../trusted/reports/page-names.js';

/** The paths, relative to the output folder, of every per-submission report of a class of `ids`. */
function reportPaths(ids: readonly string[]): Set<string> {
  const stems = submissionStems(ids);
  return new Set([
    ...pageNames(ids).values(),
    ...[...stems.values()].flatMap((stem) => [gradescopeResultsPath(stem), classroomResultPath(stem)]),
  ]);
}

/**
 * Removes from `outDir` the per-submission reports of a class of `previousIds` that a class of
 * `currentIds` does not have.
 */
export function removeStaleReports(outDir: string, previousIds: readonly string[], currentIds: readonly string[]): void {
  const current = reportPaths(currentIds);
  for (const path of reportPaths(previousIds)) {
    if (current.has(path)) continue;
    rmSync(join(outDir, path), { force: true });
    // gradescope/<stem>/results.json: its folder too, when nothing else is in it.
    if (path.endsWith('/results.json')) {
      try {
        rmdirSync(join(outDir, path.slice(0, -'/results.json'.length)));
      } catch {
        // Not empty, or not there: left as it is.
      }
    }
  }
}
