/**
 * The worker thread that renders students' answers (render-answer.ts) for the review page, one at a
 * time, so that an answer that costs too much time or memory stops this thread, never the grader
 * (rendered-answers.ts sets the limits and starts a new worker for the next answer).
 *
 * It says `{ ready: true }` once loaded, then answers each `{ text }` with `{ html }`, or with
 * `{ problem }` when the rendering threw or its HTML is larger than the bound.
 */
import { parentPort } from 'node:worker_threads';
import { ANSWER_RENDER_BOUNDS } from './answer-bounds.js';
import { renderAnswer } from './render-answer.js';

/** What the grader asks: one answer's text, already cut to ANSWER_RENDER_BOUNDS.inputChars. */
export interface RenderRequest {
  text: string;
}

export type RenderReply = { html: string } | { problem: string };

function rendered(text: string): RenderReply {
  try {
    const html = renderAnswer(text);
    if (html.length > ANSWER_RENDER_BOUNDS.outputChars) {
      const mib = (html.length / 1024 / 1024).toFixed(1);
      return { problem: `its HTML would be ${mib} MiB, more than the ${ANSWER_RENDER_BOUNDS.outputChars / 1024 / 1024} MiB an answer may take` };
    }
    return { html };
  } catch (error) {
    return { problem: `the renderer failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`.slice(0, 300) };
  }
}

const port = parentPort;
if (port) {
  port.on('message', (request: RenderRequest) => port.postMessage(rendered(typeof request?.text === 'string' ? request.text : '')));
  port.postMessage({ ready: true });
}
