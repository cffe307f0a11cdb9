/**
 * What the kernel says about a process and all its descendants (the child, its isolation
 * wrappers and anything it started), read from /proc: resident memory for the memory watchdog,
 * CPU time for the timings. The numbers come from the kernel, never from the child.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The unit of the kernel's CPU times in /proc (USER_HZ is 100 on Linux), in ms. */
export const CLOCK_TICK_MS = 10;

/** CPU time (ms) of one process so far; throws when it is gone or there is no /proc. */
export function processCpuMs(pid: number): number {
  // utime and stime are fields 14 and 15; the name (field 2) may hold spaces, so count after it.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
}

/** Resident memory (KiB) of one process; throws when it is gone or there is no /proc. */
function residentKiB(pid: number): number {
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return rss ? Number(rss[1]) : 0;
}

/** `read` summed over the tree of `pid`; processes already gone count 0; null when `pid` itself cannot be read. */
function sumOverTree(pid: number, read: (pid: number) => number): number | null {
  let total = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop()!;
    try {
      total += read(next);
    } catch {
      if (next === pid) return null;
      continue;
    }
    try {
      for (const task of readdirSync(`/proc/${next}/task`)) {
        const children = readFileSync(`/proc/${next}/task/${task}/children`, 'utf8').trim();
        if (children) pending.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

/** Resident memory (KiB) of a process and all its descendants; 0 where unreadable. */
export function treeResidentKiB(pid: number): number {
  return sumOverTree(pid, residentKiB) ?? 0;
}

/** CPU time (ms) of a process and all its descendants; null where unreadable. */
export function treeCpuMs(pid: number): number | null {
  return sumOverTree(pid, processCpuMs);
}
