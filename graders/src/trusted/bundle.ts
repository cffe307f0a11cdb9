/**
 * Builds the code the child runs. For each part, a folder of ES modules: the part's oracle
 * (from the assignment's untrusted/ folder), the student's copy of exactly the files that part
 * grades, and the assignment's pristine given files (skeleton/src) for everything else. The reference solution never enters
 * the child: a student cannot read it from there.
 *
 * Every module is compiled from TypeScript once and kept as a separate file: the given files and
 * the oracles once per process, each student file once per submission (and a file many
 * submissions share, such as a given file left as it was, once per process: untrusted-transform.ts).
 * Imports between the framework's files stay relative (`./tensor.js`), which is what lets one
 * part's folder hold the student's tensor.js and another the given one. Assembling a folder is
 * then only writing files (linking them into one bundle per part cost more than the writes).
 *
 * A framework file (given or the student's) is compiled on its own with esbuild's transform, which
 * reads no file, and every import is left as written; module-imports.ts then checks each specifier
 * and rewrites it to where that module is. esbuild's bundler never sees the student's code: it
 * would expand an import whose path is computed (a template literal, `require('./' + x)`) by
 * walking the file system itself, and load any file as text. The student's files compile in a
 * worker process, each submission's in one of its own, within the submission's budget of CPU time
 * and a memory limit (untrusted-transform.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ALLOWED_IMPORTS, MODULE_NAME, frameworkModuleName, isNodeBuiltin } from '../shared/framework-specifier.js';
import type { AssignmentDefinition, PartBundle } from './assignment.js';
import { MAX_COMPILE_ERRORS, compileMessages, type TransformOutcome } from './compile-messages.js';
import { ORACLE_MODULE, frameworkFiles } from './framework-files.js';
import { rewriteImports, type ImportPolicy, type ImportRewrite } from './module-imports.js';
import { sourcePosition } from './source-position.js';
import { SubmissionCompiler, startTransformWorker } from './untrusted-transform.js';

const UNTRUSTED = fileURLToPath(new URL('../untrusted', import.meta.url));

/**
 * The files of a part's folder, by name, or why the student's code could not be compiled; `transient`
 * when that may be the machine's doing (a compile worker that did not start), not the code's.
 */
export type BundleOutcome = { ok: true; files: Map<string, string> } | { ok: false; message: string; transient?: boolean };

/** Student files by path relative to the submission, e.g. "src/ops.ts". */
export type StudentFiles = ReadonlyMap<string, string>;

/** The child's scratch folder holds ES modules with the .js extension. */
export const SCRATCH_PACKAGE_JSON = '{ "type": "module" }\n';

/** The scratch folder's subfolder holding the given files that import no student file. */
export const SHARED_DIR = 'given';

/** The run-time check of a computed `import()`, in the shared folder (graders/src/untrusted/checked-import.ts). */
const CHECKED_IMPORT = 'checked-import';

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

/** The compile budget, per call, of student files bundled outside a submission's grading (a tool, a test): the rubric's default. */
const UNGRADED_COMPILE_CPU_SECONDS = 10;

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
 * Why a part's files did not compile: every file that did not, in the order of the files (the first
 * alone would not say which were not compiled after it); files with the same one-line reason (not
 * compiled, the budget spent) share one line.
 */
function failureMessage(failures: readonly { path: string; message: string }[]): string {
  const lines: { files: string[]; reason: string | null; message: string }[] = [];
  for (const { path, message } of failures) {
    const reason = message.startsWith(`${path}: `) && !message.includes('\n') ? message.slice(path.length + 2) : null;
    const same = reason === null ? undefined : lines.find((line) => line.reason === reason);
    if (same) same.files.push(path);
    else lines.push({ files: [path], reason, message });
  }
  return lines.map((line) => (line.files.length === 1 ? line.message : `${line.files.join(', ')}: ${line.reason}`)).join('\n');
}

