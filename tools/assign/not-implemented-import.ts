/**
 * A TypeScript file whose solution regions became `throw new NotImplemented(...)` must import
 * `NotImplemented`. The import is added after the file's last import so that nothing else moves.
 */
import { posix } from 'node:path';
import ts from 'typescript';

/** Where the class lives, relative to the package root (reference/ or skeleton/). */
const NOT_IMPLEMENTED_MODULE = 'src/not-implemented.js';

/** The module specifier of not-implemented.js as seen from `fileName` (a path from the package root). */
export function notImplementedSpecifier(fileName: string): string {
  const relative = posix.relative(posix.dirname(fileName), NOT_IMPLEMENTED_MODULE);
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function importsNotImplemented(declaration: ts.ImportDeclaration): boolean {
  const clause = declaration.importClause;
  const bindings = clause?.namedBindings;
  if (clause === undefined || clause.isTypeOnly || bindings === undefined || !ts.isNamedImports(bindings)) return false;
  return bindings.elements.some((element) => element.name.text === 'NotImplemented' && !element.isTypeOnly);
}

/**
 * Where a statement starts together with the comments that belong to it: those right above it, with
 * no blank line in between (its doc comment). A comment that a blank line separates is the file's header.
 */
function startOfStatementWithItsComments(text: string, fullStart: number, start: number): number {
  let at = start;
  for (const comment of [...(ts.getLeadingCommentRanges(text, fullStart) ?? [])].reverse()) {
    if (/\n[ \t\r]*\n/.test(text.slice(comment.end, at))) break;
    at = comment.pos;
  }
  return at;
}

/** `text` with `import { NotImplemented } from '...';` added, unless it imports it already. */
export function ensureNotImplementedImport(text: string, fileName: string): string {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const imports = source.statements.filter(ts.isImportDeclaration);
  if (imports.some(importsNotImplemented)) return text;

  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const statement = `import { NotImplemented } from '${notImplementedSpecifier(fileName)}';`;
  const last = imports.at(-1);
  if (last === undefined) {
    // No imports: put it before the first statement, after the file's header comment.
    const first = source.statements[0];
    const at = first === undefined ? text.length : startOfStatementWithItsComments(text, first.getFullStart(), first.getStart(source));
    return `${text.slice(0, at)}${statement}${eol}${eol}${text.slice(at)}`;
  }
  // After the line that ends the last import, so that a comment trailing it stays on its line.
  const lineEnd = text.indexOf('\n', last.end);
  if (lineEnd === -1) return `${text}${eol}${statement}`;
  return `${text.slice(0, lineEnd + 1)}${statement}${eol}${text.slice(lineEnd + 1)}`;
}
