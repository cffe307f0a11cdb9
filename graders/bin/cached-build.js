// One TypeScript entry compiled with esbuild into a folder of its own under `into`, and compiled
// again only when a file it was built from changes (a manifest keeps each input's hash). Used for
// the graders themselves (grade.js) and for an assignment's registry (load-assignment.ts).
//
// - Each module keeps its own `import.meta.url`: it becomes the original file's URL, so that the
//   graders and an assignment find their files (templates, given files, sources) next to themselves.
// - The course's workspace packages (`@assignment-11/NAME/...`) are TypeScript sources: compiled
//   into the build, not left to Node; other packages stay external.
// - Lazily imported modules stay separate chunks, loaded only when needed.
// - Each build goes to a new folder, and the manifest is replaced whole: a grade started meanwhile
//   sees the old build or the new one. Builds a day old are removed; a younger one may still be
//   loading its chunks in another grade.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const hashOf = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

const keepImportMetaUrl = {
  name: 'keep-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

const workspaceSources = (root) => ({
  name: 'workspace-sources',
  setup(build) {
    build.onResolve({ filter: /^@assignment-11\/[a-z-]+\// }, (args) => {
      const [, name, path] = /^@assignment-11\/([a-z-]+)\/(.*)$/.exec(args.path);
      return { path: join(root, name, path.replace(/\.js$/, '.ts')) };
    });
  },
});

/** The built file, if the build is there and every file it was built from is unchanged. */
function currentBuild(root, manifestPath, name) {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    for (const [file, hash] of Object.entries(manifest.inputs)) if (hashOf(join(root, file)) !== hash) return null;
    return join(manifestPath, '..', manifest.dir, `${name}.js`);
  } catch {
    return null;
  }
}

/**
 * The path of `entry` (relative to `root` or absolute) compiled into `into`, as `NAME.js`:
 * the current build, or a new one.
 */
export async function cachedBuild({ root, entry, into, name }) {
  const manifestPath = join(into, 'manifest.json');
  const current = currentBuild(root, manifestPath, name);
  if (current !== null) return current;
  mkdirSync(into, { recursive: true });
  const esbuild = await import('esbuild');
  const dir = `build-${process.pid}-${Date.now()}`;
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { [name]: entry },
    outdir: join(into, dir),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
    plugins: [workspaceSources(root), keepImportMetaUrl],
  });
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [file, hashOf(join(root, file))]));
  const temporary = `${manifestPath}.${process.pid}`;
  writeFileSync(temporary, JSON.stringify({ dir, inputs }));
  renameSync(temporary, manifestPath);
  for (const old of readdirSync(into)) {
    const path = join(into, old);
    if (old !== dir && old.startsWith('build-') && Date.now() - statSync(path).mtimeMs > 86_400_000)
      rmSync(path, { recursive: true, force: true });
  }
  return join(into, dir, `${name}.js`);
}
