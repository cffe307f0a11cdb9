/**
 * Q2's derivation and Q1d's comment as the TA meets them, through the real command: the derivation
 * is a part of its own (Q2.derivation, 2 of Q2's 6 points), scored by a TA alone; a text a TA would
 * score is pending only when it is an answer. The untouched skeleton's templates, the template with
 * other line ends and spaces, and an empty file are "no answer": 0 points, nothing pending, and
 * every output format says so. A TA's row for Q2.derivation is merged, even over "no answer", and
 * taken back when the row goes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { studentVersion } from '../../../tools/assign/index.js';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS, type Variant } from '../../../tools/submissions/variants.js';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { handedOutTemplate } from '../../src/trusted/manual-answer.js';
import { hasPendingReview, isPendingReview } from '../../src/trusted/reports/class-summary.js';
import type { ClassResult, PartResult } from '../../src/trusted/result.js';
import { decodeClassroomResult } from '../integrations/format-schemas.js';
import { ROOT, runGrade, type GradeRun } from './run-grade.js';

const demo = (id: string): Variant => DEMO_VARIANTS.find((variant) => variant.id === id)!;
const q2Template = readFileSync(join(ROOT, 'skeleton', 'answers', 'q2.md'), 'utf8');

/** The skeleton with Q2's template saved by an editor that writes CRLF, indents and adds blank lines, and an empty Q1d comment. */
const REFORMATTED: Variant = {
  id: 'reformatted-template',
  mistake: 'the templates saved again, unchanged but for line ends and spaces; the comment emptied',
  fromSkeleton: true,
  patches: [
    {
      file: 'answers/q2.md',
      content: `\uFEFF${q2Template
        .trim()
        .split('\n')
        .map((line) => `  ${line}  `)
        .join('\r\n\r\n')}\r\n\r\n\r\n`,
    },
    { file: 'answers/q1d.md', content: ' \n\n\t\n' },
  ],
  expectedPoints: {},
};

const FORMATS = ['--format', 'html,csv,json,junit,markdown,gradescope,classroom'];
const ALL_IDS = ['complete', 'reformatted-template', 'untouched-skeleton'];

let dir: string;
let folders: string[];
let first: GradeRun;
let result: ClassResult;

function part(of: ClassResult, id: string, partId: string): PartResult {
  const found = of.submissions.find((s) => s.id === id)?.parts.find((p) => p.id === partId);
  if (!found) throw new Error(`no part ${partId} of ${id}`);
  return found;
}

const read = (run: GradeRun, file: string): string => readFileSync(join(run.out, file), 'utf8');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'manual-answers-'));
  for (const variant of [demo('complete'), demo('untouched-skeleton'), REFORMATTED])
    writeSubmission(variant, join(dir, 'class', variant.id));
  folders = ALL_IDS.map((id) => join(dir, 'class', id));
  first = await runGrade([...FORMATS, '--json', '--manual', join(dir, 'none.csv'), ...folders], { out: join(dir, 'reports') });
  result = first.results();
}, 600_000);

describe('the template the grader compares answers with', () => {
  it("is the skeleton's, as tools/assign generates it from reference/answers", () => {
    for (const file of ['answers/q1d.md', 'answers/q2.md']) {
      const generated = studentVersion(file, readFileSync(join(ROOT, 'reference', file))).toString('utf8');
      expect(handedOutTemplate(assignment.handout, file), file).toBe(generated);
    }
  });
});

