/**
 * The student's own modules in src/, through the real command: any ordinary name (letters, digits,
 * `_`, `-`, `.`) is read and graded with the student's files; every other entry of src/ that looks
 * like a source file, or is a folder, and every module over the cap of 20 is named on the page and
 * in results.json with the reason it was not read, never dropped silently. Names are the student's
 * bytes: the page shows them as text.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClassResult } from '../../src/trusted/result.js';
import { CORRECT_CORPUS } from '../../../tools/submissions/correct-corpus.js';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import type { Variant } from '../../../tools/submissions/variants.js';
import { fullMarks, pointsByPart, runGrade, type GradeRun } from './run-grade.js';

/** Tensor.backward imports its topological order from src/topo_sort.ts and its accumulation from src/graph.utils.ts. */
const HELPERS = CORRECT_CORPUS.find((variant) => variant.id === 'correct-topo-sort-helper-modules')!;

const file = (path: string, content = 'export const unused = 1;\n'): { file: string; content: string } => ({ file: path, content });

/** The same solution, with 20 more modules of its own (two over the cap) and entries of src/ that are not read. */
const CROWDED: Variant = {
  ...HELPERS,
  id: 'crowded',
  patches: [
    ...HELPERS.patches,
    ...Array.from({ length: 20 }, (_, i) => file(`src/zz-extra-${String(i + 1).padStart(2, '0')}.ts`)),
    file('src/bad name.ts'),
    file('src/évil.ts'),
    file('src/<img src=x onerror=alert(1)>.ts'),
    file('src/line\nbreak.ts'),
    file('src/Tensor.ts'),
    file(`src/${'a'.repeat(200)}.ts`),
    file('src/types.d.ts', 'export interface Shape2d { rows: number; cols: number }\n'),
    file('src/helper.js'),
    file('src/.scratch.ts'),
    file('src/utils/graph.ts'),
    // Imports the test framework, which graded code cannot: were it read, no part would compile.
    file('src/backward.test.ts', "import { it } from 'vitest';\nit('runs', () => {});\n"),
    // macOS's metadata next to a file, and a note: neither is a source file, so neither is named.
    file('src/._topo_sort.ts', '\u0000\u0005\u0016\u0007'),
    file('src/NOTES.md', '# what I tried\n'),
  ],
};

/** The same solution, with 45 files that are not read: 40 are named, and one line counts the others. */
const FLOODED: Variant = {
  ...HELPERS,
  id: 'flooded',
  patches: [...HELPERS.patches, ...Array.from({ length: 45 }, (_, i) => file(`src/copy ${String(i + 1).padStart(2, '0')}.ts`))],
};

const NAME_RULE =
  'name a module of yours with letters a-z and A-Z, digits, "_", "-" and "." (as in src/topo_sort.ts), ' +
  'starting with a letter, a digit or "_"';
const FOLDER = 'it is a folder: modules of yours are read only directly in src/ (src/NAME.ts), not in folders inside it';
const OVER_THE_CAP = 'at most 20 modules of your own are read from src/, the first 20 by name';

describe("the student's own modules in src/", () => {
  let run: GradeRun;
  let result: ClassResult;

  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'helper-modules-'));
    const variants = [HELPERS, CROWDED, FLOODED];
    for (const variant of variants) writeSubmission(variant, join(folder, variant.id));
    run = await runGrade(variants.map((variant) => join(folder, variant.id)));
    expect(run.exitCode, run.stderr).toBe(0);
    result = run.results();
  }, 300_000);

  it('grades a Tensor.backward that imports from src/topo_sort.ts and src/graph.utils.ts: full marks, nothing refused', () => {
    const submission = result.submissions.find((s) => s.id === HELPERS.id)!;
    expect(submission.intake).toEqual([]);
    expect(pointsByPart(result, HELPERS.id)).toEqual(fullMarks(result));
    expect(pointsByPart(result, HELPERS.id)).toMatchObject({ Q1a: 2, Q1d: 0.5 });
  });

  it('names each entry of src/ it does not read, with the reason, in results.json; the modules within the cap are graded', () => {
    const submission = result.submissions.find((s) => s.id === CROWDED.id)!;
    expect(submission.intake).toEqual([
      { file: 'src/.scratch.ts', problem: `its name starts with "." (a hidden file); ${NAME_RULE}` },
      { file: 'src/<img src=x onerror=alert(1)>.ts', problem: `its name holds "<"; ${NAME_RULE}` },
      {
        file: 'src/Tensor.ts',
        problem:
          'its name differs from the given src/tensor.ts only in case, and where case is ignored (macOS, Windows) the two are one file; ' +
          'give it a name of its own',
      },
      // Shown cut, as any name a report shows.
      { file: `src/${'a'.repeat(99)}… (83 characters cut)`, problem: "its name is 203 characters long; a module's name is at most 100" },
      { file: 'src/backward.test.ts', problem: 'it is a test file (.test.ts, .spec.ts): the grader runs its own checks, not your tests' },
      { file: 'src/bad name.ts', problem: `its name holds " "; ${NAME_RULE}` },
      { file: 'src/helper.js', problem: 'only TypeScript modules (.ts) are read; rename it to src/helper.ts' },
      { file: 'src/line\\u{a}break.ts', problem: `its name holds "\\u{a}"; ${NAME_RULE}` },
      { file: 'src/types.d.ts', problem: expect.stringMatching(/^it is a declaration file \(\.d\.ts\): the grader compiles without/) },
      { file: 'src/utils', problem: FOLDER },
      { file: 'src/zz-extra-19.ts', problem: OVER_THE_CAP },
      { file: 'src/zz-extra-20.ts', problem: OVER_THE_CAP },
      { file: 'src/évil.ts', problem: `its name holds "é"; ${NAME_RULE}` },
    ]);
    // topo_sort.ts and graph.utils.ts sort before the extra modules, so they are within the cap.
    expect(pointsByPart(result, CROWDED.id)).toEqual(fullMarks(result));
  });

  it('names at most 40 entries one by one, and says how many more there are', () => {
    const { intake } = result.submissions.find((s) => s.id === FLOODED.id)!;
    expect(intake).toHaveLength(41);
    expect(intake[39]).toEqual({ file: 'src/copy 40.ts', problem: `its name holds " "; ${NAME_RULE}` });
    expect(intake[40]).toEqual({ file: 'src/…', problem: 'and 5 more entries of src/, not named one by one here (at most 40 are)' });
    expect(pointsByPart(result, FLOODED.id)).toEqual(fullMarks(result));
  });

  it("shows each of them on the student's page, as text", () => {
    const page = readFileSync(join(run.out, `${CROWDED.id}.html`), 'utf8');
    const submission = result.submissions.find((s) => s.id === CROWDED.id)!;
    const text = (value: string): string => Handlebars.Utils.escapeExpression(value);
    for (const { file: name, problem } of submission.intake) {
      expect(page).toContain(`<code>${text(name)}</code> was not read: ${text(problem)}`);
    }
    expect(page).not.toMatch(/<img src=x/i);
    expect(page).not.toContain('line\nbreak');
  });
});
