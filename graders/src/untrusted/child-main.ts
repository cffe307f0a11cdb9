/**
 * The entry point of the untrusted child process. It only computes: for each run of a RunMessage,
 * in order, it loads the named part bundle (which sits beside this file in the scratch directory),
 * passes every request to the bundle's `handle`, and writes the plain answers back, tagged with
 * the run's nonce, on its answer channel (parent-channel.ts: run messages come in on stdin, answers
 * go out on a plain pipe; no Node IPC channel, so `process.send` does not exist here). It decides
 * nothing: the parent checks every line and every number.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { OracleHandler, OracleResponse, Run, RunMessage } from '../shared/protocol.js';
import { onParentMessage, sendToParent } from './parent-channel.js';
import { errorToWire } from './wire.js';

const scratch = dirname(fileURLToPath(import.meta.url));

/**
 * What this child may print, stdout and stderr together: the parent keeps no more (it caps the
 * output again on its side). Dropping the rest here matters: a pipe write that cannot finish is
 * queued in memory, so a flood queues gigabytes, and the write that finally fails (ENOBUFS) ends
 * the child during whatever run comes next, not the one that printed.
 */
let outputLeft = Number(process.argv[3] ?? 65_536);

/** Caps process[name]'s writes, on first use (an unused stream is never created). */
function capOutput(name: 'stdout' | 'stderr'): void {
  const original = Object.getOwnPropertyDescriptor(process, name);
  if (!original?.get) return;
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: original.enumerable,
    get() {
      const stream = original.get!.call(process) as NodeJS.WriteStream;
      const write = stream.write.bind(stream) as (chunk: Uint8Array, callback?: (error?: Error | null) => void) => boolean;
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        if (outputLeft <= 0) {
          if (callback) process.nextTick(callback);
          return true;
        }
        const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk);
        const kept = bytes.subarray(0, outputLeft);
        outputLeft -= kept.length;
        return write(kept, callback);
      }) as typeof stream.write;
      Object.defineProperty(process, name, { configurable: true, enumerable: original.enumerable, value: stream });
      return stream;
    },
  });
}
capOutput('stdout');
capOutput('stderr');

async function run(message: Run): Promise<void> {
  let handle: OracleHandler;
  try {
    const bundle = (await import(pathToFileURL(join(scratch, message.bundle)).href)) as { handle: OracleHandler };
    handle = bundle.handle;
  } catch (error) {
    const failed: OracleResponse = { error: errorToWire(error) };
    sendToParent({ type: 'answer', nonce: message.nonce, bundle: message.bundle, responses: message.requests.map(() => failed) });
    return;
  }
  const responses: OracleResponse[] = [];
  for (const request of message.requests) {
    try {
      responses.push({ result: await handle(request) });
    } catch (error) {
      responses.push({ error: errorToWire(error) });
    }
  }
  sendToParent({ type: 'answer', nonce: message.nonce, bundle: message.bundle, responses });
}

let queue = Promise.resolve();
onParentMessage((received) => {
  const message = received as RunMessage | null;
  if (message?.type !== 'run' || !Array.isArray(message.runs)) return;
  for (const one of message.runs) queue = queue.then(() => run(one));
});
sendToParent({ type: 'ready', nonce: process.argv[2] ?? '' });