describe('Q2.derivation and "no answer", through grade', () => {
  it("grades the class (exit 0), with Q2.derivation worth 2 of Q2's 6 points", () => {
    expect(first.exitCode, first.stderr).toBe(0);
    const q2 = result.rubric.parts.filter((p) => p.id.startsWith('Q2.'));
    expect(q2.map((p) => [p.id, p.max])).toEqual([
      ['Q2.kernel', 2],
      ['Q2.input', 2],
      ['Q2.derivation', 2],
    ]);
    expect(q2.find((p) => p.id === 'Q2.derivation')!.title).toBe('Q2 derivation of dL/dK and dL/dV');
  });

  it('leaves a real answer pending, with its text for the TA (Q2.kernel no longer shows it)', () => {
    const derivation = part(result, 'complete', 'Q2.derivation');
    expect(derivation).toMatchObject({ points: 0, max: 2, status: 'pending', checks: [] });
    expect(derivation.review).toEqual({
      file: 'answers/q2.md',
      text: readFileSync(join(dir, 'class', 'complete', 'answers', 'q2.md'), 'utf8'),
    });
    expect(part(result, 'complete', 'Q1d')).toMatchObject({ points: 0.5, status: 'pending' });
    expect(part(result, 'complete', 'Q2.kernel').review).toBeUndefined();
    expect(first.stderr).toMatch(/\] complete: 17\.5\/20 \(\+2\.5 pending\)$/m);
  });

  it('counts the untouched templates as no answer: 0 points, nothing pending', () => {
    const skeleton = result.submissions.find((s) => s.id === 'untouched-skeleton')!;
    expect(part(result, 'untouched-skeleton', 'Q2.derivation')).toMatchObject({
      points: 0,
      max: 2,
      status: 'no-answer',
      review: { file: 'answers/q2.md', noAnswer: 'template' },
    });
    // Q1d's code is not implemented either: the part says so, and its comment waits for no one.
    expect(part(result, 'untouched-skeleton', 'Q1d')).toMatchObject({
      points: 0,
      status: 'not-implemented',
      review: { file: 'answers/q1d.md', noAnswer: 'template' },
    });
    expect(skeleton.parts.filter(isPendingReview)).toEqual([]);
    expect(hasPendingReview(skeleton)).toBe(false);
    expect(first.stderr).toMatch(/\] untouched-skeleton: 0\/20$/m);
  });

  it('reads the template with other line ends, spaces and a byte order mark as the template, and whitespace as empty', () => {
    expect(part(result, 'reformatted-template', 'Q2.derivation')).toMatchObject({ status: 'no-answer', review: { noAnswer: 'template' } });
    expect(part(result, 'reformatted-template', 'Q1d').review).toMatchObject({ noAnswer: 'empty' });
    expect(hasPendingReview(result.submissions.find((s) => s.id === 'reformatted-template')!)).toBe(false);
  });

  it('lists only the real answers in manual-grades.pending.csv', () => {
    expect(read(first, 'manual-grades.pending.csv')).toBe('id,part,points,comment\r\ncomplete,Q1d,,\r\ncomplete,Q2.derivation,,\r\n');
  });

  it('shows Q2.derivation, and "no answer", in every output format', () => {
    const csv = read(first, 'grades.csv').split('\r\n');
    const column = csv[0].split(',').indexOf('Q2.derivation');
    expect(column).toBeGreaterThan(0);
    expect(csv.find((row) => row.startsWith('complete,'))!.split(',')[column]).toBe('0');
    expect(csv.find((row) => row.startsWith('complete,'))).toMatch(/,pending$/);
    expect(csv.find((row) => row.startsWith('untouched-skeleton,'))).toMatch(/,graded$/);

    const index = read(first, 'index.html');
    expect(index).toContain('data-label="Q2.derivation"');
    expect(index).toContain('<span class="cell-note">no answer</span>');
    const skeletonPage = read(first, 'untouched-skeleton.html');
    expect(skeletonPage).toContain('id="part-Q2-derivation"');
    expect(skeletonPage).toContain(
      'no answer: the template is unchanged</span> There is nothing for a TA to score, so these points are 0.',
    );
    expect(skeletonPage).not.toContain('_Write your answer here._');
    expect(read(first, 'complete.html')).toMatch(
      /id="part-Q2-derivation"[\s\S]*pending TA review<\/span> A TA will read this and add the points\./,
    );

    const junit = read(first, 'junit.xml');
    expect(junit).toContain(
      '<testcase name="Q2 derivation of dL/dK and dL/dV" classname="untouched-skeleton.Q2.derivation" file="answers/q2.md">',
    );
    expect(junit).toContain('<failure message="answers/q2.md: no answer: the template is unchanged" type="no-answer">');
    expect(junit).toContain(
      '<testcase name="Q1(d) linear regression: TA review" classname="untouched-skeleton.Q1d" file="src/linear-regression.ts">',
    );
    expect(junit).toMatch(
      /<testcase name="Q2 derivation of dL\/dK and dL\/dV: TA review" classname="complete\.Q2\.derivation" file="answers\/q2\.md">\s*<skipped message="2 point\(s\) wait for a TA&apos;s score"\/>/,
    );

    const markdown = read(first, 'summary.md');
    expect(markdown).toContain('| Q2.derivation |');
    expect(markdown).toContain(
      '- **Q2 derivation of dL/dK and dL/dV** (0/2, no answer)\n  - answers/q2.md: no answer: the template is unchanged',
    );
    expect(markdown).toContain("- **Q2 derivation of dL/dK and dL/dV**: 2 point(s) wait for a TA's score");

    const gradescope = (id: string) =>
      (
        JSON.parse(read(first, `gradescope/${id}/results.json`)) as {
          tests: { max_score: number; score: number; output: string; extra_data: { part: string; status: string } }[];
        }
      ).tests.find((t) => t.extra_data.part === 'Q2.derivation')!;
    expect(gradescope('untouched-skeleton')).toMatchObject({
      score: 0,
      max_score: 2,
      extra_data: { status: 'no-answer' },
      output: 'no answer.\n\nanswers/q2.md: no answer: the template is unchanged',
    });
    expect(gradescope('complete')).toMatchObject({
      score: 0,
      max_score: 2,
      extra_data: { status: 'pending' },
      output: '2 point(s) of this part are scored by a TA (answers/q2.md).',
    });

    const classroom = (id: string) =>
      (
        decodeClassroomResult(read(first, `classroom/${id}.b64`)) as { tests: { name: string; status: string; message: string }[] }
      ).tests.find((t) => t.name.startsWith('Q2 derivation'))!;
    expect(classroom('untouched-skeleton')).toMatchObject({
      status: 'fail',
      message: '0/2: answers/q2.md: no answer: the template is unchanged',
    });
    expect(classroom('complete')).toMatchObject({ status: 'pass', message: "0/2: 2 point(s) wait for a TA's score." });

    const summary = JSON.parse(first.stdout) as {
      submissions: { id: string; parts: { id: string; points: number; max: number; status: string }[] }[];
    };
    const derivations = summary.submissions.map((s) => [s.id, s.parts.find((p) => p.id === 'Q2.derivation')]);
    expect(derivations).toEqual([
      ['complete', { id: 'Q2.derivation', points: 0, max: 2, status: 'pending' }],
      ['reformatted-template', { id: 'Q2.derivation', points: 0, max: 2, status: 'no-answer' }],
      ['untouched-skeleton', { id: 'Q2.derivation', points: 0, max: 2, status: 'no-answer' }],
    ]);
  });

  it('merges a TA\'s rows for Q2.derivation, one over "no answer", and takes a row back when it goes', async () => {
    const csv = join(dir, 'manual-grades.csv');
    writeFileSync(
      csv,
      'id,part,points,comment\ncomplete,Q2.derivation,1.5,"dL/dV: the flip of the kernel is missing"\nuntouched-skeleton,Q2.derivation,0.5,derived it on the board\n',
    );
    const scored = await runGrade([...FORMATS, '--manual', csv, ...folders], { out: join(dir, 'reports') });
    expect(scored.exitCode, scored.stderr).toBe(0);
    const after = scored.results();
    expect(part(after, 'complete', 'Q2.derivation')).toMatchObject({
      points: 1.5,
      status: 'partial',
      manual: { points: 1.5, comment: 'dL/dV: the flip of the kernel is missing' },
    });
    expect(after.submissions.find((s) => s.id === 'complete')!.total).toBe(19);
    expect(part(after, 'untouched-skeleton', 'Q2.derivation')).toMatchObject({
      points: 0.5,
      status: 'partial',
      review: { noAnswer: 'template' },
      manual: { points: 0.5 },
    });
    expect(read(scored, 'manual-grades.pending.csv')).toBe('id,part,points,comment\r\ncomplete,Q1d,,\r\n');
    expect(read(scored, 'untouched-skeleton.html')).toContain('<strong>TA score: 0.5 points.</strong> derived it on the board');
    expect(read(scored, 'summary.md')).toMatch(/\| complete \| 19\/20 \|/);

    // A run over one student keeps the others, with the current file's scores: without its row, the skeleton's derivation is no answer again.
    writeFileSync(csv, 'id,part,points,comment\ncomplete,Q2.derivation,1.5,"dL/dV: the flip of the kernel is missing"\n');
    const kept = await runGrade(['--manual', csv, folders[0]], { out: join(dir, 'reports') });
    expect(kept.exitCode, kept.stderr).toBe(0);
    const derivation = part(kept.results(), 'untouched-skeleton', 'Q2.derivation');
    expect(derivation).toMatchObject({ points: 0, status: 'no-answer' });
    expect(derivation.manual).toBeUndefined();
  }, 600_000);
});
