/**
 * The process in which esbuild compiles the student's files (started by transform-worker-pool.ts).
 * esbuild's `transform` reads no file: it gets the source as text and returns code, a source map
 * or errors. This process has no other job, so the grader can kill it, and esbuild's service with
 * it (its child, in the same process group), whenever a compile takes too much CPU time or esbuild dies.
 */
import { transform, type Message } from 'esbuild';
import { compileMessages, type TransformReply, type TransformRequest } from './compile-messages.js';

function reply(message: TransformReply | { kind: 'ready' }, then?: () => void): void {
  process.send!(message, undefined, {}, () => then?.());
}

function stopEverything(): void {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(1);
  }
}

process.on('message', (request: TransformRequest) => {
  transform(request.source, request.options).then(
    (result) => reply({ id: request.id, kind: 'compiled', code: result.code, map: result.map }),
    (error: unknown) => {
      const errors = (error as { errors?: Message[] }).errors ?? [];
      if (errors.length > 0) reply({ id: request.id, kind: 'errors', errors: compileMessages(errors) });
      // No errors of the source: esbuild's service itself failed (it died, or ran out of memory).
      else reply({ id: request.id, kind: 'failed', reason: error instanceof Error ? error.message : String(error) }, stopEverything);
    },
  );
});
// The grader gone (its channel closed): esbuild goes too, even in the middle of a compile.
process.on('disconnect', stopEverything);
// esbuild's service starts before the first file, so that its start is not counted in that file's CPU time.
transform('').then(
  () => reply({ kind: 'ready' }),
  (error: unknown) => {
    process.stderr.write(`esbuild's service did not start: ${String(error)}\n`);
    stopEverything();
  },
);
