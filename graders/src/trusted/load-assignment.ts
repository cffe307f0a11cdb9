/**
 * Loads an assignment's registry at start-up: the `assignment` exported by FOLDER/index.ts. Like
 * the graders themselves (graders/bin/grade.js), it is compiled once with esbuild into
 * graders/.build/assignments/ and compiled again only when a file it is built from changes; each
 * module keeps its own `import.meta.url`, so an assignment finds its files next to its sources.
 * Where no build can be made, the sources are imported as they are (under tsx).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AssignmentDefinition } from './assignment.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BUILDS = join(ROOT, 'graders', '.build', 'assignments');

export class AssignmentError extends Error {
  override name = 'AssignmentError';
}

/**
 * The text replaced in every module of the build. Written in two pieces: the grader's own build
 * (graders/bin/grade.js) makes the same replacement in this file, which must keep the words.
 */
const IMPORT_META_URL = ['import', 'meta', 'url'].join('.');

const hashOf = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The built entry of `entry`, if it is there and every file it was built from is unchanged. */
function currentBuild(manifestPath: string): string | null {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { file: string; inputs: Record<string, string> };
    for (const [file, hash] of Object.entries(manifest.inputs)) if (hashOf(join(ROOT, file)) !== hash) return null;
    return manifest.file;
  } catch {
    return null;
  }
}

async function build(entry: string, dir: string, manifestPath: string): Promise<string> {
  const esbuild = await import('esbuild');
  // A folder per build: a grade started before this one may still be loading the older one's chunks.
  const outdir = join(dir, `build-${process.pid}-${Date.now()}`);
  const file = join(outdir, 'index.js');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { index: entry },
    outdir,
    // What a module imports on first use stays a chunk of its own, loaded only then (a regrade
    // served from the cache never loads the plotting libraries).
    splitting: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        // The course's workspace packages (the reference solution, imported by its package name)
        // are TypeScript sources: compiled into the build, not left to Node.
        name: 'workspace-sources',
        setup(b) {
          b.onResolve({ filter: /^@assignment-11\/[a-z-]+\// }, (args) => {
            const [, name, path] = /^@assignment-11\/([a-z-]+)\/(.*)$/.exec(args.path)!;
            return { path: join(ROOT, name, path.replace(/\.js$/, '.ts')) };
          });
        },
      },
      {
        name: 'keep-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => ({
            contents: (await readFile(args.path, 'utf8')).replaceAll(IMPORT_META_URL, JSON.stringify(pathToFileURL(args.path).href)),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((input) => [input, hashOf(join(ROOT, input))]));
  // Written whole, then renamed: a grade started meanwhile sees the old manifest or the new one.
  const temporary = `${manifestPath}.${process.pid}`;
  writeFileSync(temporary, JSON.stringify({ file, inputs }));
  renameSync(temporary, manifestPath);
  return file;
}

/** The assignment defined in `folder` (its index.ts exports `assignment`). */
export async function loadAssignment(folder: string): Promise<AssignmentDefinition> {
  const entry = resolve(folder, 'index.ts');
  if (!existsSync(entry)) throw new AssignmentError(`${folder} is not an assignment: expected ${entry}, which exports the assignment's parts`);
  const dir = join(BUILDS, createHash('sha256').update(entry).digest('hex').slice(0, 16));
  const manifestPath = join(dir, 'manifest.json');
  let url: string;
  try {
    let built = currentBuild(manifestPath);
    if (built === null) {
      mkdirSync(dir, { recursive: true });
      built = await build(entry, dir, manifestPath);
    }
    url = pathToFileURL(built).href;
  } catch (error) {
    if (!import.meta.url.endsWith('.ts')) throw new AssignmentError(`cannot compile ${entry}: ${(error as Error).message}`);
    url = pathToFileURL(entry).href;
  }
  const loaded = (await import(url)) as { assignment?: AssignmentDefinition };
  if (!loaded.assignment || !Array.isArray(loaded.assignment.parts)) {
    throw new AssignmentError(`${entry} does not export \`assignment\` (made with defineAssignment)`);
  }
  return loaded.assignment;
}
