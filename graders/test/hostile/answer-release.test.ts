/**
 * Answers released on purpose. Q3's answers are exact numbers a student could copy, so by default
 * no output a student can see holds one: not the pages, results.json, the result cache (in --out,
 * which the pull-request workflow uploads whole as its artifact), grades.csv, junit.xml, the
 * Markdown summary (the pull request's job summary), Gradescope's or GitHub Classroom's results,
 * nor what the command prints. They still mark which entries are wrong. After the deadline a TA
 * runs `grade --release-answers`, and the students' pages show the expected matrices.
 *
 * Graded through the real CLI in every format: the untouched skeleton (nothing filled in) and a
 * Q3 with one wrong entry in every row of k1 and one in k2 (which gets a hint). Every file under
 * --out is searched for the expected rows, written the ways a report could write them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import type { Variant } from '../../../tools/submissions/variants.js';
import type { ClassResult, MatrixComparison } from '../../src/trusted/result.js';
import { ROOT, runGrade, type GradeRun } from '../cli/run-grade.js';

const FORMATS = 'html,csv,json,junit,markdown,gradescope,classroom';
const ANSWERS = JSON.parse(readFileSync(join(ROOT, 'reference', 'answers', 'q3.json'), 'utf8')) as { k1: number[][]; k2: number[][] };
const UNTOUCHED = join(ROOT, 'submissions', 'untouched-skeleton');

/** Each answer with the entries at `slips` one more than right (the student's arithmetic slips). */
function slipped(matrix: number[][], slips: [number, number][]): number[][] {
  return matrix.map((row, i) => row.map((x, j) => (slips.some(([r, c]) => r === i && c === j) ? x + 1 : x)));
}
const PARTLY_WRONG = {
  k1: slipped(
    ANSWERS.k1,
    ANSWERS.k1.map((_, i) => [i, i]),
  ),
  k2: slipped(ANSWERS.k2, [[1, 1]]),
};
const PARTLY_WRONG_VARIANT: Variant = {
  id: 'partly-wrong-q3',
  mistake: 'Q3 with one wrong entry in every row of k1 and one in k2',
  fromSkeleton: true,
  patches: [{ file: 'answers/q3.json', content: `${JSON.stringify(PARTLY_WRONG, null, 2)}\n` }],
  expectedPoints: {},
};

/**
 * Text as a report could hold it, reduced to numbers between commas: classroom's base64 decoded,
 * HTML tags, brackets, whitespace and any separator (`,` `;` `|` tab) made one comma, a Unicode
 * minus made `-`. "[-1, -1, -4]", "-1;-1;-4", "<td>-1</td><td>-1</td><td>-4</td>" and a
 * pretty-printed JSON array all become ",-1,-1,-4,".
 */
