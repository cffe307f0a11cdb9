/**
 * The isolated child process that runs a submission's code. The parent starts it in a scratch
 * directory holding the child's entry and the part bundles, under Node's permission model (it may
 * read that directory only: no other files, no child processes, no workers, no addons), with a
 * cleared environment, inside whatever the operating system adds on this machine (os-isolation.ts:
 * namespaces, an unprivileged user, kernel limits, memory included): sandbox-layers.ts. Here it is
 * watched: a memory watchdog and a wall-clock limit per run kill the whole process group, and the
 * child's end is told in words (child-exit.ts).
 *
 * Run messages go to the child's stdin and answers come back on a plain pipe, one line of JSON
 * each, split and parsed here (answer-channel.ts): no Node IPC channel, so no handle can cross and
 * nothing the child writes is parsed outside the parent's own checks. Answers are validated against
 * the run's nonce and bounded as they are read (answer.ts, WIRE_BOUNDS); anything else on that
 * channel (a line that is not JSON, one too long, a forged message) stops the child. Several runs
 * can be sent at once: the child does them in order, and each run's time limit starts when the run
 * before it is answered, as if each had been sent alone. stdout and stderr are only collected
 * (capped) for the report, never interpreted.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ANSWER_FD, type OracleRequest, type OracleResponse, type Run, type RunMessage } from '../shared/protocol.js';
import { readAnswer } from './answer.js';
import { AnswerLines } from './answer-channel.js';
import { exitOutcome, isOutOfMemory, memoryDescription, timeoutDescription } from './child-exit.js';
import { treeCpuMs, treeResidentKiB } from './process-tree.js';
import { startChild, type SandboxChild, type SandboxLimits } from './sandbox-layers.js';

export type RunOutcome =
  | { kind: 'answer'; responses: OracleResponse[] }
  | { kind: 'timeout'; reason: string }
  | { kind: 'crashed'; reason: string }
  | { kind: 'no-answer'; reason: string };

/** A queued run that never ran: a run before it crashed, timed out or misbehaved, and the child was stopped. */
export type QueuedOutcome = RunOutcome | { kind: 'cancelled' };

interface Waiting {
  /** The outcome a message from the child gives, or null when the message is not for this wait. */
  check: (message: unknown) => RunOutcome | null;
  resolve: (outcome: QueuedOutcome) => void;
}

