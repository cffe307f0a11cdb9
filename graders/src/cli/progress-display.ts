/**
 * The run's progress on stderr. Each line (a submission graded, a note) stays; on a terminal, a
 * progress bar is drawn below the last line and redrawn in place, so it never overwrites one.
 * Without terminal codes (not a terminal, or NO_COLOR) there is no bar and no control code at all:
 * only the lines, which carry their own `[done/total]`.
 */

/** Where the display writes: process.stderr, or a test's stand-in. */
export interface TextSink {
  write(text: string): unknown;
}

const BAR_WIDTH = 24;
/** Back to the start of the line, and clear it. */
const CLEAR_LINE = '\r\x1b[K';

export class ProgressDisplay {
  private done = 0;
  private barShown = false;

  constructor(
    private readonly sink: TextSink,
    private readonly total: number,
    /** Whether the sink is a terminal that takes control codes. */
    private readonly terminalCodes: boolean,
  ) {}

  private bar(): string {
    const filled = this.total === 0 ? BAR_WIDTH : Math.round((this.done / this.total) * BAR_WIDTH);
    return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${this.done}/${this.total}`;
  }

  /** Draws the bar (a terminal only), before the first line comes. */
  start(): void {
    if (!this.terminalCodes) return;
    this.sink.write(this.bar());
    this.barShown = true;
  }

  /** A line that stays (already escaped); on a terminal, it takes the bar's place and the bar is drawn again below it. */
  line(text: string): void {
    if (!this.terminalCodes) {
      this.sink.write(`${text}\n`);
      return;
    }
    this.sink.write(`${this.barShown ? CLEAR_LINE : ''}${text}\n${this.bar()}`);
    this.barShown = true;
  }

  /** One more submission graded, with its line. */
  graded(text: string, done: number): void {
    this.done = done;
    this.line(text);
  }

  /** Removes the bar, so that what is printed next starts on a clean line. */
  end(): void {
    if (this.barShown) this.sink.write(CLEAR_LINE);
    this.barShown = false;
  }
}
