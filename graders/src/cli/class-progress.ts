/**
 * The terminal while a class is graded: a line per submission graded, notes on submissions that
 * take long (still-running.ts), and on a terminal the progress bar below them (progress-display.ts).
 */
import type { ClassProgress } from '../trusted/grade-class.js';
import { ProgressDisplay, type TextSink } from './progress-display.js';
import { StillRunningNotes } from './still-running.js';
import { submissionLine } from './submission-line.js';

export interface ClassTerminal {
  progress: ClassProgress;
  /** Stops the notes and removes the bar. */
  end(): void;
}

export function classProgress(
  total: number,
  stillRunningMs: number,
  terminalCodes: boolean,
  sink: TextSink = process.stderr,
): ClassTerminal {
  const display = new ProgressDisplay(sink, total, terminalCodes);
  const notes = new StillRunningNotes(stillRunningMs, (line) => display.line(line));
  display.start();
  return {
    progress: {
      started: (index, id) => notes.started(index, id),
      partStarted: (index, part) => notes.partStarted(index, part),
      graded: (index, result, done, all) => {
        notes.finished(index);
        display.graded(submissionLine(result, done, all), done);
      },
    },
    end: () => {
      notes.stop();
      display.end();
    },
  };
}
