/**
 * Students' answers rendered for the review page, in a worker thread (answer-render-worker.ts)
 * under a memory limit and a time limit per answer (ANSWER_RENDER_BOUNDS): KaTeX's own bounds keep
 * ordinary attacks cheap, but a few lines can still ask it for millions of tokens, and a JavaScript
 * heap that runs out cannot be caught. An answer that runs the worker out of memory or time, or
 * whose rendering fails, comes back as the reason, and the page shows its text instead; the
 * next answer gets a new worker. Nothing an answer does stops the others or the grader.
 *
 * The worker is compiled once with esbuild into graders/.build/answer-renderer/ (compiled again
 * when one of its sources changes), like the graders themselves.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cachedBuild } from '../../../bin/cached-build.js';
import { ANSWER_RENDER_BOUNDS } from './answer-bounds.js';

/** An answer's HTML, or why it is shown as text. */
export type RenderedAnswer = { html: string } | { problem: string };

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const WORKER_SOURCE = fileURLToPath(new URL('./answer-render-worker.ts', import.meta.url));
/** Loading the renderer (markdown-it, KaTeX) takes well under a second; this allows for a busy machine. */
const START_TIME_LIMIT_MS = 60_000;

type WorkerEvent = { kind: 'message'; value: unknown } | { kind: 'ended'; reason: string } | { kind: 'timeout' };

/** One worker thread and the events it sent, read one at a time. */
class RendererThread {
  private readonly worker: Worker;
  private readonly events: WorkerEvent[] = [];
  private waiting: ((event: WorkerEvent) => void) | null = null;

  constructor(entry: string) {
    const { memoryMiB } = ANSWER_RENDER_BOUNDS;
    this.worker = new Worker(pathToFileURL(entry), {
      resourceLimits: { maxOldGenerationSizeMb: memoryMiB, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      // What the renderer might print is not the grader's output (grade --json prints JSON only).
      stdout: true,
      stderr: true,
    });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.worker.on('message', (value: unknown) => this.push({ kind: 'message', value }));
    this.worker.on('error', (error: Error & { code?: string }) => {
      const reason = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needed more than ${memoryMiB} MiB of memory` : `the renderer failed: ${error.message}`;
      this.push({ kind: 'ended', reason });
    });
    this.worker.on('exit', (code) => this.push({ kind: 'ended', reason: `the renderer stopped (exit code ${code})` }));
  }

  private push(event: WorkerEvent): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) waiting(event);
    else this.events.push(event);
  }

  /** The next event, or a timeout after `ms`. */
  next(ms: number): Promise<WorkerEvent> {
    const queued = this.events.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        resolve({ kind: 'timeout' });
      }, ms);
      this.waiting = (event) => {
        clearTimeout(timer);
        resolve(event);
      };
    });
  }

  post(text: string): void {
    this.worker.postMessage({ text });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

/** A started renderer, or why it could not start. */
async function startRenderer(entry: string): Promise<RendererThread | string> {
  const thread = new RendererThread(entry);
  const event = await thread.next(START_TIME_LIMIT_MS);
  if (event.kind === 'message') return thread;
  await thread.stop();
  return event.kind === 'ended' ? event.reason : `the renderer did not start within ${START_TIME_LIMIT_MS / 1000} s`;
}

function replyOf(value: unknown): RenderedAnswer {
  // A RenderReply, checked all the same: it was made from a student's text.
  const reply = value as { html?: unknown; problem?: unknown } | null;
  if (typeof reply?.html === 'string' && reply.html.length <= ANSWER_RENDER_BOUNDS.outputChars) return { html: reply.html };
  if (typeof reply?.problem === 'string') return { problem: reply.problem };
  return { problem: 'the renderer gave no HTML' };
}

/** Renders each text (already cut to ANSWER_RENDER_BOUNDS.inputChars), in order; one answer's failure is its own. */
export async function renderAnswers(texts: readonly string[]): Promise<RenderedAnswer[]> {
  if (texts.length === 0) return [];
  let entry: string;
  try {
    entry = await cachedBuild({ root: ROOT, entry: WORKER_SOURCE, into: join(ROOT, 'graders', '.build', 'answer-renderer'), name: 'answer-render-worker' });
  } catch (error) {
    return texts.map(() => ({ problem: `the renderer could not be built: ${(error as Error).message}` }));
  }
  const answers: RenderedAnswer[] = [];
  let thread: RendererThread | null = null;
  try {
    for (const text of texts) {
      if (thread === null) {
        const started = await startRenderer(entry);
        if (typeof started === 'string') {
          // A renderer that cannot start will not start for the next answer either.
          while (answers.length < texts.length) answers.push({ problem: started });
          break;
        }
        thread = started;
      }
      thread.post(text);
      const event = await thread.next(ANSWER_RENDER_BOUNDS.timeMs);
      if (event.kind === 'message') {
        answers.push(replyOf(event.value));
        continue;
      }
      answers.push({ problem: event.kind === 'timeout' ? `it took longer than ${ANSWER_RENDER_BOUNDS.timeMs / 1000} s to render` : event.reason });
      await thread.stop();
      thread = null;
    }
  } finally {
    await thread?.stop();
  }
  return answers;
}
