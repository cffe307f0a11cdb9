/**
 * Builds the code the child runs. For each part, an oracle (graders/src/untrusted/oracles) is
 * bundled with esbuild together with the framework files it needs, taking the student's copy of
 * exactly the files that part grades and the pristine given files of skeleton/ for everything
 * else. The reference solution never enters a bundle: a student cannot read it from the child.
 *
 * Inside the bundles, `framework:NAME` and the framework files' own relative imports (`./NAME.js`)
 * resolve through one table, so every bundle has a single copy of each module.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const GRADERS = fileURLToPath(new URL('../..', import.meta.url));
const SKELETON_SRC = join(GRADERS, '..', 'skeleton', 'src');
const UNTRUSTED = join(GRADERS, 'src', 'untrusted');

/** The framework files a student edits (without the src/ prefix and .ts suffix). */
export const STUDENT_MODULES = ['tensor', 'ops', 'losses', 'linear-regression', 'conv'] as const;
export type StudentModule = (typeof STUDENT_MODULES)[number];

export interface BundleSpec {
  /** File name of the bundle in the scratch directory. */
  file: string;
  /** The oracle under graders/src/untrusted/oracles, without extension. */
  oracle: string;
  /** The modules taken from the submission; all others come from the skeleton. */
  fromStudent: readonly StudentModule[];
  /** Give the student's conv.ts the grader's counting copy of the convolution primitives. */
  instrumentPrimitives?: boolean;
}

export const BUNDLES = {
  tensorBackward: { file: 'q1a.mjs', oracle: 'tensor-backward', fromStudent: ['tensor'] },
  opBackward: { file: 'q1b.mjs', oracle: 'op-backward', fromStudent: ['ops'] },
  mseGraph: { file: 'q1c.mjs', oracle: 'mse-graph', fromStudent: ['losses'] },
  convBackward: { file: 'q2.mjs', oracle: 'conv-backward', fromStudent: ['conv'], instrumentPrimitives: true },
  regressionTraining: { file: 'q1d.mjs', oracle: 'regression-training', fromStudent: ['tensor', 'ops', 'losses', 'linear-regression'] },
} as const satisfies Record<string, BundleSpec>;

export type BundleOutcome = { ok: true; code: string } | { ok: false; message: string };

/** Student files by path relative to the submission, e.g. "src/ops.ts". */
export type StudentFiles = ReadonlyMap<string, string>;

const STUDENT_NAMESPACE = 'student';

function moduleName(specifier: string): string | null {
  const match = /^(?:framework:|\.\/)([a-z0-9-]+)(?:\.js|\.ts)?$/i.exec(specifier);
  return match ? match[1] : null;
}

/** The child's entry (graders/src/untrusted/child-main.ts), bundled once per process. */
let childMain: Promise<string> | undefined;
export function bundleChildMain(): Promise<string> {
  childMain ??= esbuild
    .build({
      entryPoints: [join(UNTRUSTED, 'child-main.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
    })
    .then((result) => result.outputFiles[0].text);
  return childMain;
}

/**
 * A hash of everything that goes into a bundle, so identical submissions (or identical files of
 * one part) are bundled once.
 */
export function bundleKey(spec: BundleSpec, files: StudentFiles): string {
  const hash = createHash('sha256').update(spec.file);
  for (const [path, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const name = path.replace(/^src\//, '').replace(/\.ts$/, '');
    const fromStudent = (spec.fromStudent as readonly string[]).includes(name) || !isFrameworkModule(name);
    if (fromStudent) hash.update(`\0${path}\0${text}`);
  }
  return hash.digest('hex');
}

let frameworkModules: Set<string> | undefined;

/** Whether skeleton/src has NAME.ts (a given file, or the pristine copy of a student file). */
export function isFrameworkModule(name: string): boolean {
  frameworkModules ??= new Set(readdirSync(SKELETON_SRC).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)));
  return frameworkModules.has(name);
}

const cache = new Map<string, Promise<BundleOutcome>>();

/** Bundles one part's oracle with the submission's files; cached by content. */
export function bundlePart(spec: BundleSpec, files: StudentFiles): Promise<BundleOutcome> {
  const key = bundleKey(spec, files);
  let outcome = cache.get(key);
  if (!outcome) {
    outcome = build(spec, files);
    cache.set(key, outcome);
  }
  return outcome;
}

async function build(spec: BundleSpec, files: StudentFiles): Promise<BundleOutcome> {
  const fromStudent = new Set<string>(spec.fromStudent);
  const studentExtra = (name: string): string | undefined => {
    const path = `src/${name}.ts`;
    return !isFrameworkModule(name) && files.has(path) ? path : undefined;
  };

  const plugin: esbuild.Plugin = {
    name: 'assignment-files',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        // The grader's own files import each other by relative paths (../wire.js, ...).
        const fromOurCode = args.namespace === 'file' && args.importer.startsWith(UNTRUSTED);
        if (fromOurCode && args.path.startsWith('.')) return undefined;
        const name = moduleName(args.path);
        if (name === null) {
          return { errors: [{ text: `cannot import "${args.path}": only the assignment's own files (./name.js) and node: modules can be imported` }] };
        }
        if (name === 'plot') return { path: join(UNTRUSTED, 'plot-stub.ts') };
        const importerIsConv = args.namespace === STUDENT_NAMESPACE && args.importer === 'src/conv.ts';
        if (name === 'convolution-primitives' && spec.instrumentPrimitives && importerIsConv) {
          return { path: join(UNTRUSTED, 'instrumented-primitives.ts') };
        }
        if (fromStudent.has(name)) {
          const path = `src/${name}.ts`;
          if (!files.has(path)) return { errors: [{ text: `${path} is missing from the submission` }] };
          return { path, namespace: STUDENT_NAMESPACE };
        }
        const extra = studentExtra(name);
        if (extra && args.namespace === STUDENT_NAMESPACE) return { path: extra, namespace: STUDENT_NAMESPACE };
        if (isFrameworkModule(name)) return { path: join(SKELETON_SRC, `${name}.ts`) };
        return { errors: [{ text: `cannot import "${args.path}": there is no src/${name}.ts` }] };
      });
      b.onLoad({ filter: /.*/, namespace: STUDENT_NAMESPACE }, (args) => ({
        contents: files.get(args.path) ?? '',
        loader: 'ts',
        resolveDir: dirname(join(SKELETON_SRC, posix.basename(args.path))),
      }));
    },
  };

  try {
    const result = await esbuild.build({
      entryPoints: [join(UNTRUSTED, 'oracles', `${spec.oracle}.ts`)],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      plugins: [plugin],
    });
    return { ok: true, code: result.outputFiles[0].text };
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    const messages = (failure.errors ?? []).slice(0, 5).map((e) => {
      const where = e.location ? `${e.location.file.replace(/^student:/, '')}:${e.location.line}:${e.location.column + 1}: ` : '';
      return `${where}${e.text}`;
    });
    return { ok: false, message: messages.length > 0 ? messages.join('\n') : String(error) };
  }
}
