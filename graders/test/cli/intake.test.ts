/**
 * Intake: files that are not plain text inside the submission are refused by name, with what was
 * expected, and their parts score 0; everything else is graded as usual.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import { ROOT, fullMarks, pointsByPart, runGrade } from './run-grade.js';

describe('grade on submissions with refused files', () => {
  it('names each refused file and scores only its parts 0', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'intake-'));
    const student = join(folder, 'mallory');
    writeSubmission(DEMO_VARIANTS[0], student);
    rmSync(join(student, 'src', 'ops.ts'));
    symlinkSync(join(ROOT, 'reference', 'src', 'ops.ts'), join(student, 'src', 'ops.ts'));
    writeFileSync(join(student, 'src', 'losses.ts'), `// ${'x'.repeat(300 * 1024)}\n`);
    writeFileSync(join(student, 'src', 'conv.ts'), Buffer.from([0x65, 0x78, 0x00, 0x70]));
    writeFileSync(join(student, 'answers', 'q3.json'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));

    const run = await runGrade([student]);
    expect(run.exitCode).toBe(0);
    const result = run.results();
    const submission = result.submissions[0];
    expect(submission.intake).toEqual([
      { file: 'src/ops.ts', problem: 'is a symbolic link; submit the file itself' },
      { file: 'src/losses.ts', problem: expect.stringMatching(/^is \d+ bytes; the limit is 262144 bytes$/) },
      { file: 'src/conv.ts', problem: 'contains NUL bytes: expected a text file' },
      { file: 'answers/q3.json', problem: 'is not valid UTF-8 text; save it as UTF-8' },
    ]);
    const refused = [
      'Q1b.ReduceMean',
      'Q1b.Add',
      'Q1b.Mul',
      'Q1b.MatMul',
      'Q1b.ReLU',
      'Q1b.Sigmoid',
      'Q1c',
      'Q1d',
      'Q2.kernel',
      'Q2.input',
      'Q3.k1',
      'Q3.k2',
    ];
    expect(pointsByPart(result, 'mallory')).toEqual({ ...fullMarks(result), ...Object.fromEntries(refused.map((id) => [id, 0])) });
    const add = submission.parts.find((p) => p.id === 'Q1b.Add')!;
    expect(add).toMatchObject({ status: 'missing', reason: 'src/ops.ts is a symbolic link; submit the file itself' });
  }, 120_000);
});
