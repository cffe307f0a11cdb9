/**
 * Builds the code the child runs. For each part, a folder of ES modules: the part's oracle
 * (from the assignment's untrusted/ folder), the student's copy of exactly the files that part
 * grades, and the assignment's pristine given files (skeleton/src) for everything else. The
 * reference solution never enters the child: a student cannot read it from there.
 *
 * Every module is compiled from TypeScript once and kept as a separate file: the given files and
 * the oracles once per process (precompiled-modules.ts), each student file once per submission (and
 * a file many submissions share, such as a given file left as it was, once per process:
 * untrusted-transform.ts). Imports between the framework's files stay relative (`./tensor.js`),
 * which is what lets one part's folder hold the student's tensor.js and another the given one
 * (part-folder-layout.ts). Assembling a folder is then only writing files (linking them into one
 * bundle per part cost more than the writes).
 *
 * A framework file (given or the student's) is compiled on its own with esbuild's transform, which
 * reads no file, and every import is left as written; module-imports.ts then checks each specifier
 * and rewrites it to where that module is (compile-framework-module.ts). esbuild's bundler never
 * sees the student's code: it would expand an import whose path is computed (a template literal,
 * `require('./' + x)`) by walking the file system itself, and load any file as text. The student's
 * files compile in a worker process, each submission's in one of its own, within the submission's
 * budget of CPU time and a memory limit (untrusted-transform.ts).
 */
import { createHash } from 'node:crypto';
import { resolve as resolvePath } from 'node:path';
import { MODULE_NAME } from '../shared/framework-specifier.js';
import type { AssignmentDefinition, PartBundle } from './assignment.js';
import { compileFrameworkModule, type Compiled } from './compile-framework-module.js';
import { ORACLE_MODULE, frameworkFiles } from './framework-files.js';
import { CHECKED_IMPORT, SHARED_DIR, moduleLayout } from './part-folder-layout.js';
import { precompileModules, type PrecompiledModules } from './precompiled-modules.js';
import { startTransformWorker } from './transform-worker-pool.js';
import { SubmissionCompiler } from './untrusted-transform.js';

/**
 * The files of a part's folder, by name, or why the student's code could not be compiled; `transient`
 * when that may be the machine's doing (a compile worker that did not start), not the code's.
 */
export type BundleOutcome = { ok: true; files: Map<string, string> } | { ok: false; message: string; transient?: boolean };

/** Student files by path relative to the submission, e.g. "src/ops.ts". */
export type StudentFiles = ReadonlyMap<string, string>;

/** The compile budget, per call, of student files bundled outside a submission's grading (a tool, a test): the rubric's default. */
const UNGRADED_COMPILE_CPU_SECONDS = 10;

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
  const { modules } = frameworkFiles(assignment);
  const source = `${assignment.sourceFolder}/`;
  const stubs = assignment.stubs ?? {};
  const replaceable = new Set(assignment.replaceable ?? []);
  const layout = moduleLayout(assignment);
  const { isShared } = layout;

  let precompiled: Promise<PrecompiledModules> | undefined;

  /** The given files, the grader's modules and the child's entry, compiled once per process. */
  function precompile(): Promise<PrecompiledModules> {
    if (!precompiled) {
      startTransformWorker();
      precompiled = precompileModules(assignment, layout);
    }
    return precompiled;
  }

  /** Compiles a student file once per submission and distinct content, as untrusted work, by the submission's compiler. */
  function compileStudentFile(file: string, text: string, compiler: SubmissionCompiler): Promise<Compiled> {
    let compiledFiles = studentFilesCompiled.get(compiler);
    if (!compiledFiles) studentFilesCompiled.set(compiler, (compiledFiles = new Map()));
    const key = createHash('sha256').update(assignment.givenSources).update('\0').update(file).update('\0').update(text).digest('hex');
    let compiled = compiledFiles.get(key);
    if (!compiled) {
      compiled = compileFrameworkModule(text, file, (source, options) => compiler.compile(source, options), layout.policy);
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
        const shared = `export * from '../${SHARED_DIR}/${name}.js';\n`;
        out.set(`${name}.js`, replacement === undefined ? shared : graderModules.get(resolvePath(replacement))!);
      }
      out.set(`${ORACLE_MODULE}.js`, graderModules.get(resolvePath(spec.oracle))!);
      return { ok: true, files: out };
    },
  };
}
