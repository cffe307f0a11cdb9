/**
 * The child's end of its two pipes to the parent: run messages arrive on stdin, one line of JSON
 * each; messages go back as lines of JSON on ANSWER_FD, written synchronously, whole, in order.
 *
 * Student code runs in this process and may write on these descriptors, read them, or patch the
 * globals used here; nothing here is a guard. The functions this file calls are taken before any
 * student code loads, so that patched globals (JSON, Buffer) do not change what an honest child
 * sends, and the parent checks every line it reads anyway (answer-channel.ts, answer.ts).
 */
import { writeSync } from 'node:fs';
import { ANSWER_FD } from '../shared/protocol.js';

const stringify = JSON.stringify;
const parse = JSON.parse;
const bufferFrom = Buffer.from.bind(Buffer) as (text: string, encoding: BufferEncoding) => Buffer;
const concat = Buffer.concat.bind(Buffer);
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Whether a failed write may succeed when tried again (the descriptor was made non-blocking). */
function mustRetry(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR';
}

/**
 * Writes `message` as one line of JSON on the answer channel, returning once every byte is
 * written. A channel that is gone (the parent stopped reading) ends the writing: the parent
 * settles the run without it.
 */
export function sendToParent(message: unknown): void {
  const line = bufferFrom(`${stringify(message)}\n`, 'utf8');
  let written = 0;
  while (written < line.length) {
    try {
      written += writeSync(ANSWER_FD, line, written, line.length - written);
    } catch (error) {
      if (!mustRetry(error)) return;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/** Calls `receive` with each line of JSON the parent writes on stdin, in order. */
export function onParentMessage(receive: (message: unknown) => void): void {
  const input = process.stdin;
  let pending: Buffer[] = [];
  input.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      const line = concat([...pending, chunk.subarray(start, newline)]);
      pending = [];
      start = newline + 1;
      receive(parse(line.toString('utf8')));
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  });
}
