/**
 * The generated student skeleton behaves as students will first see it: every test of a student
 * part fails with one short "not implemented yet" line, and every test of given code passes.
 *
 * The real skeleton/ is copied (without node_modules) to a scratch folder, and its own tests run
 * there through the vitest CLI in a child process, as a student would run them. Set SKELETON_DIR
 * to check a skeleton generated somewhere else.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JsonReport, TestOutcome } from '../vitest-json-report.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SKELETON = process.env.SKELETON_DIR ?? join(ROOT, 'skeleton');

/** The describe blocks of the student parts: each test in them must fail as not implemented. */
const STUDENT_PARTS = [
  'Q1a Tensor.backward',
  'Q1b ReduceMean',
  'Q1b Add',
  'Q1b Mul',
  'Q1b MatMul',
  'Q1b ReLU',
  'Q1b Sigmoid',
  'Q1c mse',
  'Q2 Conv2d.kernelGradient',
  'Q2 Conv2d.imageGradient',
];

/** The describe blocks of given code: each test in them must pass. */
const GIVEN_PARTS = ['Given: NDArray', 'Given: Neg', 'Given: Sqrt', 'Given: convolution primitives'];

/** A one-line report stays under this many characters. */
const SHORT_MESSAGE = 300;

/** Runs the vitest CLI in `cwd`; a failing run is expected, so only a missing report is an error. */
function runVitest(cwd: string, reportFile: string): Promise<JsonReport> {
  // Without the parent run's VITEST* variables, the child behaves as a run started from a shell.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  return new Promise((resolve, reject) => {
    execFile(
      'npx',
      ['vitest', 'run', '--reporter=json', `--outputFile=${reportFile}`],
      { cwd, env, maxBuffer: 64 << 20 },
      (error, _stdout, stderr) => {
        if (!existsSync(reportFile)) {
          reject(new Error(`vitest wrote no report in ${cwd} (${error?.message ?? 'no error'})\n${stderr}`));
          return;
        }
        resolve(JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport);
      },
    );
  });
}

let scratch = '';
let outcomes: TestOutcome[] = [];
let fileErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(SKELETON, 'src')) || !existsSync(join(SKELETON, 'test'))) {
    throw new Error(`${SKELETON} has no src/ or test/: generate the skeleton first (npm run skeleton)`);
  }
  scratch = mkdtempSync(join(tmpdir(), 'skeleton-behaviour-'));
  cpSync(SKELETON, scratch, { recursive: true, filter: (path) => basename(path) !== 'node_modules' });
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  const report = await runVitest(scratch, join(scratch, 'report.json'));
  outcomes = report.testResults.flatMap((file) => file.assertionResults);
  fileErrors = report.testResults
    .filter((file) => file.assertionResults.length === 0 && file.message)
    .map((file) => `${file.name}: ${file.message}`);
}, 180_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const inPart = (part: string) => outcomes.filter((outcome) => outcome.ancestorTitles[0] === part);
const fullName = (outcome: TestOutcome) => [...outcome.ancestorTitles, outcome.title].join(' > ');

describe('the generated skeleton', () => {
  test('every test file loads', () => {
    expect(fileErrors).toEqual([]);
  });

  describe.each(STUDENT_PARTS)('%s', (part) => {
    test('every test fails with one short line: "<part>...: not implemented yet"', () => {
      const tests = inPart(part);
      expect(tests.length, `tests in "${part}"`).toBeGreaterThan(0);
      for (const outcome of tests) {
        const message = outcome.failureMessages.join('\n');
        expect(outcome.status, fullName(outcome)).toBe('failed');
        expect(message, fullName(outcome)).toContain('not implemented yet');
        // Test names say Q1b, the part's messages say Q1(b), as the assignment does.
        const named = part.replace(/^Q1([a-d]) /, 'Q1($1) ');
        expect(message, `${fullName(outcome)}: names the part first`).toMatch(new RegExp(`^${named.replace(/[.()]/g, '\\$&')}`));
        expect(message.length, `${fullName(outcome)}: length of "${message}"`).toBeLessThan(SHORT_MESSAGE);
        expect(message, `${fullName(outcome)}: no stack frames`).not.toMatch(/\n\s*at /);
      }
    });
  });

  describe.each(GIVEN_PARTS)('%s', (part) => {
    test('every test passes', () => {
      const tests = inPart(part);
      expect(tests.length, `tests in "${part}"`).toBeGreaterThan(0);
      for (const outcome of tests) expect(outcome.status, `${fullName(outcome)}: ${outcome.failureMessages.join('\n')}`).toBe('passed');
    });
  });
});