export class Sandbox {
  private output = '';
  private exited = false;
  private killed = false;
  private memoryExceeded = false;
  /** A run's time limit ran out and the child was killed; its exit, once it comes, settles that run. */
  private timedOut = false;
  private exitDescription = '';
  /** CPU time the child took to start and be ready (see treeCpuMs), for the timings. */
  startCpuMs: number | null = null;
  /** CPU time of the child's whole life, known once it is stopped, for the timings. */
  totalCpuMs: number | null = null;
  /** What the parent waits for, in the order the child answers; the first one's time runs. */
  private readonly waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly child: SandboxChild,
    private readonly limits: SandboxLimits,
  ) {}

  /** Starts the child in `scratch` (which must hold child.mjs) and waits until it is ready. */
  static async start(scratch: string, limits: SandboxLimits): Promise<Sandbox> {
    const nonce = randomBytes(16).toString('hex');
    const sandbox = new Sandbox(startChild(scratch, limits, nonce), limits);
    running.add(sandbox);
    sandbox.collect();
    const ready = await sandbox.enqueue((message) => {
      const m = message as { type?: unknown; nonce?: unknown };
      return m?.type === 'ready' && m.nonce === nonce ? { kind: 'answer', responses: [] } : null;
    });
    sandbox.startCpuMs = sandbox.child.pid === undefined ? null : treeCpuMs(sandbox.child.pid);
    if (ready.kind !== 'answer') {
      sandbox.kill();
      throw new Error(`the isolated child did not start: ${ready.kind === 'cancelled' ? 'it was stopped' : ready.reason}`);
    }
    return sandbox;
  }

  private collect(): void {
    const cap = this.limits.outputKiB * 1024;
    const append = (chunk: Buffer): void => {
      // Beyond the cap the output is read and dropped. Not killing the child is deliberate: the
      // bytes of a flood arrive after the answer of the part that printed them, so a kill would
      // land on a later, innocent part. A flood only slows its own part, within its time limit.
      if (this.output.length < cap) this.output += chunk.toString('utf8').slice(0, cap - this.output.length);
    };
    this.child.stdout?.on('data', append);
    this.child.stderr?.on('data', append);
    const lines = new AnswerLines();
    const answers: Readable = this.child.stdio[ANSWER_FD];
    answers.on('data', (chunk: Buffer) => {
      for (const event of lines.push(chunk)) {
        if (event.kind === 'fault') this.refuse(event.reason);
        else this.receive(event.message);
      }
    });
    // A pipe whose other end is gone: the child's exit settles what is waiting.
    for (const stream of [answers, this.child.stdin]) stream?.on('error', () => undefined);
    // The heap limit misses Buffers and typed arrays: watch the whole tree's resident memory.
    const watchdog = setInterval(() => {
      if (this.child.pid !== undefined && treeResidentKiB(this.child.pid) > this.limits.memoryMiB * 1024) {
        this.memoryExceeded = true;
        this.kill();
      }
    }, 50);
    watchdog.unref();
    this.child.on('exit', (code, exitSignal) => {
      clearInterval(watchdog);
      running.delete(this);
      this.exited = true;
      const exit = { code, signal: exitSignal, memoryExceeded: this.memoryExceeded, timedOut: this.timedOut, output: this.output };
      const outcome = exitOutcome(exit, this.limits);
      this.exitDescription = outcome.reason;
      this.settle(outcome);
    });
    this.child.catch(() => undefined);
  }

  /** A message from the child, for the first wait (a message nothing waits for is dropped). */
  private receive(message: unknown): void {
    const head = this.waiting[0];
    if (!head) return;
    const outcome = head.check(message);
    if (outcome) this.settle(outcome);
  }

  /** Something on the answer channel that no honest child writes: the child is stopped, its run is not answered. */
  private refuse(what: string): void {
    this.kill();
    const reason = `the child wrote ${what} on its answer channel, not the answer asked for; it was stopped`;
    if (this.waiting.length > 0) this.settle({ kind: 'no-answer', reason });
  }

  /**
   * Ends the first wait with `outcome`. Once the child is stopped, the waits behind it are
   * cancelled (their runs never ran); otherwise the next one's time starts.
   */
  private settle(outcome: RunOutcome): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.shift()?.resolve(outcome);
    if (!this.alive) {
      for (const rest of this.waiting.splice(0)) rest.resolve({ kind: 'cancelled' });
      return;
    }
    if (this.waiting.length > 0) this.startClock();
  }

  /**
   * The time limit of the first wait, from now. When it runs out the child is killed, and its exit
   * settles the run: as "too much memory" if the child had gone over its memory limit before (the
   * kernel's refusal or the watchdog came first, however late the parent hears of it), as a time-out
   * otherwise. Should the exit not come, the run is settled as a time-out a little later anyway.
   */
  private startClock(): void {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.kill();
      const unanswered = this.waiting[0];
      setTimeout(() => {
        if (this.waiting[0] === unanswered && !this.exited) this.settle({ kind: 'timeout', reason: timeoutDescription(this.limits) });
      }, EXIT_GRACE_MS).unref();
    }, this.limits.timeoutSeconds * 1000);
  }

  /** Waits, after everything already waited for, for the message `check` accepts. */
  private enqueue(check: Waiting['check']): Promise<QueuedOutcome> {
    if (this.exited) return Promise.resolve({ kind: 'crashed', reason: this.exitDescription });
    if (this.killed) return Promise.resolve({ kind: 'cancelled' });
    return new Promise<QueuedOutcome>((resolve) => {
      this.waiting.push({ check, resolve });
      if (this.waiting.length === 1) this.startClock();
    });
  }

  get alive(): boolean {
    return !this.exited && !this.killed;
  }

  /**
   * Sends `runs` (each: requests for the bundle `bundle`, a file name in the scratch directory) in
   * one message, behind any runs still pending; returns each run's outcome, in order.
   */
  runAll(runs: { bundle: string; requests: OracleRequest[] }[]): Promise<QueuedOutcome>[] {
    const sent: Run[] = [];
    const outcomes = runs.map(({ bundle, requests }) => {
      const nonce = randomBytes(16).toString('hex');
      sent.push({ nonce, bundle, requests });
      return this.enqueue((message) => {
        const responses = readAnswer(message, nonce, bundle, requests.length);
        // The kernel's memory limit turns an oversized Buffer or array into an exception: the child
        // is out of memory, and whatever it holds may break the next part; start afresh.
        if (responses?.some(isOutOfMemory)) {
          this.kill();
          return { kind: 'crashed', reason: memoryDescription(this.limits) };
        }
        if (responses) return { kind: 'answer', responses };
        // A forged, incomplete or stale message: the child is no longer in step with the parent.
        this.kill();
        const reason = 'the child sent a message that is not the answer asked for (forged, incomplete or malformed); it was stopped';
        return { kind: 'no-answer', reason };
      });
    });
    if (this.alive && sent.length > 0) {
      const message: RunMessage = { type: 'run', runs: sent };
      try {
        this.child.stdin?.write(`${JSON.stringify(message)}\n`);
      } catch {
        // The exit handler settles the outcomes.
      }
    }
    return outcomes;
  }

  /** Kills the child's whole process group. */
  kill(): void {
    this.killed = true;
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /** CPU time of the child's whole tree so far, while it runs (see treeCpuMs); null once it is gone. */
  cpuMsSoFar(): number | null {
    return this.alive && this.child.pid !== undefined ? treeCpuMs(this.child.pid) : null;
  }

  /** Stops the child and returns what it printed (capped). */
  async stop(): Promise<string> {
    if (this.alive && this.child.pid !== undefined) this.totalCpuMs = treeCpuMs(this.child.pid);
    this.kill();
    await this.child.catch(() => undefined);
    return this.output;
  }

  get capturedOutput(): string {
    return this.output;
  }
}

const running = new Set<Sandbox>();

/** How long a child killed at its time limit has to exit before its run is settled without the exit. */
const EXIT_GRACE_MS = 10_000;

/** Kills every child still running (on an interrupt of the grader). */
export function killAllSandboxes(): void {
  for (const sandbox of running) sandbox.kill();
}
