/**
 * The entry point of the untrusted child process. It only computes: for each run of a RunMessage,
 * in order, it loads the named part bundle (which sits beside this file in the scratch directory),
 * passes every request to the bundle's `handle`, and sends the plain answers back over the IPC
 * channel, tagged with the run's nonce. It decides nothing: the parent checks every number.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { OracleHandler, OracleResponse, Run, RunMessage } from '../shared/protocol.js';
import { errorToWire } from './wire.js';

const scratch = dirname(fileURLToPath(import.meta.url));
const send = process.send?.bind(process);

async function run(message: Run): Promise<void> {
  let handle: OracleHandler;
  try {
    const bundle = (await import(pathToFileURL(join(scratch, message.bundle)).href)) as { handle: OracleHandler };
    handle = bundle.handle;
  } catch (error) {
    const failed: OracleResponse = { error: errorToWire(error) };
    send?.({ type: 'answer', nonce: message.nonce, bundle: message.bundle, responses: message.requests.map(() => failed) });
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
  send?.({ type: 'answer', nonce: message.nonce, bundle: message.bundle, responses });
}

let queue = Promise.resolve();
process.on('message', (message: RunMessage) => {
  if (message?.type !== 'run' || !Array.isArray(message.runs)) return;
  for (const one of message.runs) queue = queue.then(() => run(one));
});
send?.({ type: 'ready', nonce: process.argv[2] ?? '' });
