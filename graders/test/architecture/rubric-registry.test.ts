/**
 * The rubric is checked against the assignment's registry when it is loaded: a misspelt part id,
 * a misspelt check id, a part left out and manual points where no TA text exists are refused at
 * once, naming the file, the field and the valid ids; through the real command, exit code 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { loadRubric } from '../../src/trusted/load-rubric.js';
import { ROOT, runGrade } from '../cli/run-grade.js';

interface RubricJson {
  parts: { id: string; max: number; checks?: { id: string; points: number }[]; manual?: unknown }[];
}

/** The Assignment 11 rubric with `change` applied, written to a temporary file. */
function rubricWith(change: (rubric: RubricJson) => void): string {
  const rubric = JSON.parse(readFileSync(assignment.rubric, 'utf8')) as RubricJson;
  change(rubric);
  const path = join(mkdtempSync(join(tmpdir(), 'rubric-')), 'rubric.json');
  writeFileSync(path, JSON.stringify(rubric));
  return path;
}

const part = (rubric: RubricJson, id: string) => rubric.parts.find((p) => p.id === id)!;

describe('loadRubric against the registry', () => {
  it('loads the rubric, with titles and files from the registry', () => {
    const rubric = loadRubric(assignment);
    expect(rubric.parts.map((p) => p.id)).toEqual(assignment.parts.map((p) => p.id));
    expect(rubric.parts.find((p) => p.id === 'Q1b.Add')).toMatchObject({ title: 'Q1(b) Add.backwardRule', file: 'src/ops.ts' });
  });

  it('refuses a misspelt part id and names the valid ones', () => {
    const path = rubricWith((r) => (part(r, 'Q1b.Add').id = 'Q1b.Ad'));
    expect(() => loadRubric(assignment, path)).toThrow(
      /parts\.2\.id: Assignment 11 has no part "Q1b\.Ad" \(did you mean "Q1b\.Add"\?\); its parts are Q1a, Q1b\.ReduceMean, Q1b\.Add/,
    );
    expect(() => loadRubric(assignment, path)).toThrow(
      new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not fit Assignment 11`),
    );
  });

  it('refuses a misspelt check id and names the valid ones', () => {
    const path = rubricWith((r) => (part(r, 'Q2.kernel').checks![1].id = 'strided2'));
    expect(() => loadRubric(assignment, path)).toThrow(
      /checks\.1\.id: no check "strided2" \(did you mean "strided"\?\); the checks of Q2\.kernel are stride-1, strided/,
    );
    expect(() => loadRubric(assignment, path)).toThrow(/Q2\.kernel must give points to strided/);
  });

  it('refuses a rubric without one of the parts, and manual points where no text for a TA exists', () => {
    const missing = rubricWith((r) => (r.parts = r.parts.filter((p) => p.id !== 'Q1c')));
    expect(() => loadRubric(assignment, missing)).toThrow(/parts: Q1c of Assignment 11 is missing/);
    const manual = rubricWith((r) =>
      Object.assign(part(r, 'Q1c'), { max: 1.5, manual: { points: 0.5, file: 'answers/q1c.md', what: 'a comment' } }),
    );
    expect(() => loadRubric(assignment, manual)).toThrow(/parts\.\d+\.manual: Q1c has no text for a TA to score/);
  });

  it('refuses a part a TA scores alone (Q2.derivation) when the rubric gives it no manual points', () => {
    const path = rubricWith((r) => {
      delete part(r, 'Q2.derivation').manual;
      part(r, 'Q2.derivation').max = 0;
      part(r, 'Q2.kernel').max = 4;
      part(r, 'Q2.kernel').checks = [
        { id: 'stride-1', points: 3 },
        { id: 'strided', points: 1 },
      ];
    });
    expect(() => loadRubric(assignment, path)).not.toThrow(); // worth nothing, it may go without
    const unscored = rubricWith((r) => delete part(r, 'Q2.derivation').manual);
    expect(() => loadRubric(assignment, unscored)).toThrow(/checks \(0\) and manual points \(0\) must add up to max \(2\)/);
    const checked = rubricWith((r) =>
      Object.assign(part(r, 'Q2.derivation'), { manual: undefined, checks: [{ id: 'by-hand', points: 2 }] }),
    );
    expect(() => loadRubric(assignment, checked)).toThrow(/no check "by-hand"; Q2\.derivation has no checks to give points to/);
    expect(() => loadRubric(assignment, checked)).toThrow(
      /parts\.\d+: Q2\.derivation is scored by a TA alone; give its points as manual \("manual": \{ "points": 2, "file": "answers\/q2\.md"/,
    );
  });

  it('stops the command with exit code 2 and the message', async () => {
    const path = rubricWith((r) => (part(r, 'Q1b.Add').id = 'Q1b.Ad'));
    const run = await runGrade(['--rubric', path, join(ROOT, 'submissions', 'complete')]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/has no part "Q1b\.Ad" \(did you mean "Q1b\.Add"\?\)/);
  });
});
