/**
 * `npx tsx tools/docs/check-doc-counts.ts [--write]`: checks the counts that README.md and docs/*.md
 * state between `<!-- count: NAME -->` markers against the code (doc-counts.ts), and that no such
 * count is written without them. Prints each problem with its file and line and exits 1 on any;
 * with `--write`, first sets every marked count to its value. graders/test/docs/docs.test.ts runs
 * the same check.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, docFiles } from './doc-files.js';
import { countProblems, withCountsWritten } from './doc-counts.js';

export function main(argv: readonly string[]): number {
  const write = argv.includes('--write');
  const unknown = argv.filter((arg) => arg !== '--write');
  if (unknown.length > 0) {
    process.stderr.write(`check-doc-counts: unknown argument ${unknown[0]}; the only option is --write\n`);
    return 2;
  }
  if (write) {
    for (const doc of docFiles()) {
      const written = withCountsWritten(doc.text);
      if (written !== doc.text) {
        writeFileSync(join(ROOT, doc.path), written);
        process.stdout.write(`updated the counts in ${doc.path}\n`);
      }
    }
  }
  const problems = docFiles().flatMap(countProblems);
  for (const problem of problems) process.stdout.write(`${problem.where}: ${problem.message}\n`);
  if (problems.length === 0) process.stdout.write('every count in README.md and docs/ agrees with the code\n');
  return problems.length === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
