/**
 * A submission's id is its folder's name (a zip's without `.zip`), exactly as given: the folders are
 * taken literally (the shell expands patterns such as submissions/*, the grader never does), so a
 * folder named `*` or `@(alice)` is graded as itself. Two folders with the same name would be one id for two students
 * (in the reports, the cache and `grade merge`), so they are refused.
 */
import { basename } from 'node:path';

/** A submission's id: its folder's name (trailing slashes aside), or a zip's name without `.zip` (`alice.zip` is alice). */
export function submissionId(folder: string): string {
  const name = basename(folder.replace(/[\\/]+$/, ''));
  return /.\.zip$/i.test(name) ? name.slice(0, -'.zip'.length) : name;
}

/** Every id given by more than one folder, with those folders, in the order given. */
export function repeatedIds(folders: readonly string[]): { id: string; folders: string[] }[] {
  const byId = new Map<string, string[]>();
  for (const folder of folders) {
    const id = submissionId(folder);
    byId.set(id, [...(byId.get(id) ?? []), folder]);
  }
  return [...byId].filter(([, given]) => given.length > 1).map(([id, given]) => ({ id, folders: given }));
}
