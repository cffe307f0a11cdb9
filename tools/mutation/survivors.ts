/**
 * Last step of `npm run mutation`: the score and every mutant that survived or timed out, from
 * Stryker's JSON report, with the line it changed, so that each can be explained in
 * graders/test/corpus/MUTATION.md (equivalent, and why) or answered with a new check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
  killedBy?: string[];
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
  testFiles?: Record<string, { tests: { id: string; name: string }[] }>;
}

/** The report named on the command line (reports/mutation/NAME.json), `mutation` by default. */
const name = process.argv[2] ?? 'mutation';
const report = JSON.parse(readFileSync(join(ROOT, 'reports', 'mutation', `${name}.json`), 'utf8')) as Report;
const counts = new Map<string, number>();
const notKilled: string[] = [];
const killers = new Map<string, number>();
const testNames = new Map(
  Object.values(report.testFiles ?? {}).flatMap((f) => f.tests.map((t) => [t.id, t.name.split(' ').pop() ?? t.name] as const)),
);
for (const [file, { source, mutants }] of Object.entries(report.files)) {
  const lines = source.split('\n');
  for (const mutant of mutants) {
    counts.set(mutant.status, (counts.get(mutant.status) ?? 0) + 1);
    for (const test of mutant.killedBy ?? []) {
      const part = testNames.get(test) ?? test;
      killers.set(part, (killers.get(part) ?? 0) + 1);
    }
    if (mutant.status === 'Killed' || mutant.status === 'Timeout') continue;
    const { start, end } = mutant.location;
    const original =
      start.line === end.line
        ? lines[start.line - 1].slice(start.column - 1, end.column - 1)
        : `${lines[start.line - 1].slice(start.column - 1)} ...`;
    notKilled.push(
      `${mutant.status} #${mutant.id} ${file}:${start.line}:${start.column} ${mutant.mutatorName}\n    ${original.trim()}\n    -> ${(mutant.replacement ?? '').trim()}`,
    );
  }
}
const killed = (counts.get('Killed') ?? 0) + (counts.get('Timeout') ?? 0);
const valid = killed + (counts.get('Survived') ?? 0) + (counts.get('NoCoverage') ?? 0);
process.stdout.write(`mutants: ${[...counts].map(([status, n]) => `${status} ${n}`).join(', ')}\n`);
process.stdout.write(`mutation score: ${killed} of ${valid} = ${((100 * killed) / Math.max(1, valid)).toFixed(2)}%\n`);
process.stdout.write(`killed by (the part that lost points first): ${[...killers].map(([part, n]) => `${part} ${n}`).join(', ')}\n`);
process.stdout.write(notKilled.length === 0 ? 'no survivors\n' : `${notKilled.join('\n')}\n`);
