/**
 * `npx tsx tools/docs/cli-reference.ts [--write]`: the option tables of docs/cli.md, rendered from
 * the tables the commands parse their options with (graders/src/cli/grade-options.ts,
 * graders/src/integrations/pr-options.ts). A page holds each between markers,
 * `<!-- generated: grade-options -->` ... `<!-- /generated -->`; this checks that each is as the
 * code renders it (exit 1 when one is not) and, with `--write`, rewrites them first.
 * graders/test/cli/cli-reference.test.ts runs the same check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GRADE_OPTIONS } from '../../graders/src/cli/grade-options.js';
import { optionReference } from '../../graders/src/cli/option-reference.js';
import { PR_OPTIONS } from '../../graders/src/integrations/pr-options.js';
import { ROOT } from './doc-files.js';

export const CLI_REFERENCE_PATH = join(ROOT, 'docs', 'cli.md');

/** A part id the reference's descriptions show as an example (`--only Q3.k1`). */
const EXAMPLE_PART = 'Q3.k1';

/** Each generated block of docs/cli.md by its marker's name. */
export const GENERATED_BLOCKS: Readonly<Record<string, () => string>> = {
  'grade-options': () => optionReference(GRADE_OPTIONS, EXAMPLE_PART),
  'pr-options': () => optionReference(PR_OPTIONS, EXAMPLE_PART),
};

const BLOCK = /(<!-- generated: ([a-z-]+) -->\n)[\s\S]*?(<!-- \/generated -->)/g;

/** `markdown` with every generated block as the code renders it; throws for a block this file does not know. */
export function withReferenceWritten(markdown: string): string {
  return markdown.replace(BLOCK, (_whole, open: string, name: string, close: string) => {
    const render = GENERATED_BLOCKS[name];
    if (!Object.hasOwn(GENERATED_BLOCKS, name)) throw new Error(`docs/cli.md: no generated block is named "${name}"`);
    return `${open}${render()}${close}`;
  });
}

/** The names of the generated blocks `markdown` holds, in order. */
export function generatedBlockNames(markdown: string): string[] {
  return [...markdown.matchAll(BLOCK)].map((match) => match[2]);
}

export function main(argv: readonly string[]): number {
  const unknown = argv.filter((arg) => arg !== '--write');
  if (unknown.length > 0) {
    process.stderr.write(`cli-reference: unknown argument ${unknown[0]}; the only option is --write\n`);
    return 2;
  }
  const text = readFileSync(CLI_REFERENCE_PATH, 'utf8');
  const written = withReferenceWritten(text);
  if (written === text) {
    process.stdout.write('the option tables of docs/cli.md agree with the code\n');
    return 0;
  }
  if (argv.includes('--write')) {
    writeFileSync(CLI_REFERENCE_PATH, written);
    process.stdout.write('rewrote the option tables of docs/cli.md\n');
    return 0;
  }
  process.stdout.write('docs/cli.md: the option tables differ from the code; run npx tsx tools/docs/cli-reference.ts --write\n');
  return 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
