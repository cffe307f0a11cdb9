/**
 * The modules every submission's parts share, compiled once per process: the assignment's given
 * files (which must compile), the grader's untrusted entry files (the oracles, the replacements, the
 * stubs, the run-time import check) and the child's entry. The grader's files are its own, so they
 * go through esbuild's bundler; their imports of the assignment's modules stay imports, rewritten
 * to where those modules are in the scratch folder (part-folder-layout.ts).
 */
import { readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { AssignmentDefinition } from './assignment.js';
import { compileFrameworkModule, transformTrusted } from './compile-framework-module.js';
import { frameworkFiles } from './framework-files.js';
import { CHECKED_IMPORT, SHARED_DIR, type ModuleLayout } from './part-folder-layout.js';

const UNTRUSTED = fileURLToPath(new URL('../untrusted', import.meta.url));

const COMPILE_OPTIONS = { bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent' } as const;

export interface PrecompiledModules {
  /** The given files the parts use, by module name. */
  given: Map<string, string>;
  /** Oracles, replacements and stubs, by absolute path. */
  graderModules: Map<string, string>;
  checkedImport: string;
  childMain: string;
}

/** How the grader's modules reach the others: where the assignment's modules are, and the replacements by absolute path. */
interface GraderImports {
  layout: ModuleLayout;
  /** The module name each replacement stands in for, by the replacement's absolute path. */
  replacementPaths: ReadonlyMap<string, string>;
}

/** The given files, the grader's modules and the child's entry of `assignment`, laid out as `layout` says. */
export async function precompileModules(assignment: AssignmentDefinition, layout: ModuleLayout): Promise<PrecompiledModules> {
  const { modules } = frameworkFiles(assignment);
  const stubs = assignment.stubs ?? {};
  const leftOut = new Set([...(assignment.leaveOut ?? []), ...Object.keys(stubs)]);
  // The replacements of every part: an oracle that imports one gets the part folder's module.
  const replacementPaths = new Map<string, string>();
  for (const part of assignment.parts) {
    for (const [name, path] of Object.entries(part.bundle?.replace ?? {})) replacementPaths.set(resolvePath(path), name);
  }
  const imports: GraderImports = { layout, replacementPaths };

  const names = [...modules].filter((name) => !leftOut.has(name));
  const given = new Map(await Promise.all(names.map(async (name) => [name, await compileGivenModule(assignment, layout, name)] as const)));
  const entries = new Map<string, string | undefined>();
  for (const part of assignment.parts) {
    if (!part.bundle) continue;
    entries.set(resolvePath(part.bundle.oracle), undefined);
    for (const [name, path] of Object.entries(part.bundle.replace ?? {})) entries.set(resolvePath(path), name);
  }
  for (const path of Object.values(stubs)) entries.set(resolvePath(path), undefined);
  const graderModules = new Map(
    await Promise.all([...entries].map(async ([path, self]) => [path, await compileGraderModule(path, imports, self)] as const)),
  );
  const paths = Object.fromEntries([...modules].map((name) => [name, layout.importPath(name)]));
  const checkedImport = await compileGraderModule(join(UNTRUSTED, `${CHECKED_IMPORT}.ts`), imports, undefined, {
    FRAMEWORK_MODULE_PATHS: JSON.stringify(paths),
  });
  const childMain = (await esbuild.build({ ...COMPILE_OPTIONS, entryPoints: [join(UNTRUSTED, 'child-main.ts')] })).outputFiles[0].text;
  return { given, graderModules, checkedImport, childMain };
}

/** Compiles a given file, which must compile. */
async function compileGivenModule(assignment: AssignmentDefinition, layout: ModuleLayout, name: string): Promise<string> {
  const path = join(assignment.givenSources, `${name}.ts`);
  const file = `${assignment.sourceFolder}/${name}.ts`;
  const compiled = await compileFrameworkModule(readFileSync(path, 'utf8'), file, transformTrusted, layout.policy);
  if (!compiled.ok) throw new Error(`the given file ${path} does not compile: ${compiled.message}`);
  return compiled.code;
}

/**
 * Compiles one of the grader's untrusted entry files (an oracle, a replacement, a stub, the
 * import check), with `define` for the constants it declares. `framework:NAME` imports reach the
 * assignment's modules; `self` is the module a replacement stands in for, whose own
 * `framework:` import means the shared original.
 */
async function compileGraderModule(
  entry: string,
  imports: GraderImports,
  self?: string,
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
          b.onResolve({ filter: /^framework:/ }, (args) => {
            const name = args.path.slice('framework:'.length);
            return { path: name === self ? `../${SHARED_DIR}/${name}.js` : imports.layout.importPath(name), external: true };
          });
          // An oracle shares state with the replacement its part uses (counters): one module, the part folder's.
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            const target = resolvePath(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
            const name = imports.replacementPaths.get(target);
            return name === undefined || target === resolvePath(entry) ? undefined : { path: `./${name}.js`, external: true };
          });
        },
      },
    ],
  });
  return result.outputFiles[0].text;
}
