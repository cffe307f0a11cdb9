#!/usr/bin/env node
// The `grade` command. The graders are TypeScript. They are compiled once with esbuild into
// graders/.build/ (a fraction of a second, done again whenever a file they are built from
// changes), which starts about twice as fast as compiling them on every run through tsx's
// loader: that matters for a regrade, which is mostly start-up. Where the build cannot be made
// (no esbuild, a read-only folder), tsx's loader runs the sources as they are.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILD = join(ROOT, 'graders', '.build');
const MANIFEST = join(BUILD, 'manifest.json');
const ENTRY = 'graders/src/cli/main.ts';

const hashOf = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The built entry, if the build is there and every file it was built from is unchanged. */
function currentBuild() {
  try {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    for (const [file, hash] of Object.entries(manifest.inputs)) if (hashOf(join(ROOT, file)) !== hash) return null;
    return join(BUILD, manifest.dir, 'main.js');
  } catch {
    return null;
  }
}

/**
 * Each module keeps its own `import.meta.url` (the graders find their templates, the given files
 * and the child's sources next to themselves): it becomes the original file's URL.
 */
const keepImportMetaUrl = {
  name: 'keep-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

async function build() {
  const esbuild = await import('esbuild');
  const dir = `cli-${process.pid}-${Date.now()}`;
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { main: ENTRY },
    outdir: join(BUILD, dir),
    bundle: true,
    // Lazily imported modules stay separate chunks, loaded only when needed (a cached regrade
    // never loads the checks, esbuild or the sandbox).
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
    plugins: [keepImportMetaUrl],
  });
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [file, hashOf(join(ROOT, file))]));
  // Written whole, then renamed: a grade started meanwhile sees the old manifest or the new one.
  const temporary = `${MANIFEST}.${process.pid}`;
  writeFileSync(temporary, JSON.stringify({ dir, inputs }));
  renameSync(temporary, MANIFEST);
  // Builds a day old go; a younger one may still be loading its chunks in another grade.
  for (const old of readdirSync(BUILD)) {
    const path = join(BUILD, old);
    if (old !== dir && old.startsWith('cli-') && Date.now() - statSync(path).mtimeMs > 86_400_000) rmSync(path, { recursive: true, force: true });
  }
  return join(BUILD, dir, 'main.js');
}

async function loadMain() {
  let entry = currentBuild();
  if (entry === null) {
    try {
      mkdirSync(BUILD, { recursive: true });
      entry = await build();
    } catch {
      const { register } = await import('tsx/esm/api');
      register();
      return (await import('../src/cli/main.ts')).main;
    }
  }
  return (await import(pathToFileURL(entry).href)).main;
}

/**
 * Exit codes as documented whatever happens (0 completed, 2 a usage error, 1 the harness failed):
 * an error that nothing caught is a harness failure, and so is a run that ends before `main`
 * returns (a promise that never settles would otherwise exit with 13, or 0). A fatal error of
 * V8 itself (out of memory) cannot be caught: what could cause one is bounded where it enters.
 */
let finished = false;
process.exitCode = 1;
function harnessFailed(error) {
  finished = true;
  process.stderr.write(`grade: the harness failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
process.on('uncaughtException', harnessFailed);
process.on('unhandledRejection', harnessFailed);
process.on('exit', (code) => {
  if (!finished && code === 1) process.stderr.write('grade: the harness failed: it stopped before it finished\n');
});
try {
  const main = await loadMain();
  process.exitCode = await main(process.argv.slice(2));
  finished = true;
} catch (error) {
  harnessFailed(error);
}
