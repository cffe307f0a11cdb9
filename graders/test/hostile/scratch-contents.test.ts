/**
 * What a child can read is what the parent writes into its scratch folder: the child's entry, the
 * given files, the grader's small oracles and the student's own files. Built here for every part
 * from an untouched skeleton, none of it holds a line of the reference solution, the rubric, the
 * reference answers or the trusted side's code (the checks, the hints, the expected values).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { submittedFiles, type PartBundle } from '../../src/trusted/assignment.js';
import { bundlerFor } from '../../src/trusted/bundle.js';
import { ROOT } from '../cli/run-grade.js';

/** Whitespace and semicolons removed: esbuild reformats, but keeps the tokens. */
const squash = (text: string): string => text.replace(/[\s;]+/g, '');

/** The substantial lines of every solution region of reference/ (code and Markdown answers). */
function solutionLines(): string[] {
  const lines: string[] = [];
  for (const folder of ['reference/src', 'reference/answers']) {
    for (const file of readdirSync(join(ROOT, folder))) {
      const regions = readFileSync(join(ROOT, folder, file), 'utf8')
        .split(/BEGIN SOLUTION/)
        .slice(1);
      for (const region of regions) {
        const body = region
          .split(/END SOLUTION/)[0]
          .split('\n')
          .slice(1, -1);
        lines.push(
          ...body.map((line) => line.trim()).filter((line) => squash(line).length >= 24 && !line.startsWith('//') && !line.startsWith('*')),
        );
      }
    }
  }
  return lines;
}

/** Names the trusted side exports: none of them has a reason to be in the child. */
function trustedNames(): string[] {
  const names = new Set<string>();
  for (const folder of [join(ROOT, 'graders', 'src', 'trusted'), join(ROOT, 'graders', 'src', 'assignments', 'assignment-11', 'trusted')]) {
    for (const file of readdirSync(folder, { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue;
      for (const match of readFileSync(join(folder, file), 'utf8').matchAll(/export (?:async )?function (\w+)/g)) names.add(match[1]);
    }
  }
  return [...names];
}

describe('the scratch folder of an untouched skeleton', () => {
  it('holds nothing of the reference solution, the rubric or the trusted checks', async () => {
    const skeleton = new Map(
      submittedFiles(assignment)
        .filter((f) => f.startsWith('src/'))
        .map((f) => [f, readFileSync(join(ROOT, 'skeleton', f), 'utf8')]),
    );
    const bundler = bundlerFor(assignment);
    const written = new Map<string, string>([['child.mjs', await bundler.childMain()]]);
    for (const [name, code] of await bundler.sharedModules()) written.set(`given/${name}`, code);
    const bundles = new Map<string, PartBundle>(
      assignment.parts.flatMap((part) => (part.bundle ? [[part.bundle.name, part.bundle] as const] : [])),
    );
    for (const spec of bundles.values()) {
      const outcome = await bundler.bundlePart(spec, skeleton);
      if (!outcome.ok) throw new Error(outcome.message);
      for (const [name, code] of outcome.files) written.set(`${spec.name}/${name}`, code);
    }
    const squashed = [...written].map(([name, code]) => [name, squash(code)] as const);

    const lines = solutionLines();
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      for (const [name, code] of squashed) expect(code.includes(squash(line)), `${name} holds the solution line "${line}"`).toBe(false);
    }
    const rubric = readFileSync(join(ROOT, 'graders', 'rubric.json'), 'utf8');
    for (const [name, code] of written) {
      expect(code.includes(JSON.parse(rubric).name), `${name} names the rubric`).toBe(false);
      for (const trusted of trustedNames())
        expect(new RegExp(`function ${trusted}\\(`).test(code), `${name} defines the trusted ${trusted}`).toBe(false);
    }
  });
});