function normalised(text: string): string {
  const words = text
    .replace(/<[^>]*>/g, ',')
    .replace(/&#x2D;|&#45;|&minus;|\u2212/gi, '-')
    .replace(/[\s,;|[\](){}"':]+/g, ',');
  return `,${words},`;
}

/** A row is worth searching for when it could not turn up by chance: four or more entries, one negative or of two digits. */
function distinctiveRows(matrix: number[][]): number[][] {
  return matrix.filter((row) => row.length >= 4 && row.some((x) => x < 0 || Math.abs(x) >= 10));
}

/** What a file under --out says, as text (classroom's results are base64 of JSON). */
function fileText(path: string): string {
  const raw = readFileSync(path, 'utf8');
  return path.endsWith('.b64') ? `${raw}\n${Buffer.from(raw.trim(), 'base64').toString('utf8')}` : raw;
}

/** Every file under `folder` (the cache and the per-submission folders included), by relative path. */
function everyFile(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of readdirSync(folder, { recursive: true }) as string[]) {
    const path = join(folder, file);
    if (statSync(path).isFile()) files.set(file, fileText(path));
  }
  return files;
}

/** The expected rows and "expected N" values found in `text`, each as a short description. */
function leaksIn(text: string, rows: number[][]): string[] {
  const words = normalised(text);
  const found = rows.filter((row) => words.includes(`,${row.join(',')},`)).map((row) => `row [${row.join(', ')}]`);
  const value = /,expected,(-?\d+(?:\.\d+)?),/i.exec(words);
  return value ? [...found, `"expected ${value[1]}"`] : found;
}

/** Every Q3 matrix comparison in a class result. */
function q3Matrices(result: ClassResult): MatrixComparison[] {
  return result.submissions.flatMap((s) => s.parts.filter((p) => p.id.startsWith('Q3.')).flatMap((p) => p.checks.map((c) => c.matrix!)));
}

describe('answers released on purpose (grade --release-answers)', () => {
  let base: string;
  let partlyWrong: string;
  let withheld: GradeRun;
  let withheldFiles: Map<string, string>;
  let released: GradeRun;
  const expectedRows = [...distinctiveRows(ANSWERS.k1), ...distinctiveRows(ANSWERS.k2)];
  // Rows the student got right are the student's own: every other expected row is searched for.
  const written = [...PARTLY_WRONG.k1, ...PARTLY_WRONG.k2].map((row) => row.join());
  const rows = expectedRows.filter((row) => !written.includes(row.join()));

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'answer-release-'));
    partlyWrong = join(base, 'submissions', PARTLY_WRONG_VARIANT.id);
    writeSubmission(PARTLY_WRONG_VARIANT, partlyWrong);
    const out = join(base, 'out');
    withheld = await runGrade(['--format', FORMATS, UNTOUCHED, partlyWrong], { out });
    withheldFiles = everyFile(out);
    // The same folder: the cached results (answers withheld) must not stand in for released ones.
    released = await runGrade(['--format', FORMATS, '--release-answers', UNTOUCHED, partlyWrong], { out });
  }, 300_000);

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('searches for every expected row of k1 and the one of k2 with a wrong entry', () => {
    expect(rows).toEqual([...ANSWERS.k1, ANSWERS.k2[1]]);
  });

  it('by default writes no expected Q3 value to any file under --out, the cache included, nor prints one', () => {
    expect(withheld.exitCode, withheld.stderr).toBe(0);
    expect([...withheldFiles.keys()].some((file) => file.startsWith('.cache/'))).toBe(true);
    expect([...withheldFiles.keys()].filter((file) => /^(gradescope|classroom)\//.test(file))).toHaveLength(4);
    for (const [file, text] of withheldFiles) expect(leaksIn(text, rows), file).toEqual([]);
    expect(leaksIn(`${withheld.stdout}\n${withheld.stderr}`, rows)).toEqual([]);
  });

  it('by default still marks the wrong entries, and says that the answers are withheld', () => {
    const result = JSON.parse(withheldFiles.get('results.json')!) as ClassResult;
    const wrong = result.submissions.find((s) => s.id === PARTLY_WRONG_VARIANT.id)!;
    const k1 = wrong.parts.find((p) => p.id === 'Q3.k1')!.checks[0];
    expect(k1.matrix).toEqual({ got: PARTLY_WRONG.k1, wrong: ANSWERS.k1.map((row, i) => row.map((_, j) => i === j)) });
    const k2 = wrong.parts.find((p) => p.id === 'Q3.k2')!.checks[0];
    expect(k2).toMatchObject({ message: '15 of 16 entries are right', diagnosis: 'arithmetic-slip' });
    expect(q3Matrices(result).every((matrix) => !('expected' in matrix))).toBe(true);
    const page = withheldFiles.get(`${PARTLY_WRONG_VARIANT.id}.html`)!;
    expect(page).toContain('6 of 36 entries are wrong; they are marked ✗ in your answer.');
    expect(page).toContain('The expected values are not shown until your TA releases the answers.');
    expect(page).not.toContain('<caption>Expected</caption>');
  });

  it('with --release-answers grades again (the option is in the cache key) and shows the expected matrices on the pages', () => {
    expect(released.exitCode, released.stderr).toBe(0);
    const timings = JSON.parse(readFileSync(join(released.out, 'timings.json'), 'utf8')) as Record<string, { cached: boolean }>;
    expect(Object.values(timings).map((t) => t.cached)).toEqual([false, false]);
    const result = released.results();
    for (const matrix of q3Matrices(result)) expect([ANSWERS.k1, ANSWERS.k2]).toContainEqual(matrix.expected);
    // The search above finds them where they are: pretty-printed in results.json, compact in the cache.
    const cached = [...everyFile(released.out)]
      .filter(([file]) => file.startsWith('.cache/'))
      .map(([, text]) => text)
      .join('\n');
    for (const text of [released.resultsText(), cached]) {
      expect(leaksIn(text, expectedRows).filter((leak) => leak.startsWith('row'))).toHaveLength(expectedRows.length);
    }
    for (const id of ['untouched-skeleton', PARTLY_WRONG_VARIANT.id]) {
      const page = readFileSync(join(released.out, `${id}.html`), 'utf8');
      expect(page.match(/<caption>Expected<\/caption>/g), id).toHaveLength(2);
      expect(
        leaksIn(page, expectedRows).filter((leak) => leak.startsWith('row')),
        id,
      ).toHaveLength(expectedRows.length);
    }
    const page = readFileSync(join(released.out, `${PARTLY_WRONG_VARIANT.id}.html`), 'utf8');
    expect(page).toContain(`(wrong, expected ${ANSWERS.k2[1][1]})`);
    expect(page).toContain('they are marked ✗ in your answer and outlined in the expected matrix.');
  });
});
