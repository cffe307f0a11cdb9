/**
 * The imports of a compiled module, checked and rewritten. A JavaScript lexer (es-module-lexer,
 * the one Vite uses) finds every static import, `export ... from` and `import()` where the grammar
 * puts them, never inside a string, a comment or a regular expression, with the exact range of
 * each specifier. Each written specifier must be one the policy allows, and becomes the path the
 * policy gives; import attributes (`with { type: ... }`, `assert`) are refused, so nothing is ever
 * loaded as text, JSON or bytes. An `import()` whose specifier is computed goes through the
 * policy's run-time check, which applies the same rule when the value is known.
 */
import { ImportType, init, parse } from 'es-module-lexer';

export interface ImportPolicy {
  /** Where the compiled module finds an allowed specifier; null when it is refused. */
  resolve(specifier: string): string | null;
  /** Why a specifier is refused, said after `cannot import "X": ` (X as a JSON string). */
  allowed: string;
  /** The module exporting `checkedImport(importer's import.meta, where, specifier)`, for computed `import()`s. */
  checkedImport: string;
}

/** A refused import, at an offset of the compiled code. */
export interface ImportProblem {
  offset: number;
  message: string;
}

export type ImportRewrite = { ok: true; code: string } | { ok: false; problems: ImportProblem[] };

/** The local name of the run-time check; unlikely to be one of the student's own. */
const CHECKED_IMPORT = '__checkedImport$';

const ready = init;

const AS_CODE = 'modules are imported as code only';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Whether import attributes follow a static import's specifier (the lexer reports `with`, not `assert` or `with {}`). */
function hasAttributes(code: string, attributeStart: number, specifierEnd: number): boolean {
  return attributeStart > -1 || /^\s*(?:with|assert)\b/.test(code.slice(specifierEnd + 1));
}

/**
 * Checks every import of `code` (esbuild's output for one module) and rewrites its specifiers.
 * `where` names a place of `code` as the student wrote it (`src/ops.ts:12:5`), for the run-time check.
 */
export async function rewriteImports(code: string, policy: ImportPolicy, where: (offset: number) => string): Promise<ImportRewrite> {
  await ready;
  const [imports] = parse(code);
  const problems: ImportProblem[] = [];
  const edits: Edit[] = [];
  const refuse = (offset: number, message: string): void => {
    problems.push({ offset, message });
  };
  let computed = false;
  for (const entry of imports) {
    if (entry.t === ImportType.ImportMeta) continue;
    if (entry.t === ImportType.Static) {
      const path = policy.resolve(entry.n!);
      const cannot = `cannot import ${JSON.stringify(entry.n)}`;
      if (path === null) refuse(entry.ss, `${cannot}: ${policy.allowed}`);
      else if (hasAttributes(code, entry.a, entry.e)) refuse(entry.ss, `${cannot} with import attributes (with { ... }): ${AS_CODE}`);
      else edits.push({ start: entry.s, end: entry.e, text: path });
    } else if (entry.t === ImportType.Dynamic) {
      if (entry.a > -1) {
        refuse(entry.ss, `import() takes one argument: import attributes (with { ... }) are not allowed, ${AS_CODE}`);
      } else if (entry.n !== undefined) {
        const path = policy.resolve(entry.n);
        if (path === null) refuse(entry.ss, `cannot import ${JSON.stringify(entry.n)}: ${policy.allowed}`);
        else edits.push({ start: entry.s, end: entry.e, text: JSON.stringify(path) });
      } else {
        // `import(x)` becomes `__checkedImport$(import.meta, "src/NAME.ts:line:column", x)`. (Not `.url`
        // here: the grader's own build replaces that text in its sources with each source's URL.)
        edits.push({ start: entry.ss, end: entry.d + 1, text: `${CHECKED_IMPORT}(import.meta, ${JSON.stringify(where(entry.ss))}, ` });
        computed = true;
      }
    } else {
      refuse(entry.ss, 'source and defer phase imports are not allowed: use import ... from "./name.js"');
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  let rewritten = '';
  let at = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    rewritten += code.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  rewritten += code.slice(at);
  // An import declaration is hoisted: at the end, it leaves every line of the module where it was.
  if (computed) rewritten += `import { checkedImport as ${CHECKED_IMPORT} } from ${JSON.stringify(policy.checkedImport)};\n`;
  return { ok: true, code: rewritten };
}