/** What builds one assignment's part folders. */
export interface Bundler {
  /**
   * Assembles one part's folder from the precompiled modules and the submission's files, compiled
   * by the submission's `compiler` (within its budget; without one, a compiler of this call's own).
   */
  bundlePart(spec: PartBundle, files: StudentFiles, compiler?: SubmissionCompiler): Promise<BundleOutcome>;
  /** The modules every part shares, for the scratch folder's shared subfolder, by file name. */
  sharedModules(): Promise<Map<string, string>>;
  /** The child's entry (graders/src/untrusted/child-main.ts). */
  childMain(): Promise<string>;
}

const bundlers = new WeakMap<AssignmentDefinition, Bundler>();

/** The bundler of `assignment`, made once per process (it compiles the given files and oracles once). */
export function bundlerFor(assignment: AssignmentDefinition): Bundler {
  let bundler = bundlers.get(assignment);
  if (!bundler) bundlers.set(assignment, (bundler = makeBundler(assignment)));
  return bundler;
}

/**
 * Each submission's files, compiled once per distinct content (and file name) whichever parts include
 * them: by the submission's compiler, which keeps a file's own outcome for other submissions too.
 */
const studentFilesCompiled = new WeakMap<SubmissionCompiler, Map<string, Promise<Compiled>>>();

