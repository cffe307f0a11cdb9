/**
 * Notes on slow submissions: once a submission has been graded for a while (10 s by default), a
 * line names the part it is waiting on, "alice: still running P2 after 10 s", so that a
 * submission stuck in a loop does not look like a stuck grader. A submission gets one note per part
 * it is slow on: checked again every interval, it is named again only when it has moved on to
 * another part and is still running.
 */
import { printable } from './printable.js';

/** After how long a submission still running is named, unless GRADE_STILL_RUNNING_SECONDS says otherwise. */
export const STILL_RUNNING_SECONDS = 10;

const COMPILING = 'compiling';
const STOPPING = 'stopping its process';

interface Running {
  id: string;
  started: number;
  /** What it is doing: compiling (before its first part), a part's id, or stopping (every part judged). */
  stage: string;
  /** The stage the last note named, undefined before any note. */
  noted?: string;
  timer: NodeJS.Timeout;
}

/** Seconds as the note says them: whole seconds from 10 s on, tenths below (a short interval is a test's). */
function seconds(ms: number): string {
  return ms >= 9_950 ? String(Math.round(ms / 1000)) : String(Math.round(ms / 100) / 10);
}

export class StillRunningNotes {
  private readonly running = new Map<number, Running>();

  constructor(
    private readonly intervalMs: number,
    /** Prints a note (an escaped line). */
    private readonly note: (line: string) => void,
  ) {}

  /** Submission `index` (in the list of folders) started; `id` is its folder's name. */
  started(index: number, id: string): void {
    this.finished(index);
    const timer = setInterval(() => this.check(index), this.intervalMs);
    // Never keeps the process alive: a note is no reason to wait.
    timer.unref();
    this.running.set(index, { id, started: performance.now(), stage: COMPILING, timer });
  }

  /** Submission `index` started grading `part`; null: it judged every part and stops its child. */
  partStarted(index: number, part: string | null): void {
    const running = this.running.get(index);
    if (running) running.stage = part === null ? STOPPING : `running ${part}`;
  }

  finished(index: number): void {
    const running = this.running.get(index);
    if (running) clearInterval(running.timer);
    this.running.delete(index);
  }

  /** Stops every timer (the run is over, or interrupted). */
  stop(): void {
    for (const index of [...this.running.keys()]) this.finished(index);
  }

  private check(index: number): void {
    const running = this.running.get(index);
    if (!running || running.noted === running.stage) return;
    running.noted = running.stage;
    this.note(printable(`${running.id}: still ${running.stage} after ${seconds(performance.now() - running.started)} s`));
  }
}

/** The interval from the environment's GRADE_STILL_RUNNING_SECONDS (a number of seconds above 0), or null when it is not one. */
export function stillRunningInterval(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return STILL_RUNNING_SECONDS * 1000;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value * 1000 : null;
}
