/**
 * Builds the code the child runs. For each part, a folder of ES modules: the part's oracle
 * (graders/src/untrusted/oracles), the student's copy of exactly the files that part grades, and
 * the pristine given files of skeleton/ for everything else. The reference solution never enters
 * the child: a student cannot read it from there.
 *
 * Every module is compiled from TypeScript once and kept as a separate file: the given files and
 * the oracles once per process, each distinct student file once (by content). Imports between the
 * framework's files stay relative (`./tensor.js`), which is what lets one part's folder hold the
 * student's tensor.js and another the given one. Assembling a folder is then only writing files
 * (linking them into one bundle per part cost more than the writes).
 *
 * A framework file (given or the student's) is compiled on its own with esbuild's transform, which
 * reads no file, and every import is left as written; module-imports.ts then checks each specifier
 * and rewrites it to where that module is. esbuild's bundler never sees the student's code: it
 * would expand an import whose path is computed (a template literal, `require('./' + x)`) by
 * walking the file system itself, and load any file as text. The student's files compile in a
 * worker process, within time and memory limits (untrusted-transform.ts).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ALLOWED_IMPORTS, frameworkModuleName, isNodeBuiltin } from '../shared/framework-specifier.js';
import { MAX_COMPILE_ERRORS, compileMessages, type TransformOutcome } from './compile-messages.js';
import { SKELETON_SRC, STUDENT_MODULES, frameworkModules, isFrameworkModule, type StudentModule } from './framework-files.js';
import { rewriteImports, type ImportPolicy, type ImportRewrite } from './module-imports.js';
import { sourcePosition } from './source-position.js';
import { startTransformWorker, transformUntrusted } from './untrusted-transform.js';

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

/**
 * The files of a part's folder, by name, or why the student's code could not be compiled; `transient`
 * when that may be the machine's doing (a compile over its time limit under load), not the code's.
 */
export type BundleOutcome = { ok: true; files: Map<string, string> } | { ok: false; message: string; transient?: boolean };

/** Student files by path relative to the submission, e.g. "src/ops.ts". */
export type StudentFiles = ReadonlyMap<string, string>;

/** The child's scratch folder holds ES modules with the .js extension. */
export const SCRATCH_PACKAGE_JSON = '{ "type": "module" }\n';

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
const PLOT = 'plot';

/**
 * Where a compiled module finds framework file NAME. The convolution primitives are reached
 * through the part's own folder, where the Q2 part puts the grader's counting copy of them and
 * every other part a one-line re-export of the shared original; so is the plot module, a stub in
 * every part's folder.
 */
function importPath(name: string): string {
  if (name === PRIMITIVES || name === PLOT) return `./${name}.js`;
  return isSharedModule(name) ? `../${SHARED_DIR}/${name}.js` : `./${name}.js`;
}

/** The run-time check of a computed `import()`, in the shared folder (graders/src/untrusted/checked-import.ts). */
const CHECKED_IMPORT = 'checked-import';

/**
 * What a framework file may import: the assignment's own modules (given files, the student's files
 * and the student's helper modules under src/) and Node's built-in modules.
 */
const IMPORT_POLICY: ImportPolicy = {
  resolve: (specifier) => {
    if (isNodeBuiltin(specifier)) return specifier;
    const name = frameworkModuleName(specifier);
    return name === null ? null : importPath(name);
  },
  allowed: ALLOWED_IMPORTS,
  checkedImport: `../${SHARED_DIR}/${CHECKED_IMPORT}.js`,
};

const external = (name: string): esbuild.OnResolveResult => ({ path: importPath(name), external: true });

const SHARED_PRIMITIVES = `../${SHARED_DIR}/${PRIMITIVES}.js`;
const PRIMITIVES_REEXPORT = `export * from '${SHARED_PRIMITIVES}';\n`;

const COMPILE_OPTIONS = { bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent' } as const;

/**
 * How a framework file is compiled: TypeScript to an ES module for Node 20, as the skeleton's
 * tsconfig.json says (imports kept as written, class fields defined). Import attributes are kept
 * in the output, where module-imports.ts refuses them (for Node 20, esbuild would drop them).
 */
const TRANSFORM_OPTIONS: esbuild.TransformOptions = {
  loader: 'ts',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'external',
  supported: { 'import-attributes': true },
  tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } },
  logLevel: 'silent',
};

/** Larger sources are refused before esbuild sees them; intake's limit (fileKiB) keeps files far below. */
const MAX_SOURCE_BYTES = 1024 * 1024;

type Transform = (source: string, options: esbuild.TransformOptions) => Promise<TransformOutcome>;

/** esbuild's transform in this process, for the grader's own files. */
const transformTrusted: Transform = (source, options) =>
  esbuild.transform(source, options).then(
    (result) => ({ kind: 'compiled', code: result.code, map: result.map }),
    (error: unknown) => {
      const errors = (error as esbuild.TransformFailure).errors ?? [{ text: String(error) } as esbuild.Message];
      return { kind: 'errors', errors: compileMessages(errors) };
    },
  );

type Compiled = { ok: true; code: string } | { ok: false; message: string; transient?: boolean };

/** `file:line:column`, as editors and terminals link it; the file named as the student knows it (src/NAME.ts). */
function place(file: string, at: { line?: number; column?: number } | null): string {
  return at?.line === undefined ? file : `${file}:${at.line}:${at.column}`;
}

/**
 * Compiles one framework file (given or the student's) to a module whose imports are the allowed
 * ones, rewritten to where those modules are. `file` names it in messages, e.g. "src/ops.ts".
 */
