/**
 * Incremental regrade: an unchanged submission is not run again, a changed one is, and --force
 * reruns everything; the results are the same either way.
 */
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import { runGrade } from './run-grade.js';

const ranIds = (out: string): string[] => {
  const timings = JSON.parse(readFileSync(join(out, 'timings.json'), 'utf8')) as Record<string, { cached: boolean }>;
  return Object.entries(timings)
    .filter(([, t]) => !t.cached)
    .map(([id]) => id)
    .sort();
};

describe('grade on unchanged submissions', () => {
  it('runs only what changed, and --force runs everything', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'regrade-'));
    const out = mkdtempSync(join(tmpdir(), 'regrade-out-'));
    const [complete, , addBug] = DEMO_VARIANTS;
    writeSubmission(complete, join(folder, 'alice'));
    writeSubmission(addBug, join(folder, 'bob'));
    const folders = [join(folder, 'alice'), join(folder, 'bob')];

    const first = await runGrade(folders, { out });
    expect(first.exitCode).toBe(0);
    expect(ranIds(out)).toEqual(['alice', 'bob']);
    const results = first.resultsText();

    const second = await runGrade(folders, { out });
    expect(second.stdout).toMatch(/\(0 run, 2 unchanged\); reports in .* \(unchanged,/);
    expect(ranIds(out)).toEqual([]);
    expect(second.resultsText()).toBe(results);

    appendFileSync(join(folder, 'bob', 'src', 'ops.ts'), '// a comment changes the content\n');
    const third = await runGrade(folders, { out });
    expect(third.stdout).toMatch(/\(1 run, 1 unchanged\)/);
    expect(ranIds(out)).toEqual(['bob']);
    expect(third.resultsText()).toBe(results);

    const forced = await runGrade(['--force', ...folders], { out });
    expect(forced.stdout).toMatch(/\(2 run, 0 unchanged\)/);
    expect(ranIds(out)).toEqual(['alice', 'bob']);
    expect(forced.resultsText()).toBe(results);
  }, 180_000);
});