function makeBundler(assignment: AssignmentDefinition): Bundler {
  const { modules, studentModules } = frameworkFiles(assignment);
  const source = `${assignment.sourceFolder}/`;
  const stubs = assignment.stubs ?? {};
  const replaceable = new Set(assignment.replaceable ?? []);
  const leftOut = new Set([...(assignment.leaveOut ?? []), ...Object.keys(stubs)]);

  /**
   * Given modules other than the pristine copies of student files import no student file, so one
   * copy serves every part: each part's modules import them from the shared folder (loaded and
   * compiled once per child). The student files' names stay relative, resolved in the part's own folder.
   */
  const isShared = (name: string): boolean => !studentModules.has(name) && modules.has(name);

  /**
   * Where a compiled module finds module NAME. A replaceable module and a stub are reached through
   * the part's own folder, which holds the part's replacement or a one-line re-export of the shared
   * original (a stub: the grader's module, in every part).
   */
  const importPath = (name: string): string => {
    if (replaceable.has(name) || Object.hasOwn(stubs, name)) return `./${name}.js`;
    return isShared(name) ? `../${SHARED_DIR}/${name}.js` : `./${name}.js`;
  };
  const external = (name: string): esbuild.OnResolveResult => ({ path: importPath(name), external: true });

  /**
   * What a framework file may import: the assignment's own modules (given files, the student's files
   * and the student's helper modules in the source folder) and Node's built-in modules.
   */
  const policy: ImportPolicy = {
    resolve: (specifier) => {
      if (isNodeBuiltin(specifier)) return specifier;
      const name = frameworkModuleName(specifier);
      return name === null ? null : importPath(name);
    },
    allowed: ALLOWED_IMPORTS,
    checkedImport: `../${SHARED_DIR}/${CHECKED_IMPORT}.js`,
  };

  /**
   * Compiles one framework file (given or the student's) to a module whose imports are the allowed
   * ones, rewritten to where those modules are. `file` names it in messages, e.g. "src/ops.ts".
   */
  async function compileFrameworkModule(text: string, file: string, transform: Transform): Promise<Compiled> {
    if (Buffer.byteLength(text) > MAX_SOURCE_BYTES) {
      return { ok: false, message: `${file}: larger than ${MAX_SOURCE_BYTES / 1024} KiB, the most the compiler accepts` };
    }
    const outcome = await transform(text, { ...TRANSFORM_OPTIONS, sourcefile: file });
    if (outcome.kind === 'failed') return { ok: false, message: `${file}: ${outcome.reason}`, transient: outcome.transient };
    if (outcome.kind === 'over-budget') return { ok: false, message: `${file}: ${outcome.reason}` };
    if (outcome.kind === 'errors') return { ok: false, message: outcome.errors.map((e) => `${place(file, e)}: ${e.text}`).join('\n') };
    const where = (offset: number): string => place(file, sourcePosition(outcome.code, outcome.map, offset));
    let rewritten: ImportRewrite;
    try {
      rewritten = await rewriteImports(outcome.code, policy, where);
    } catch (error) {
      // The lexer keeps a stack of about a thousand open brackets; esbuild's output is otherwise valid JavaScript.
      const at = (error as { idx?: number }).idx;
      const text = 'the imports could not be read past here (brackets nested more than about 1000 levels deep?)';
      return { ok: false, message: `${at === undefined ? file : where(at)}: ${text}` };
    }
    if (rewritten.ok) return { ok: true, code: rewritten.code };
    return { ok: false, message: rewritten.problems.slice(0, MAX_COMPILE_ERRORS).map((p) => `${where(p.offset)}: ${p.message}`).join('\n') };
  }

  /** The replacements of every part, by absolute path: an oracle that imports one gets the part folder's module. */
  const replacementPaths = new Map<string, string>();
  for (const part of assignment.parts) {
    for (const [name, path] of Object.entries(part.bundle?.replace ?? {})) replacementPaths.set(resolvePath(path), name);
  }

  /**
   * Compiles one of the grader's untrusted entry files (an oracle, a replacement, a stub, the
   * import check), with `define` for the constants it declares. `framework:NAME` imports reach the
   * assignment's modules; `self` is the module a replacement stands in for, whose own
   * `framework:` import means the shared original.
   */
  async function compileGraderModule(entry: string, self?: string, define: Record<string, string> = {}): Promise<string> {
    const result = await esbuild.build({
      ...COMPILE_OPTIONS,
      entryPoints: [entry],
      define,
      plugins: [
        {
          name: 'grader-imports',
          setup(b) {
            b.onResolve({ filter: /^framework:/ }, (args) => {
              const name = args.path.slice('framework:'.length);
              return name === self ? { path: `../${SHARED_DIR}/${name}.js`, external: true } : external(name);
            });
            // An oracle shares state with the replacement its part uses (counters): one module, the part folder's.
            b.onResolve({ filter: /^\.\.?\// }, (args) => {
              const target = resolvePath(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
              const name = replacementPaths.get(target);
              return name === undefined || target === resolvePath(entry) ? undefined : { path: `./${name}.js`, external: true };
            });
          },
        },
      ],
    });
    return result.outputFiles[0].text;
  }

  /** Compiles a given file, which must compile. */
  async function compileGivenModule(name: string): Promise<string> {
    const file = `${source}${name}.ts`;
    const compiled = await compileFrameworkModule(readFileSync(join(assignment.givenSources, `${name}.ts`), 'utf8'), file, transformTrusted);
    if (!compiled.ok) throw new Error(`the given file ${join(assignment.givenSources, `${name}.ts`)} does not compile: ${compiled.message}`);
    return compiled.code;
  }

  interface Precompiled {
    given: Map<string, string>;
    /** Oracles, replacements and stubs, by absolute path. */
    graderModules: Map<string, string>;
    checkedImport: string;
    childMain: string;
  }
  let precompiled: Promise<Precompiled> | undefined;

  /** The given files, the grader's modules and the child's entry, compiled once per process. */
  function precompile(): Promise<Precompiled> {
    precompiled ??= (async () => {
      startTransformWorker();
      const names = [...modules].filter((name) => !leftOut.has(name));
      const given = new Map(await Promise.all(names.map(async (name) => [name, await compileGivenModule(name)] as const)));
      const entries = new Map<string, string | undefined>();
      for (const part of assignment.parts) {
        if (!part.bundle) continue;
        entries.set(resolvePath(part.bundle.oracle), undefined);
        for (const [name, path] of Object.entries(part.bundle.replace ?? {})) entries.set(resolvePath(path), name);
      }
      for (const path of Object.values(stubs)) entries.set(resolvePath(path), undefined);
      const graderModules = new Map(
        await Promise.all([...entries].map(async ([path, self]) => [path, await compileGraderModule(path, self)] as const)),
      );
      const paths = Object.fromEntries([...modules].map((name) => [name, importPath(name)]));
      const checkedImport = await compileGraderModule(join(UNTRUSTED, `${CHECKED_IMPORT}.ts`), undefined, {
        FRAMEWORK_MODULE_PATHS: JSON.stringify(paths),
      });
      const childMain = (await esbuild.build({ ...COMPILE_OPTIONS, entryPoints: [join(UNTRUSTED, 'child-main.ts')] })).outputFiles[0].text;
      return { given, graderModules, checkedImport, childMain };
    })();
    return precompiled;
  }

  /** Compiles a student file once per submission and distinct content, as untrusted work, by the submission's compiler. */
  function compileStudentFile(file: string, text: string, compiler: SubmissionCompiler): Promise<Compiled> {
    let compiledFiles = studentFilesCompiled.get(compiler);
    if (!compiledFiles) studentFilesCompiled.set(compiler, (compiledFiles = new Map()));
    const key = createHash('sha256').update(assignment.givenSources).update('\0').update(file).update('\0').update(text).digest('hex');
    let compiled = compiledFiles.get(key);
    if (!compiled) {
      compiled = compileFrameworkModule(text, file, (source, options) => compiler.compile(source, options));
      compiledFiles.set(key, compiled);
    }
    return compiled;
  }

  /** A source module's path in the submission (`src/topo_sort.ts`), its name captured; intake reads only such names. */
  const modulePattern = new RegExp(`^${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(${MODULE_NAME})\\.ts$`);

  return {
    async childMain() {
      return (await precompile()).childMain;
    },

    async sharedModules() {
      const { given, checkedImport } = await precompile();
      const shared = [...given].filter(([name]) => isShared(name)).map(([name, code]) => [`${name}.js`, code] as const);
      return new Map([...shared, [`${CHECKED_IMPORT}.js`, checkedImport]]);
    },

    async bundlePart(spec, files, compiler = new SubmissionCompiler(UNGRADED_COMPILE_CPU_SECONDS)) {
      const { given, graderModules } = await precompile();
      const out = new Map<string, string>();
      for (const [name, code] of given) if (!isShared(name)) out.set(`${name}.js`, code);
      const fromStudent = new Set<string>(spec.fromStudent);
      // The student's own helper modules (a module in the source folder that is not a given file) go with their code.
      const studentPaths = [...files.keys()].filter((path) => {
        const match = modulePattern.exec(path);
        return match !== null && (fromStudent.has(match[1]) || !modules.has(match[1]));
      });
      for (const name of fromStudent) {
        if (!files.has(`${source}${name}.ts`)) return { ok: false, message: `${source}${name}.ts is missing from the submission` };
      }
      const compiled = await Promise.all(studentPaths.map((path) => compileStudentFile(path, files.get(path)!, compiler)));
      const failures: { path: string; message: string }[] = [];
      let transient = false;
      for (const [i, path] of studentPaths.entries()) {
        const result = compiled[i];
        if (result.ok) out.set(`${path.slice(source.length, -'.ts'.length)}.js`, result.code);
        else {
          failures.push({ path, message: result.message });
          transient ||= result.transient === true;
        }
      }
      if (failures.length > 0) return { ok: false, message: failureMessage(failures), transient };
      for (const [name, path] of Object.entries(stubs)) out.set(`${name}.js`, graderModules.get(resolvePath(path))!);
      for (const name of replaceable) {
        const replacement = spec.replace?.[name];
        out.set(`${name}.js`, replacement === undefined ? `export * from '../${SHARED_DIR}/${name}.js';\n` : graderModules.get(resolvePath(replacement))!);
      }
      out.set(`${ORACLE_MODULE}.js`, graderModules.get(resolvePath(spec.oracle))!);
      return { ok: true, files: out };
    },
  };
}
