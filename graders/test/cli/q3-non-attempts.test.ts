/**
 * Q3's per-entry credit is for attempts only, through the real CLI: a matrix that copies a
 * placeholder (0s, one number, the image, a kernel) gets 0 for its part, although some of its
 * entries are right by themselves; a real attempt with one slip keeps its credit; an attempt left
 * unfinished with 0s keeps the credit of the entries it computed. Each page says why, and holds
 * no expected value.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Q3_IMAGE, Q3_KERNELS } from '../../../reference/src/q3-image.js';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import type { Variant } from '../../../tools/submissions/variants.js';
import type { ClassResult } from '../../src/trusted/result.js';
import { ROOT, runGrade, type GradeRun } from './run-grade.js';

type Name = 'k1' | 'k2';

const ANSWERS = JSON.parse(readFileSync(join(ROOT, 'reference', 'answers', 'q3.json'), 'utf8')) as Record<Name, number[][]>;
const IMAGE = Q3_IMAGE;
const KERNELS: Record<Name, number[][]> = { k1: Q3_KERNELS.k1.kernel, k2: Q3_KERNELS.k2.kernel };
const SIZE: Record<Name, number> = { k1: 6, k2: 4 };

const filled = (name: Name, entry: (i: number, j: number) => number): number[][] =>
  Array.from({ length: SIZE[name] }, (_, i) => Array.from({ length: SIZE[name] }, (_, j) => entry(i, j)));

/** How many entries of `matrix` equal the answer's: what per-entry credit without the rule would count. */
const rightEntries = (name: Name, matrix: number[][]): number =>
  matrix.flat().filter((x, index) => x === ANSWERS[name].flat()[index]).length;

interface Case {
  id: string;
  what: string;
  q3: Record<Name, number[][]>;
  /** Points per matrix, out of 2. */
  points: Record<Name, number>;
  /** The check's message per matrix. */
  messages: Record<Name, string>;
}

const noCredit = (name: Name, matrix: number[][], copied: string) =>
  `${rightEntries(name, matrix)} of ${SIZE[name] ** 2} entries are right, but none earns credit: your matrix mostly copies ${copied}, ` +
  'which needs no computing, and an entry that it gets right by itself earns nothing';

const zeros = { k1: filled('k1', () => 0), k2: filled('k2', () => 0) };
const constant = { k1: filled('k1', () => 2), k2: filled('k2', () => 1) };
const image = { k1: filled('k1', (i, j) => IMAGE[i + 1][j + 1]), k2: filled('k2', (i, j) => IMAGE[i][j]) };
const kernel = {
  k1: filled('k1', (i, j) => KERNELS.k1[i]?.[j] ?? 0),
  k2: filled('k2', (i, j) => KERNELS.k2[i % 2][j % 2]),
};
const oneSlip = (name: Name) => ANSWERS[name].map((row, i) => row.map((x, j) => (i === 2 && j === 3 ? x + 1 : x)));
const firstRowThenZeros = ANSWERS.k1.map((row, i) => row.map((x) => (i === 0 ? x : 0)));

const CASES: Case[] = [
  {
    id: 'q3-all-zeros',
    what: 'both matrices all 0s',
    q3: zeros,
    points: { k1: 0, k2: 0 },
    messages: { k1: noCredit('k1', zeros.k1, 'a matrix of 0s'), k2: noCredit('k2', zeros.k2, 'a matrix of 0s') },
  },
  {
    id: 'q3-constant',
    what: 'k1 all 2s, k2 all 1s',
    q3: constant,
    points: { k1: 0, k2: 0 },
    messages: { k1: noCredit('k1', constant.k1, 'a matrix of 2s'), k2: noCredit('k2', constant.k2, 'a matrix of 1s') },
  },
  {
    id: 'q3-image-copied',
    what: "k1 the image's inner 6x6 block, k2 its top-left 4x4 block",
    q3: image,
    points: { k1: 0, k2: 0 },
    messages: {
      k1: noCredit('k1', image.k1, "the image's 6x6 block at row 2, column 2"),
      k2: noCredit('k2', image.k2, "the image's 4x4 block at row 1, column 1"),
    },
  },
  {
    id: 'q3-kernel-copied',
    what: 'k1 its kernel padded with 0s, k2 its kernel repeated',
    q3: kernel,
    points: { k1: 0, k2: 0 },
    messages: {
      k1: noCredit('k1', kernel.k1, 'the kernel of k1 padded with 0s'),
      k2: noCredit('k2', kernel.k2, 'the kernel of k2 repeated'),
    },
  },
  {
    id: 'q3-one-slip',
    what: 'each matrix right but for one entry',
    q3: { k1: oneSlip('k1'), k2: oneSlip('k2') },
    points: { k1: 1.94, k2: 1.88 },
    messages: { k1: '35 of 36 entries are right', k2: '15 of 16 entries are right' },
  },
  {
    id: 'q3-unfinished',
    what: "k1's first row computed and 0s for the rest, k2 right",
    q3: { k1: firstRowThenZeros, k2: ANSWERS.k2 },
    points: { k1: 0.33, k2: 2 },
    messages: {
      k1:
        `${rightEntries('k1', firstRowThenZeros)} of 36 entries are right, but only 6 earn credit: your matrix mostly copies a matrix of 0s, ` +
        'which needs no computing, and an entry that it gets right by itself earns nothing',
      k2: 'all 16 entries are right',
    },
  },
];

const variant = (c: Case): Variant => ({
  id: c.id,
  mistake: c.what,
  patches: [{ file: 'answers/q3.json', content: `${JSON.stringify(c.q3, null, 2)}\n` }],
  expectedPoints: {},
});

describe('Q3 gives credit for attempts only (grade --only Q3.k1 --only Q3.k2)', () => {
  let run: GradeRun;
  let result: ClassResult;
  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'q3-non-attempts-'));
    for (const c of CASES) writeSubmission(variant(c), join(folder, c.id));
    run = await runGrade(['--quiet', '--only', 'Q3.k1', '--only', 'Q3.k2', ...CASES.map((c) => join(folder, c.id))]);
    result = run.results();
  }, 300_000);

  it('grades every submission (exit code 0)', () => {
    expect(run.stderr).not.toMatch(/grade: /);
    expect(run.exitCode).toBe(0);
  });

  it('each placeholder is right in some entries, so per-entry credit without the rule would pay it', () => {
    for (const c of CASES.slice(0, 4)) {
      for (const name of ['k1', 'k2'] as const) expect(rightEntries(name, c.q3[name]), `${c.id} ${name}`).toBeGreaterThan(0);
    }
  });

  for (const c of CASES) {
    it(`${c.id} (${c.what}): ${c.points.k1} and ${c.points.k2} points, and the page says why`, () => {
      const submission = result.submissions.find((s) => s.id === c.id)!;
      const page = readFileSync(join(run.out, `${c.id}.html`), 'utf8');
      for (const name of ['k1', 'k2'] as const) {
        const part = submission.parts.find((p) => p.id === `Q3.${name}`)!;
        expect(part.points, `${c.id} Q3.${name}`).toBe(c.points[name]);
        const check = part.checks[0];
        expect(check.message).toBe(c.messages[name]);
        expect(check.matrix?.expected, 'the expected matrix is withheld').toBeUndefined();
        expect(page).toContain(check.message.replace(/'/g, '&#x27;'));
      }
    });
  }
});
