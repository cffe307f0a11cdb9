/**
 * What the operating system offers beyond Node's permission model, found by trying it once per
 * process, so that the same grader runs everywhere and says which layers it used. Strongest first:
 * - a namespace sandbox (Debian's `bubblewrap`): a file system holding only /usr and the run's
 *   scratch folder, both read-only, and new network, PID and IPC namespaces (no network at all;
 *   the child is alone with its own processes, which die with it). It needs user namespaces, which
 *   most Linux machines allow; GitHub's Ubuntu runners restrict them.
 * - otherwise, as root, network and PID namespaces only: `unshare --net --pid --fork --kill-child`.
 * - an unprivileged user (nobody, 65534) instead of root: `setpriv`;
 * - the child dies with the grader, even when the grader is killed with SIGKILL: `setpriv --pdeathsig`;
 * - kernel resource limits (`prlimit`): writable memory (RLIMIT_DATA, which counts the V8 heap,
 *   Buffers, typed arrays and WebAssembly memory; unlike `--as` it lets Node start), CPU time,
 *   open files, file size, no core files.
 * Where a tool is missing or refused, that layer is left out and not claimed.
 * GRADE_NO_NAMESPACES (any value) leaves the namespaces out, to compare or to debug.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { ANSWER_FD } from '../shared/protocol.js';
import { makeScratchFolder, removeScratchFolder } from './scratch.js';

export const NOBODY = 65534;

/** The per-process limits the kernel enforces on the child. */
export interface ProcessLimits {
  /** CPU time over the child's whole life (it serves every part of one submission). */
  cpuSeconds: number;
  /** Writable private memory: heap, Buffers, typed arrays. */
  memoryMiB: number;
}

export interface OsIsolation {
  /** The layers, by name, for the results. */
  layers: string[];
  /** Whether the child runs as another user (the scratch folder must be readable by it). */
  dropsPrivileges: boolean;
  /** `command` (node and its arguments) inside the layers found on this machine. */
  wrap(command: string[], scratch: string, limits: ProcessLimits): string[];
}

const MiB = 1024 * 1024;
/** Open files: Node needs a few dozen. Files: the child may write none; 1 MiB bounds a bypass. */
const FIXED_LIMITS = ['--core=0', '--nofile=256', `--fsize=${MiB}`];

/** The absolute path of a system tool, or null. Resolved once, so the child's empty PATH does not matter. */
function findTool(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Not here.
    }
  }
  return null;
}

function works(command: string[], cwd?: string): boolean {
  try {
    return spawnSync(command[0], command.slice(1), { stdio: 'ignore', timeout: 10_000, env: {}, cwd }).status === 0;
  } catch {
    return false;
  }
}

/**
 * bubblewrap's arguments: /usr and the scratch folder read-only, the root's top-level links into
 * /usr (/lib, /bin on merged-/usr systems) recreated, fresh /proc and /dev, nothing writable.
 */
function bubblewrapArgs(bwrap: string, scratch: string): string[] {
  const args = [bwrap, '--unshare-all', '--die-with-parent', '--ro-bind', '/usr', '/usr'];
  for (const top of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    try {
      const stat = lstatSync(top);
      if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(top), top);
      else if (stat.isDirectory()) args.push('--ro-bind', top, top);
    } catch {
      // Not on this system.
    }
  }
  // A Node installed outside /usr (nvm, a tarball): its own prefix, read-only.
  const node = realpathSync(process.execPath);
  if (!node.startsWith('/usr/')) {
    const prefix = dirname(dirname(node));
    args.push('--ro-bind', prefix, prefix);
  }
  args.push(
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--ro-bind',
    scratch,
    scratch,
    '--remount-ro',
    '/dev',
    '--remount-ro',
    '/',
    '--chdir',
    scratch,
    '--',
  );
  // bubblewrap sets PWD, after its own --unsetenv: the environment stays empty only through env.
  if (existsSync('/usr/bin/env')) args.push('/usr/bin/env', '-u', 'PWD');
  return args;
}

interface Plan {
  layers: string[];
  dropsPrivileges: boolean;
  wrap: OsIsolation['wrap'];
}

/** Which of the per-process layers a candidate plan uses. */
interface ToolLayers {
  limits: boolean;
  death: boolean;
  nobody: boolean;
}

interface Tools {
  prlimit: string | null;
  setpriv: string | null;
  bwrap: string | null;
  unshare: string | null;
}

