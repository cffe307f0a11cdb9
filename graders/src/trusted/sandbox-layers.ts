/**
 * The layers a sandboxed child runs under, and its start under them: Node's permission model (it
 * may read its scratch folder only), a cleared environment, a process group of its own (killed
 * whole), four plain pipes and no Node IPC channel, inside whatever the operating system adds on
 * this machine (os-isolation.ts). The names of the layers are recorded in every result.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { osIsolation } from './os-isolation.js';

export interface SandboxLimits {
  timeoutSeconds: number;
  heapMiB: number;
  /** Resident memory of the child's whole process tree, Buffers and typed arrays included. */
  memoryMiB: number;
  outputKiB: number;
  /** CPU time over the child's life, where the kernel enforces it; default: 16 wall-clock limits. */
  cpuSeconds?: number;
}

/** The CPU time the kernel allows the child over its life (see SandboxLimits.cpuSeconds). */
export function childCpuSeconds(limits: SandboxLimits): number {
  return limits.cpuSeconds ?? limits.timeoutSeconds * 16;
}

/**
 * The layers every sandbox applies; the OS-level ones are added where available (os-isolation.ts).
 * `ipc-nonce`: the answer channel (a plain pipe) and its checks, the run's nonce among them.
 */
const BASE_LAYERS = [
  'node-permission-model',
  'cleared-environment',
  'memory-watchdog',
  'process-group-kill',
  'output-cap',
  'scratch-directory',
  'ipc-nonce',
];

/**
 * Whether the child gets V8's heap limit (`--max-old-space-size`): only where the kernel does not
 * limit its memory (RLIMIT_DATA, see os-isolation.ts, counts the heap too). Any V8 flag costs every
 * start about 20 ms of CPU: Node then rejects its built-in code cache and compiles its own modules
 * from source. For the same reason V8's background threads are left on (`--single-threaded` is a
 * V8 flag): measured on a full class, what they cost the checks is what the start saves.
 */
export function needsHeapLimit(): boolean {
  return !osIsolation().layers.includes('memory-limit');
}

/** Node's options for a child in `scratch`: it may read that folder only. */
export function childNodeOptions(scratch: string, limits: Pick<SandboxLimits, 'heapMiB'>): string[] {
  const heapLimit = needsHeapLimit() ? [`--max-old-space-size=${limits.heapMiB}`] : [];
  return ['--experimental-permission', `--allow-fs-read=${scratch}/`, ...heapLimit, '--no-warnings'];
}

/** The layers this sandbox applies on this machine; recorded in every result. */
export function isolationLayers(): string[] {
  // The watchdog reads /proc; without it, it watches nothing.
  const base = existsSync('/proc/self/status') ? BASE_LAYERS : BASE_LAYERS.filter((layer) => layer !== 'memory-watchdog');
  return [...base, ...(needsHeapLimit() ? ['heap-limit'] : []), ...osIsolation().layers];
}

/**
 * Starts the child's entry (`scratch`/child.mjs) under every layer, with the run's `nonce` and its
 * output cap as arguments: no environment, its own process group, four plain pipes.
 */
export function startChild(scratch: string, limits: SandboxLimits, nonce: string) {
  const entry = [join(scratch, 'child.mjs'), nonce, String(limits.outputKiB * 1024)];
  const node = [process.execPath, ...childNodeOptions(scratch, limits), ...entry];
  const command = osIsolation().wrap(node, scratch, { cpuSeconds: childCpuSeconds(limits), memoryMiB: limits.memoryMiB });
  return execa(command[0], command.slice(1), {
    cwd: scratch,
    env: {},
    extendEnv: false,
    // stdin: run messages; stdout, stderr: the output; ANSWER_FD: the answers.
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    buffer: false,
    detached: true,
    reject: false,
    cleanup: true,
  });
}

/** A child started by startChild. */
export type SandboxChild = ReturnType<typeof startChild>;
