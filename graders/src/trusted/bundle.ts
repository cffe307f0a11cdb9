/**
 * Builds the code the child runs. For each part, a folder of ES modules: the part's oracle
 * (graders/src/untrusted/oracles), the student's copy of exactly the files that part grades, and
 * the pristine given files of skeleton/ for everything else. The reference solution never enters
 * the child: a student cannot read it from there.
 *
 * Every module is compiled from TypeScript once with esbuild and kept as a separate file: the
 * given files and the oracles once per process, each distinct student file once (by content).
 * Imports between the framework's files stay relative (`./tensor.js`), which is what lets one
 * part's folder hold the student's tensor.js and another the given one. Assembling a folder is
 * then only writing files (linking them into one bundle per part cost more than the writes).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { SKELETON_SRC, STUDENT_MODULES, isFrameworkModule, type StudentModule } from './framework-files.js';

const GRADERS = fileURLToPath(new URL('../..', import.meta.url));
const UNTRUSTED = join(GRADERS, 'src', 'untrusted');


export interface BundleSpec {
  /** The part's folder in the scratch directory; the child imports `<dir>/oracle.js`. */
  dir: string;
  /** The oracle under graders/src/untrusted/oracles, without extension. */
  oracle: string;
  /** The modules taken from the submission; all others come from the skeleton. */
  fromStudent: readonly StudentModule[];
  /** Give the part the grader's counting copy of the convolution primitives. */
  instrumentPrimitives?: boolean;
}

export const BUNDLES = {
  tensorBackward: { dir: 'q1a', oracle: 'tensor-backward', fromStudent: ['tensor'] },
  opBackward: { dir: 'q1b', oracle: 'op-backward', fromStudent: ['ops'] },
  mseGraph: { dir: 'q1c', oracle: 'mse-graph', fromStudent: ['losses'] },
  convBackward: { dir: 'q2', oracle: 'conv-backward', fromStudent: ['conv'], instrumentPrimitives: true },
  regressionTraining: { dir: 'q1d', oracle: 'regression-training', fromStudent: ['tensor', 'ops', 'losses', 'linear-regression'] },
} as const satisfies Record<string, BundleSpec>;

/** The files of a part's folder, by name, or why the student's code could not be compiled. */
export type BundleOutcome = { ok: true; files: Map<string, string> } | { ok: false; message: string };

/** Student files by path relative to the submission, e.g. "src/ops.ts". */
export type StudentFiles = ReadonlyMap<string, string>;

/** The child's scratch folder holds ES modules with the .js extension. */
export const SCRATCH_PACKAGE_JSON = '{ "type": "module" }\n';

/** `./name`, `./name.js`, `./name.ts` or `framework:name` to `name`; null for anything else. */
function moduleName(specifier: string): string | null {
  const match = /^(?:framework:|\.\/)([A-Za-z0-9-]+)(?:\.js|\.ts)?$/.exec(specifier);
  return match ? match[1] : null;
}

/** The scratch folder's subfolder holding the given files that import no student file. */
export const SHARED_DIR = 'given';

/**
 * Given files other than the pristine copies of student files import no student file, so one copy
 * serves every part: each part's modules import them from the shared folder (loaded and compiled
 * once per child). The student files' names stay relative, resolved in the part's own folder.
 */
function isSharedModule(name: string): boolean {
  return !(STUDENT_MODULES as readonly string[]).includes(name) && isFrameworkModule(name);
}

const PRIMITIVES = 'convolution-primitives';

/**
 * Where a compiled module finds framework file NAME. The convolution primitives are reached
 * through the part's own folder, where the Q2 part puts the grader's counting copy of them and
 * every other part a one-line re-export of the shared original.
 */
function importPath(name: string): string {
  if (name === PRIMITIVES) return `./${PRIMITIVES}.js`;
  return isSharedModule(name) ? `../${SHARED_DIR}/${name}.js` : `./${name}.js`;
}

const external = (name: string): esbuild.OnResolveResult => ({ path: importPath(name), external: true });

const SHARED_PRIMITIVES = `../${SHARED_DIR}/${PRIMITIVES}.js`;
const PRIMITIVES_REEXPORT = `export * from '${SHARED_PRIMITIVES}';\n`;

const COMPILE_OPTIONS = { bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent' } as const;

function buildErrorMessage(error: unknown): string {
  const failure = error as esbuild.BuildFailure;
  const messages = (failure.errors ?? []).slice(0, 5).map((e) => {
    // esbuild names a student file relative to its working folder; the student knows it as src/NAME.ts.
    const file = e.location?.file.replace(/^.*\/(src\/[^/]+)$/, '$1');
    const where = e.location ? `${file}:${e.location.line}:${e.location.column + 1}: ` : '';
    return `${where}${e.text}`;
  });
  return messages.length > 0 ? messages.join('\n') : String(error);
}

/**
 * Compiles one framework file (given or the student's) to a module whose imports of other
 * framework files stay relative. `file` names it in messages, e.g. "src/ops.ts".
 */
async function compileFrameworkModule(source: string, file: string): Promise<string> {
  const result = await esbuild.build({
    ...COMPILE_OPTIONS,
    stdin: { contents: source, loader: 'ts', sourcefile: file, resolveDir: SKELETON_SRC },
    plugins: [
      {
        name: 'framework-imports',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (args.path.startsWith('node:')) return { path: args.path, external: true };
            const name = moduleName(args.path);
            if (name !== null) return external(name);
            return {
              errors: [{ text: `cannot import "${args.path}": only the assignment's own files (./name.js) and node: modules can be imported` }],
            };
          });
        },
      },
    ],
  });
  return result.outputFiles[0].text;
}

