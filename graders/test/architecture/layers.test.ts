/**
 * The layout's rules, checked on the sources: the harness (graders/src outside assignments/)
 * knows no assignment (it neither imports one nor names one of Assignment 11's part ids), the
 * reports import no checks, the child's code imports nothing of the trusted side, and no module
 * imports itself through a cycle, type imports included (graders/src and reference/src); and no
 * source file in graders/src is longer than 300 lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { ROOT } from '../cli/run-grade.js';

const SOURCES = join(ROOT, 'graders', 'src');
const ASSIGNMENTS = join(SOURCES, 'assignments');

function filesUnder(folder: string): string[] {
  return (readdirSync(folder, { recursive: true }) as string[])
    .filter((f) => /\.(ts|hbs|js|css)$/.test(f))
    .map((f) => join(folder, f))
    .sort();
}

/** The modules `file` imports by relative path (static, type-only and literal dynamic imports), resolved to .ts files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+['"](\.{1,2}\/[^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]);
  return specifiers.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

function cycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => files.includes(i))]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(ROOT, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

const harness = filesUnder(SOURCES).filter((f) => !f.startsWith(ASSIGNMENTS));

/** The longest a source file may be: longer ones are split into files of one concern. */
const MAX_LINES = 300;

/** Lines as an editor counts them: a final newline ends the last line, it does not start another. */
const linesOf = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

describe('the layers of the graders', () => {
  it("the harness names none of Assignment 11's part ids", () => {
    const ids = assignment.parts.map((part) => part.id);
    expect(ids.length).toBeGreaterThan(10);
    const pattern = new RegExp(`(?<![\\w.])(${ids.map((id) => id.replace('.', '\\.')).join('|')})(?![\\w])|\\bQ[1-3]\\b`);
    const naming = harness.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(naming).toEqual([]);
  });

  it('the harness imports no assignment', () => {
    const importing = harness.filter((f) => importsOf(f).some((i) => i.startsWith(ASSIGNMENTS))).map((f) => relative(ROOT, f));
    expect(importing).toEqual([]);
  });

  it("the reports import no checks, and the child's code nothing of the trusted side", () => {
    const reports = harness.filter((f) => f.includes('/trusted/reports/'));
    expect(reports.filter((f) => importsOf(f).some((i) => i.includes('/checks/'))).map((f) => relative(ROOT, f))).toEqual([]);
    const child = filesUnder(SOURCES).filter((f) => f.includes('/untrusted/'));
    expect(
      child.filter((f) => importsOf(f).some((i) => i.includes('/trusted/') && !i.includes('/untrusted/'))).map((f) => relative(ROOT, f)),
    ).toEqual([]);
  });

  it('has no import cycles in graders/src or reference/src', () => {
    const files = [...filesUnder(SOURCES), ...filesUnder(join(ROOT, 'reference', 'src'))].filter((f) => f.endsWith('.ts'));
    expect(cycles(files)).toEqual([]);
  });

  it(`has no .ts file in graders/src longer than ${MAX_LINES} lines`, () => {
    const sources = filesUnder(SOURCES).filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(50);
    const tooLong = sources
      .map((f) => ({ file: relative(ROOT, f), lines: linesOf(readFileSync(f, 'utf8')) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(tooLong, 'split these into files of one concern').toEqual([]);
  });
});
