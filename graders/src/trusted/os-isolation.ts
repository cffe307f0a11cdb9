/**
 * What the operating system offers beyond Node's permission model, found by trying it once per
 * process, so the same grader runs everywhere and says which layers it used:
 * - a new network namespace (no network at all) and PID namespace (the child is PID 1 there, so
 *   everything it starts dies with it): `unshare --net --pid --fork --kill-child`, as root;
 * - an unprivileged user (nobody, 65534) instead of root: `setpriv`;
 * - resource limits: no core files, at most 256 open files, no file larger than 1 MiB: `prlimit`.
 * Where a tool is missing or refused (a laptop, a GitHub-hosted runner without user namespaces),
 * that layer is left out and not claimed.
 */
import { spawnSync } from 'node:child_process';

export const NOBODY = 65534;

export interface OsIsolation {
  /** The command prefix that applies the layers (empty when none is available). */
  prefix: string[];
  /** The layers, by name, for the results. */
  layers: string[];
  /** Whether the child runs as another user (the scratch folder must be readable by it). */
  dropsPrivileges: boolean;
}

function works(command: string[]): boolean {
  try {
    return spawnSync(command[0], [...command.slice(1), 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  } catch {
    return false;
  }
}

let probed: OsIsolation | undefined;

export function osIsolation(): OsIsolation {
  if (probed) return probed;
  const prefix: string[] = [];
  const layers: string[] = [];
  let dropsPrivileges = false;
  const isRoot = process.getuid?.() === 0;
  const namespaces = ['unshare', '--net', '--pid', '--fork', '--kill-child'];
  if (isRoot && process.env.GRADE_NO_NAMESPACES === undefined && works(namespaces)) {
    prefix.push(...namespaces);
    layers.push('network-namespace', 'pid-namespace');
  }
  const limits = ['prlimit', '--core=0', '--nofile=256', '--fsize=1048576', '--'];
  if (works(limits)) {
    prefix.push(...limits);
    layers.push('resource-limits');
  }
  const nobody = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
  if (isRoot && works(nobody)) {
    prefix.push(...nobody);
    layers.push('unprivileged-user');
    dropsPrivileges = true;
  }
  probed = { prefix, layers, dropsPrivileges };
  return probed;
}
