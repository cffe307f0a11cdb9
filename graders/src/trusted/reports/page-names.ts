/**
 * The file name of each submission's HTML page. A submission id is a folder name chosen by a
 * student, so it may contain characters that are awkward in a URL, may differ from another id only
 * in case (one file on macOS and Windows), or may be "index" or "review" (the class overview, the
 * TA's review page). Plain ids keep `<id>.html`; any other id gets a readable slug plus a short
 * hash of the id, so names never collide.
 */
import { createHash } from 'node:crypto';

const PLAIN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const RESERVED = new Set(['index', 'review']);

export function pageNames(ids: readonly string[]): Map<string, string> {
  const lowerCaseCount = new Map<string, number>();
  for (const id of ids) lowerCaseCount.set(id.toLowerCase(), (lowerCaseCount.get(id.toLowerCase()) ?? 0) + 1);
  const names = new Map<string, string>();
  for (const id of ids) {
    const plain = PLAIN_ID.test(id) && !RESERVED.has(id.toLowerCase()) && lowerCaseCount.get(id.toLowerCase()) === 1;
    if (plain) {
      names.set(id, `${id}.html`);
    } else {
      const slug = id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').slice(0, 40) || 'submission';
      const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
      names.set(id, `${slug}-${hash}.html`);
    }
  }
  return names;
}

/**
 * A folder or file stem per submission for the per-submission reports (gradescope/<stem>/,
 * classroom/<stem>.b64): the page name without `.html`, so every per-submission file of one id
 * shares one safe stem.
 */
export function submissionStems(ids: readonly string[]): Map<string, string> {
  return new Map([...pageNames(ids)].map(([id, name]) => [id, name.slice(0, -'.html'.length)]));
}