async function compileFrameworkModule(source: string, file: string, transform: Transform): Promise<Compiled> {
  if (Buffer.byteLength(source) > MAX_SOURCE_BYTES) {
    return { ok: false, message: `${file}: larger than ${MAX_SOURCE_BYTES / 1024} KiB, the most the compiler accepts` };
  }
  const outcome = await transform(source, { ...TRANSFORM_OPTIONS, sourcefile: file });
  if (outcome.kind === 'failed') return { ok: false, message: `${file}: ${outcome.reason}`, transient: outcome.transient };
  if (outcome.kind === 'errors') return { ok: false, message: outcome.errors.map((e) => `${place(file, e)}: ${e.text}`).join('\n') };
  const where = (offset: number): string => place(file, sourcePosition(outcome.code, outcome.map, offset));
  let rewritten: ImportRewrite;
  try {
    rewritten = await rewriteImports(outcome.code, IMPORT_POLICY, where);
  } catch (error) {
    // The lexer keeps a stack of about a thousand open brackets; esbuild's output is otherwise valid JavaScript.
    const at = (error as { idx?: number }).idx;
    const text = 'the imports could not be read past here (brackets nested more than about 1000 levels deep?)';
    return { ok: false, message: `${at === undefined ? file : where(at)}: ${text}` };
  }
  if (rewritten.ok) return { ok: true, code: rewritten.code };
  return { ok: false, message: rewritten.problems.slice(0, MAX_COMPILE_ERRORS).map((p) => `${where(p.offset)}: ${p.message}`).join('\n') };
}

/**
 * Compiles one of the grader's untrusted entry files (an oracle, the counting primitives, the
 * import check), with `define` for the constants it declares.
 */
async function compileGraderModule(
  entry: string,
  resolve: (name: string) => esbuild.OnResolveResult = external,
  define: Record<string, string> = {},
): Promise<string> {
  const result = await esbuild.build({
    ...COMPILE_OPTIONS,
    entryPoints: [entry],
    define,
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
  checkedImport: string;
  childMain: string;
}

/** Compiles a given file, which must compile. */
async function compileGivenModule(file: string): Promise<string> {
  const compiled = await compileFrameworkModule(readFileSync(join(SKELETON_SRC, file), 'utf8'), `src/${file}`, transformTrusted);
  if (!compiled.ok) throw new Error(`the given file skeleton/src/${file} does not compile: ${compiled.message}`);
  return compiled.code;
}

let precompiled: Promise<Precompiled> | undefined;

/** The given files, the oracles and the child's entry, compiled once per process. */
function precompile(): Promise<Precompiled> {
  precompiled ??= (async () => {
    startTransformWorker();
    const names = readdirSync(SKELETON_SRC).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'plot.ts');
    const given = new Map(await Promise.all(names.map(async (f) => [f.slice(0, -3), await compileGivenModule(f)] as const)));
    const oracleNames = readdirSync(join(UNTRUSTED, 'oracles')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
    const oracles = new Map(
      await Promise.all(oracleNames.map(async (name) => [name, await compileGraderModule(join(UNTRUSTED, 'oracles', `${name}.ts`))] as const)),
    );
    const instrumentedPrimitives = await compileGraderModule(join(UNTRUSTED, 'instrumented-primitives.ts'), (name) =>
      name === PRIMITIVES ? { path: SHARED_PRIMITIVES, external: true } : external(name),
    );
    const plotStub = await compileGraderModule(join(UNTRUSTED, 'plot-stub.ts'));
    const paths = Object.fromEntries([...frameworkModules()].map((name) => [name, importPath(name)]));
    const checkedImport = await compileGraderModule(join(UNTRUSTED, `${CHECKED_IMPORT}.ts`), external, {
      FRAMEWORK_MODULE_PATHS: JSON.stringify(paths),
    });
    const childMain = (await esbuild.build({ ...COMPILE_OPTIONS, entryPoints: [join(UNTRUSTED, 'child-main.ts')] })).outputFiles[0].text;
    return { given, oracles, instrumentedPrimitives, plotStub, checkedImport, childMain };
  })();
  return precompiled;
}

/** The child's entry (graders/src/untrusted/child-main.ts), compiled once per process. */
export async function bundleChildMain(): Promise<string> {
  return (await precompile()).childMain;
}

const studentCache = new Map<string, Promise<Compiled>>();

/** Compiles a student file once per distinct content, as untrusted work. */
function compileStudentFile(file: string, source: string): Promise<Compiled> {
  const key = createHash('sha256').update(file).update('\0').update(source).digest('hex');
  let compiled = studentCache.get(key);
  if (!compiled) {
    compiled = compileFrameworkModule(source, file, transformUntrusted);
    studentCache.set(key, compiled);
  }
  return compiled;
}

/** The modules every part shares, for the scratch folder's shared subfolder, by file name. */
export async function sharedModules(): Promise<Map<string, string>> {
  const { given, checkedImport } = await precompile();
  const shared = [...given].filter(([name]) => isSharedModule(name)).map(([name, code]) => [`${name}.js`, code] as const);
  return new Map([...shared, [`${CHECKED_IMPORT}.js`, checkedImport]]);
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
    if (!result.ok) return result;
    out.set(`${path.slice('src/'.length, -'.ts'.length)}.js`, result.code);
  }
  out.set('plot.js', plotStub);
  out.set(`${PRIMITIVES}.js`, spec.instrumentPrimitives ? instrumentedPrimitives : PRIMITIVES_REEXPORT);
  out.set('oracle.js', oracles.get(spec.oracle)!);
  return { ok: true, files: out };
}
