/**
 * The parent's end of the answer channel: the child writes its messages to a plain pipe (its
 * ANSWER_FD, protocol.ts) as lines of JSON, and the parent splits and parses them itself, here.
 *
 * Not Node's IPC channel: that one parses each message inside Node's own read callback, where a
 * line that is not JSON becomes an uncaught exception of the grader (no reports for anyone), its
 * buffer grows without bound until a newline comes, and it carries handles (a server sent along
 * would keep the grader's event loop alive for ever). A plain pipe carries bytes only; every fault
 * here is the child's, reported to the sandbox, which stops that child and no other.
 */

/**
 * The longest line the parent reads, in bytes; a longer one stops the child. The largest honest
 * answer measured on the demo class over six seeds is 51 KiB (a graph of a loss); this is over
 * 300 times that, and small enough that the parent holds little for each child while it waits for
 * a newline. Within it, every field is bounded again as the answer is read (WIRE_BOUNDS).
 */
export const MESSAGE_BYTES = 16 * 1024 * 1024;

export type ChannelEvent = { kind: 'message'; message: unknown } | { kind: 'fault'; reason: string };

const NEWLINE = 0x0a;

/** Splits the channel's bytes into JSON messages; after the first fault it reads nothing more. */
export class AnswerLines {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private broken = false;

  constructor(private readonly maxBytes = MESSAGE_BYTES) {}

  /** The messages and the fault, if any, that `chunk` completes, in order. */
  push(chunk: Buffer): ChannelEvent[] {
    const events: ChannelEvent[] = [];
    let start = 0;
    while (!this.broken) {
      const newline = chunk.indexOf(NEWLINE, start);
      const piece = chunk.subarray(start, newline === -1 ? chunk.length : newline);
      if (this.pendingBytes + piece.length > this.maxBytes) {
        events.push(this.fail(`a message longer than ${this.maxBytes / (1024 * 1024)} MiB`));
        break;
      }
      if (newline === -1) {
        if (piece.length > 0) this.pending.push(piece);
        this.pendingBytes += piece.length;
        break;
      }
      const line = this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingBytes = 0;
      start = newline + 1;
      events.push(this.parse(line));
    }
    return events;
  }

  private parse(line: Buffer): ChannelEvent {
    try {
      return { kind: 'message', message: JSON.parse(line.toString('utf8')) as unknown };
    } catch {
      return this.fail('a line that is not JSON');
    }
  }

  private fail(what: string): ChannelEvent {
    this.broken = true;
    this.pending = [];
    this.pendingBytes = 0;
    return { kind: 'fault', reason: what };
  }
}
