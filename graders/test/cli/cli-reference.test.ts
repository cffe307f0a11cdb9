/**
 * docs/cli.md cannot drift from the code: its option tables are the ones the commands' option
 * tables render (tools/docs/cli-reference.ts), and its list of error codes holds every code the
 * source can raise, and no other. Each check is also run on a page made to break it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { GRADE_OPTIONS } from '../../src/cli/grade-options.js';
import { optionLabel } from '../../src/cli/option-table.js';
import { CLI_REFERENCE_PATH, GENERATED_BLOCKS, generatedBlockNames, withReferenceWritten } from '../../../tools/docs/cli-reference.js';
import { ROOT } from './run-grade.js';

const SOURCES = join(ROOT, 'graders', 'src');

/** Every error code the source gives an error (a quoted `'E_...'`), with the files that give it. */
function codesInSource(): Map<string, string[]> {
  const codes = new Map<string, string[]>();
  const files = readdirSync(SOURCES, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  for (const file of files) {
    for (const [, code] of readFileSync(join(SOURCES, file), 'utf8').matchAll(/['"`](E_[A-Z0-9_]+)['"`]/g)) {
      codes.set(code, [...(codes.get(code) ?? []), file]);
    }
  }
  return codes;
}

/** The codes a page explains: the first cell of a row of its error code tables (`| \`E_...\` | ...`). */
function codesInDocs(markdown: string): string[] {
  return [...markdown.matchAll(/^\| `(E_[A-Z0-9_]+)` \|/gm)].map((match) => match[1]);
}

describe('docs/cli.md', () => {
  const page = readFileSync(CLI_REFERENCE_PATH, 'utf8');

  it('holds the option tables as the code renders them', () => {
    expect(generatedBlockNames(page)).toEqual(Object.keys(GENERATED_BLOCKS));
    expect(withReferenceWritten(page), 'run npx tsx tools/docs/cli-reference.ts --write').toBe(page);
    for (const [name, option] of Object.entries(GRADE_OPTIONS)) expect(page).toContain(`| \`${optionLabel(name, option)}\` |`);
  });

  it('sees an option table that lags behind the code', () => {
    const stale = page.replace('| where to write the reports |', '| where the reports go |');
    expect(stale).not.toBe(page);
    expect(withReferenceWritten(stale)).toBe(page);
    expect(() => withReferenceWritten('<!-- generated: no-such-table -->\n<!-- /generated -->')).toThrow(/no-such-table/);
  });

  it('explains every error code the source can raise, once, and no code the source does not have', () => {
    const source = codesInSource();
    const documented = codesInDocs(page);
    expect(source.size).toBeGreaterThan(30);
    expect(source.has('E_RUBRIC_INVALID') && source.has('E_MANUAL_GRADES_HEADER') && source.has('E_USAGE_UNKNOWN_OPTION')).toBe(true);
    expect(
      documented.filter((code, i) => documented.indexOf(code) !== i),
      'listed twice',
    ).toEqual([]);
    const undocumented = [...source].filter(([code]) => !documented.includes(code)).map(([code, files]) => `${code} (${files.join(', ')})`);
    expect(undocumented, 'raised but not in docs/cli.md').toEqual([]);
    expect(
      documented.filter((code) => !source.has(code)),
      'in docs/cli.md but never raised',
    ).toEqual([]);
  });

  it('agrees with tools/docs/cli-reference.ts, run as a developer runs it', async () => {
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const run = await execa(tsx, [join(ROOT, 'tools', 'docs', 'cli-reference.ts')], { cwd: ROOT, reject: false });
    expect(run.exitCode, run.stdout).toBe(0);
  });
});
