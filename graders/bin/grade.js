#!/usr/bin/env node
// The `grade` command. The graders are TypeScript. They are compiled once with esbuild into
// graders/.build/ (a fraction of a second, done again whenever a file they are built from
// changes), which starts about twice as fast as compiling them on every run through tsx's
// loader: that matters for a regrade, which is mostly start-up. Where the build cannot be made
// (no esbuild, a read-only folder), tsx's loader runs the sources as they are.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cachedBuild } from './cached-build.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function loadMain() {
  let entry;
  try {
    entry = await cachedBuild({ root: ROOT, entry: 'graders/src/cli/main.ts', into: join(ROOT, 'graders', '.build'), name: 'main' });
  } catch {
    const { register } = await import('tsx/esm/api');
    register();
    return (await import('../src/cli/main.ts')).main;
  }
  return (await import(pathToFileURL(entry).href)).main;
}

/**
 * Text as the terminal gets it: control characters and line separators as `\uXXXX` escapes, so
 * that a harness failure quoting foreign text (a file name, something a submission made) can
 * neither move the cursor, clear the screen or set the clipboard, nor start a line of its own.
 * The same as graders/src/cli/printable.ts, which this file cannot import before the build.
 */
function printable(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** What a harness failure says: the error's name and message on one line, then V8's stack frames, one per line. */
function describeFailure(error) {
  try {
    if (!(error instanceof Error)) return printable(String(error));
    const header = error.message ? `${error.name}: ${error.message}` : String(error.name);
    const stack = typeof error.stack === 'string' && error.stack.startsWith(header) ? error.stack.slice(header.length) : '';
    const frames = stack.split('\n').slice(1);
    return [printable(header), ...frames.map(printable)].join('\n');
  } catch {
    return 'a value that cannot be shown';
  }
}

/** Resolves once everything written to `stream` so far is handed to the system (or the stream is gone). */
function flushed(stream) {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * Exit codes as documented whatever happens (0 completed, 2 a usage error, 1 the harness failed):
 * an error that nothing caught is a harness failure, and so is a run that ends before `main`
 * returns (a promise that never settles would otherwise exit with 13, or 0). A fatal error of
 * V8 itself (out of memory) cannot be caught: what could cause one is bounded where it enters.
 * Once `main` has returned and the output is flushed, the process ends: nothing left behind (a
 * timer, a socket, a child's pipe) can keep the grader running. The scratch folders are removed
 * on the way out, whichever way it goes (scratch.ts).
 */
let finished = false;
process.exitCode = 1;
function harnessFailed(error) {
  finished = true;
  process.stderr.write(`grade: the harness failed: ${describeFailure(error)}\n`);
  process.exit(1);
}
process.on('uncaughtException', harnessFailed);
process.on('unhandledRejection', harnessFailed);
process.on('exit', (code) => {
  if (!finished && code === 1) process.stderr.write('grade: the harness failed: it stopped before it finished\n');
});
try {
  const main = await loadMain();
  const code = await main(process.argv.slice(2));
  finished = true;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  // One more turn of the event loop: an exception already scheduled still makes it a harness failure.
  await new Promise((resolve) => setImmediate(resolve));
  process.exit(code);
} catch (error) {
  harnessFailed(error);
}
