/**
 * What a sandboxed child's end means, in words for the report: too much memory (the watchdog, the
 * kernel's refusal, V8's heap limit), its run's time limit, the kernel's CPU or file size limit, a
 * signal, or an exit before answering.
 */
import { constants } from 'node:os';
import type { OracleResponse } from '../shared/protocol.js';
import { childCpuSeconds, needsHeapLimit, type SandboxLimits } from './sandbox-layers.js';

/** How a child ended, as the parent saw it. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The memory watchdog killed it. */
  memoryExceeded: boolean;
  /** A run's time limit ran out and the child was killed. */
  timedOut: boolean;
  /** What it printed (capped), where V8 says it ran out of heap. */
  output: string;
}

/** The outcome of the run a child's exit settles: a time-out, or a crash that says why. */
export function exitOutcome(exit: ChildExit, limits: SandboxLimits): { kind: 'timeout' | 'crashed'; reason: string } {
  const oom = exit.memoryExceeded || /heap out of memory|Allocation failed/i.test(exit.output);
  // The namespace wrappers report a child killed by signal N as exit code 128 + N.
  const signal = exit.signal ?? (exit.code !== null && exit.code > 128 ? signalName(exit.code - 128) : undefined);
  // Memory first: a child over its limit may be killed by its time limit before the parent hears of it.
  const reason = oom
    ? memoryDescription(limits)
    : exit.timedOut
      ? timeoutDescription(limits)
      : signal === 'SIGXCPU'
        ? `the child used more than ${childCpuSeconds(limits)} s of CPU time`
        : signal === 'SIGXFSZ'
          ? 'the child tried to write a file larger than 1 MiB'
          : signal
            ? `the child was stopped by ${signal}`
            : `the child exited with code ${exit.code} before answering`;
  return { kind: exit.timedOut && !oom ? 'timeout' : 'crashed', reason };
}

export function memoryDescription(limits: SandboxLimits): string {
  const heap = needsHeapLimit() ? `${limits.heapMiB} MiB of heap, ` : '';
  return `the child used too much memory (limits: ${heap}${limits.memoryMiB} MiB in all)`;
}

export function timeoutDescription(limits: SandboxLimits): string {
  return `no answer within ${limits.timeoutSeconds} s (an infinite loop?)`;
}

/** An exception the child's memory limit raised: Buffers, typed arrays or WebAssembly memory refused. */
export function isOutOfMemory(response: OracleResponse): boolean {
  return (
    'error' in response &&
    response.error.name === 'RangeError' &&
    /Array buffer allocation failed|Unable to grow instance memory|Out of memory/i.test(response.error.message)
  );
}

function signalName(number: number): string | undefined {
  return Object.entries(constants.signals).find(([, n]) => n === number)?.[0];
}