/** Compiles one of the grader's untrusted entry files (an oracle, the counting primitives). */
async function compileGraderModule(entry: string, resolve: (name: string) => esbuild.OnResolveResult = external): Promise<string> {
  const result = await esbuild.build({
    ...COMPILE_OPTIONS,
    entryPoints: [entry],
    plugins: [
      {
        name: 'grader-imports',
        setup(b) {
          b.onResolve({ filter: /^framework:/ }, (args) => resolve(args.path.slice('framework:'.length)));
          // The oracle of Q2 shares the counters with the student's conv.ts: one module, not two
          // copies. In the Q2 folder it stands in for the primitives (see bundlePart).
          b.onResolve({ filter: /instrumented-primitives\.js$/ }, () => ({ path: './convolution-primitives.js', external: true }));
        },
      },
    ],
  });
  return result.outputFiles[0].text;
}

interface Precompiled {
  given: Map<string, string>;
  oracles: Map<string, string>;
  instrumentedPrimitives: string;
  plotStub: string;
  childMain: string;
}

let precompiled: Promise<Precompiled> | undefined;

/** The given files, the oracles and the child's entry, compiled once per process. */
function precompile(): Promise<Precompiled> {
  precompiled ??= (async () => {
    const names = readdirSync(SKELETON_SRC).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'plot.ts');
    const given = new Map(
      await Promise.all(names.map(async (f) => [f.slice(0, -3), await compileFrameworkModule(readFileSync(join(SKELETON_SRC, f), 'utf8'), `src/${f}`)] as const)),
    );
    const oracleNames = readdirSync(join(UNTRUSTED, 'oracles')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
    const oracles = new Map(
      await Promise.all(oracleNames.map(async (name) => [name, await compileGraderModule(join(UNTRUSTED, 'oracles', `${name}.ts`))] as const)),
    );
    const instrumentedPrimitives = await compileGraderModule(join(UNTRUSTED, 'instrumented-primitives.ts'), (name) =>
      name === PRIMITIVES ? { path: SHARED_PRIMITIVES, external: true } : external(name),
    );
    const plotStub = await compileGraderModule(join(UNTRUSTED, 'plot-stub.ts'));
    const childMain = (await esbuild.build({ ...COMPILE_OPTIONS, entryPoints: [join(UNTRUSTED, 'child-main.ts')] })).outputFiles[0].text;
    return { given, oracles, instrumentedPrimitives, plotStub, childMain };
  })();
  return precompiled;
}

/** The child's entry (graders/src/untrusted/child-main.ts), compiled once per process. */
export async function bundleChildMain(): Promise<string> {
  return (await precompile()).childMain;
}

const studentCache = new Map<string, Promise<{ ok: true; code: string } | { ok: false; message: string }>>();

/** Compiles a student file once per distinct content. */
function compileStudentFile(file: string, source: string): Promise<{ ok: true; code: string } | { ok: false; message: string }> {
  const key = createHash('sha256').update(file).update('\0').update(source).digest('hex');
  let compiled = studentCache.get(key);
  if (!compiled) {
    compiled = compileFrameworkModule(source, file).then(
      (code) => ({ ok: true as const, code }),
      (error: unknown) => ({ ok: false as const, message: buildErrorMessage(error) }),
    );
    studentCache.set(key, compiled);
  }
  return compiled;
}

/** The given files every part shares, for the scratch folder's shared subfolder, by file name. */
export async function sharedModules(): Promise<Map<string, string>> {
  const { given } = await precompile();
  return new Map([...given].filter(([name]) => isSharedModule(name)).map(([name, code]) => [`${name}.js`, code]));
}

/** Assembles one part's folder from the precompiled modules and the submission's files. */
export async function bundlePart(spec: BundleSpec, files: StudentFiles): Promise<BundleOutcome> {
  const { given, oracles, instrumentedPrimitives, plotStub } = await precompile();
  const out = new Map<string, string>();
  for (const [name, code] of given) if (!isSharedModule(name)) out.set(`${name}.js`, code);
  const fromStudent = new Set<string>(spec.fromStudent);
  // The student's own helper modules (src/NAME.ts that is not a framework file) go with their code.
  const studentPaths = [...files.keys()].filter((path) => {
    const match = /^src\/([A-Za-z0-9-]+)\.ts$/.exec(path);
    return match !== null && (fromStudent.has(match[1]) || !isFrameworkModule(match[1]));
  });
  for (const name of fromStudent) {
    if (!files.has(`src/${name}.ts`)) return { ok: false, message: `src/${name}.ts is missing from the submission` };
  }
  const compiled = await Promise.all(studentPaths.map((path) => compileStudentFile(path, files.get(path)!)));
  for (const [i, path] of studentPaths.entries()) {
    const result = compiled[i];
    if (!result.ok) return { ok: false, message: result.message };
    out.set(`${path.slice('src/'.length, -'.ts'.length)}.js`, result.code);
  }
  out.set('plot.js', plotStub);
  out.set(`${PRIMITIVES}.js`, spec.instrumentPrimitives ? instrumentedPrimitives : PRIMITIVES_REEXPORT);
  out.set('oracle.js', oracles.get(spec.oracle)!);
  return { ok: true, files: out };
}