/** The candidate plans with the given per-process layers, strongest first. */
function candidates(tools: Tools, use: ToolLayers, isRoot: boolean): Plan[] {
  const { prlimit, setpriv, bwrap, unshare } = tools;
  const allowNamespaces = process.env.GRADE_NO_NAMESPACES === undefined;
  const limits = (l: ProcessLimits): string[] =>
    use.limits ? [prlimit!, ...FIXED_LIMITS, `--cpu=${Math.ceil(l.cpuSeconds)}`, `--data=${l.memoryMiB * MiB}`, '--'] : [];
  const nobody = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
  /** setpriv with the parent-death signal and, when `drop`, the switch to nobody; [] when neither applies. */
  const priv = (drop: boolean): string[] => {
    const options = [...(use.death ? ['--pdeathsig', 'KILL'] : []), ...(drop ? nobody : [])];
    return options.length > 0 ? [setpriv!, ...options] : [];
  };
  const common = [
    ...(use.limits ? ['memory-limit', 'resource-limits'] : []),
    ...(use.death ? ['dies-with-grader'] : []),
    ...(use.nobody ? ['unprivileged-user'] : []),
  ];

  const plans: Plan[] = [];
  if (allowNamespaces && bwrap !== null) {
    // setpriv first: bubblewrap then runs unprivileged, in a user namespace of nobody's.
    plans.push({
      layers: [...common, 'filesystem-namespace', 'network-namespace', 'pid-namespace', 'ipc-namespace'],
      dropsPrivileges: use.nobody,
      wrap: (command, scratch, l) => [...limits(l), ...priv(use.nobody), ...bubblewrapArgs(bwrap, scratch), ...command],
    });
  }
  if (allowNamespaces && isRoot && unshare !== null) {
    plans.push({
      layers: [...common, 'network-namespace', 'pid-namespace'],
      dropsPrivileges: use.nobody,
      wrap: (command, _scratch, l) => [
        ...limits(l),
        ...priv(false),
        unshare,
        '--net',
        '--pid',
        '--fork',
        '--kill-child',
        ...(use.nobody ? [setpriv!, ...nobody] : []),
        ...command,
      ],
    });
  }
  const plain = (drop: boolean): Plan => ({
    layers: common.filter((layer) => drop || layer !== 'unprivileged-user'),
    dropsPrivileges: drop,
    wrap: (command, _scratch, l) => [...limits(l), ...priv(drop), ...command],
  });
  plans.push(plain(use.nobody));
  // Last resort as root: the scratch folder's location may be closed to nobody (a private TMPDIR).
  if (use.nobody) plans.push(plain(false));
  return plans;
}

/**
 * Whether `plan` starts Node, in a real scratch folder, as the sandbox will, and the child can write
 * on its answer channel: a pipe at ANSWER_FD that every wrapper must pass on, open, to Node.
 */
function startsNode(plan: Plan): boolean {
  const scratch = makeScratchFolder(plan.dropsPrivileges);
  try {
    writeFileSync(join(scratch, 'probe.mjs'), `import { writeSync } from 'node:fs';\nwriteSync(${ANSWER_FD}, 'ready');\n`);
    const command = plan.wrap([process.execPath, join(scratch, 'probe.mjs')], scratch, { cpuSeconds: 10, memoryMiB: 512 });
    const stdio = Array.from({ length: ANSWER_FD + 1 }, (_, fd) => (fd === ANSWER_FD ? 'pipe' : 'ignore'));
    const run = spawnSync(command[0], command.slice(1), { stdio, timeout: 10_000, env: {}, cwd: scratch });
    return run.status === 0 && String(run.output[ANSWER_FD]) === 'ready';
  } catch {
    return false;
  } finally {
    removeScratchFolder(scratch);
  }
}

/** The strongest combination that starts Node on this machine. */
function plan(): Plan {
  const isRoot = process.getuid?.() === 0;
  const tools: Tools = {
    prlimit: findTool('prlimit'),
    setpriv: findTool('setpriv'),
    bwrap: findTool('bwrap'),
    unshare: findTool('unshare'),
  };
  const present: ToolLayers = { limits: tools.prlimit !== null, death: tools.setpriv !== null, nobody: isRoot && tools.setpriv !== null };
  // Usually everything present works: one try. Otherwise each tool alone, then each plan in turn.
  const strongest = candidates(tools, present, isRoot)[0];
  if (startsNode(strongest)) return strongest;
  const use: ToolLayers = {
    limits: present.limits && works([tools.prlimit!, ...FIXED_LIMITS, '--cpu=10', `--data=${512 * MiB}`, '--', 'true']),
    death: present.death && works([tools.setpriv!, '--pdeathsig', 'KILL', 'true']),
    nobody: present.nobody && works([tools.setpriv!, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'true']),
  };
  const plans = candidates(tools, use, isRoot);
  return plans.find(startsNode) ?? plans.at(-1)!;
}

let probed: OsIsolation | undefined;

/** The layers of this machine, found on first call (a few tries of a few milliseconds each). */
export function osIsolation(): OsIsolation {
  probed ??= plan();
  return probed;
}
