/**
 * One compile in a transform worker, metered: its CPU time is read from /proc as process-tree.ts
 * does (RLIMIT_CPU counts a process's time from its start, and a worker serves many files) and the
 * compile is stopped at its limit. Wall time only backs it up, at many times the limit; where /proc
 * cannot be read the limit is applied to wall time.
 */
import type { TransformReply, TransformRequest } from './compile-messages.js';
import { treeCpuMs } from './process-tree.js';
import type { TransformWorker } from './transform-worker-pool.js';

/** How often a compile's CPU time is read while it runs. */
const CPU_WATCH_MS = 100;
/**
 * A compile that has used less CPU time than it may, but taken this many times as much wall time
 * (and at least the minimum), is stopped all the same: the machine is overloaded, or the worker stopped.
 */
const WALL_TIME_FACTOR = 10;
const MIN_WALL_TIME_MS = 60_000;

/** How one compile in a worker ended. */
export type CompileEnd =
  | { kind: 'replied'; reply: TransformReply }
  | { kind: 'exited'; reason: string }
  | { kind: 'over-cpu' }
  | { kind: 'over-wall'; seconds: number; cpuKnown: boolean };

let nextId = 0;

/**
 * Compiles one file in `worker`, stopping the worker when the compile has taken `cpuMs` of CPU time;
 * with how it ended, the CPU time it took (ms; wall time where /proc cannot be read).
 */
export async function compileInWorker(
  worker: TransformWorker,
  request: Omit<TransformRequest, 'id'>,
  cpuMs: number,
): Promise<{ ended: CompileEnd; usedMs: number; cpuKnown: boolean }> {
  const pid = worker.child.pid!;
  const cpuAtStart = treeCpuMs(pid);
  const started = performance.now();
  const id = nextId++;
  let usedMs = 0;
  /** Reads the compile's CPU time (its wall time where /proc cannot be read); a process gone meanwhile keeps the last reading. */
  const measure = (): void => {
    if (cpuAtStart === null) usedMs = performance.now() - started;
    else usedMs = Math.max(usedMs, (treeCpuMs(pid) ?? cpuAtStart + usedMs) - cpuAtStart);
  };
  const wallMs = cpuAtStart === null ? cpuMs : Math.max(MIN_WALL_TIME_MS, WALL_TIME_FACTOR * cpuMs);
  let watch: NodeJS.Timeout | undefined;
  const overLimit = new Promise<CompileEnd>((resolve) => {
    watch = setInterval(() => {
      measure();
      const cpuKnown = cpuAtStart !== null;
      if (cpuKnown && usedMs >= cpuMs) resolve({ kind: 'over-cpu' });
      else if (performance.now() - started >= wallMs) resolve({ kind: 'over-wall', seconds: wallMs / 1000, cpuKnown });
    }, CPU_WATCH_MS);
  });
  const replied = new Promise<CompileEnd>((resolve) => {
    const onMessage = (message: TransformReply): void => {
      if (message.id !== id) return;
      worker.child.off('message', onMessage);
      resolve({ kind: 'replied', reply: message });
    };
    worker.child.on('message', onMessage);
  });
  const exited = worker.exited.then((reason): CompileEnd => ({ kind: 'exited', reason }));
  worker.child.send({ ...request, id } satisfies TransformRequest);
  const ended = await Promise.race([replied, exited, overLimit]);
  clearInterval(watch);
  measure();
  return { ended, usedMs, cpuKnown: cpuAtStart !== null };
}
