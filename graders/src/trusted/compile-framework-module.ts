/**
 * Compiles one framework file (given or the student's) on its own with esbuild's transform, which
 * reads no file, every import left as written; module-imports.ts then checks each specifier and
 * rewrites it to where that module is. A message names the file as the student knows it
 * (`src/ops.ts:3:7`).
 */
import * as esbuild from 'esbuild';
import { MAX_COMPILE_ERRORS, compileMessages, type TransformOutcome } from './compile-messages.js';
import { rewriteImports, type ImportPolicy, type ImportRewrite } from './module-imports.js';
import { sourcePosition } from './source-position.js';

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
export const MAX_SOURCE_BYTES = 1024 * 1024;

/** esbuild's transform, in this process or in a compile worker. */
export type Transform = (source: string, options: esbuild.TransformOptions) => Promise<TransformOutcome>;

/** A compiled module, or why it could not be; `transient` when that may be the machine's doing. */
export type Compiled = { ok: true; code: string } | { ok: false; message: string; transient?: boolean };

/** esbuild's transform in this process, for the grader's own files. */
export const transformTrusted: Transform = (source, options) =>
  esbuild.transform(source, options).then(
    (result) => ({ kind: 'compiled', code: result.code, map: result.map }),
    (error: unknown) => {
      const errors = (error as esbuild.TransformFailure).errors ?? [{ text: String(error) } as esbuild.Message];
      return { kind: 'errors', errors: compileMessages(errors) };
    },
  );

/** `file:line:column`, as editors and terminals link it; the file named as the student knows it (src/NAME.ts). */
function place(file: string, at: { line?: number; column?: number } | null): string {
  return at?.line === undefined ? file : `${file}:${at.line}:${at.column}`;
}

/**
 * Compiles one framework file (given or the student's) to a module whose imports are the ones
 * `policy` allows, rewritten to where those modules are. `file` names it in messages, e.g. "src/ops.ts".
 */
export async function compileFrameworkModule(text: string, file: string, transform: Transform, policy: ImportPolicy): Promise<Compiled> {
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
  const problems = rewritten.problems.slice(0, MAX_COMPILE_ERRORS);
  return { ok: false, message: problems.map((p) => `${where(p.offset)}: ${p.message}`).join('\n') };
}
