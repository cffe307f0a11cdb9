/**
 * Every failed property check of the wrong corpus (tools/submissions/wrong-corpus.ts) shows the
 * student a test to paste (Counterexample.localReplay). Graded through the real `grade` command,
 * each such test is saved in a copy of that submission's project, where it must fail, and in the
 * reference solution's project, where it must pass; and each compiles with the student's
 * tsconfig (strict). One vitest run runs them all, and a test counts only when it ran and its
 * assertions decided it (a file that does not load neither passes nor fails).
 *
 * The run shares modules between test files (`isolate: false`, five times faster than a fresh
 * module graph per file): the files of one project import the same modules once, as the hidden
 * checks of one part run in one child process; each project's modules are its own files.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import { WRONG_CORPUS } from '../../../tools/submissions/wrong-corpus.js';
import type { LocalReplay } from '../../src/trusted/result.js';
import { ROOT, runGrade, type GradeRun } from '../cli/run-grade.js';
import { linkPackages, writeStudentProject, writeText } from './student-projects.js';

const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const COMPLETE = DEMO_VARIANTS.find((variant) => variant.id === 'complete')!;

/** One failed property check: where it was, and the test the student was given (if any). */
interface Failure {
  submission: string;
  part: string;
  check: string;
  replay: LocalReplay | undefined;
  /** Where the test was saved in the submission's project and in the reference's. */
  inSubmission: string;
  inReference: string;
}

/** How vitest's JSON reporter describes one test file. */
interface FileReport {
  name: string;
  assertionResults: { status: string; failureMessages: string[] }[];
  message?: string;
}

/** "passed" or "failed" when the file's one test ran; otherwise what kept it from running. */
function outcome(reports: ReadonlyMap<string, FileReport>, file: string): string {
  const report = reports.get(file);
  if (!report) return 'not run';
  const [test, ...more] = report.assertionResults;
  if (!test || more.length > 0) return `did not run one test: ${report.message ?? `${report.assertionResults.length} tests`}`;
  return test.status;
}

const named = (failure: Failure): string => `${failure.submission} ${failure.part} ${failure.check}`;

const slug = (text: string): string =>
  text
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

describe('the tests a student is given to replay a failed hidden check', () => {
  let base: string;
  let run: GradeRun;
  let failures: Failure[];
  let reports: Map<string, FileReport>;
  let vitestOutput: string;
  let typecheck: { exitCode: number; output: string };

  beforeAll(async () => {
    // Timings are printed for whoever runs it, never asserted.
    const started = performance.now();
    const seconds = (from: number, to = performance.now()) => ((to - from) / 1000).toFixed(1);
    base = mkdtempSync(join(tmpdir(), 'local-replay-'));
    const submissions = join(base, 'submissions');
    for (const variant of WRONG_CORPUS) writeSubmission(variant, join(submissions, variant.id));
    run = await runGrade(['--quiet', '--format', 'json', ...WRONG_CORPUS.map((variant) => join(submissions, variant.id))]);
    const graded = performance.now();

    const projects = join(base, 'projects');
    const reference = join(projects, 'reference');
    writeSubmission(COMPLETE, join(submissions, COMPLETE.id));
    writeStudentProject(join(submissions, COMPLETE.id), reference);
    failures = [];
    for (const submission of run.results().submissions) {
      const own = join(projects, 'submissions', submission.id);
      for (const part of submission.parts) {
        for (const check of part.checks) {
          if (check.passed || check.replay === undefined) continue;
          const name = `replay-${slug(part.id)}-${slug(check.name)}.test.ts`;
          failures.push({
            submission: submission.id,
            part: part.id,
            check: check.name,
            replay: check.counterexample?.localReplay,
            inSubmission: join(own, 'test', name),
            inReference: join(reference, 'test', `replay-${submission.id}-${name.slice('replay-'.length)}`),
          });
        }
      }
    }
    for (const id of new Set(failures.map((failure) => failure.submission))) {
      writeStudentProject(join(submissions, id), join(projects, 'submissions', id));
    }
    for (const failure of failures) {
      if (failure.replay === undefined) continue;
      writeText(failure.inSubmission, failure.replay.test);
      writeText(failure.inReference, failure.replay.test);
    }
    linkPackages(base);

    // One vitest process for every project (each test imports its own project's ../src/index.js),
    // and the reference's project, which holds every test, type-checked beside it.
    const config = {
      cacheDir: join(base, '.vite'),
      test: { include: ['projects/**/test/replay-*.test.ts'], pool: 'threads', isolate: false, testTimeout: 30_000 },
    };
    const configFile = join(base, 'vitest.config.mjs');
    writeText(configFile, `export default ${JSON.stringify(config)};\n`);
    const report = join(base, 'report.json');
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? base, NO_COLOR: '1' };
    const options = { cwd: base, reject: false, extendEnv: false, env } as const;
    const [vitest, tsc] = await Promise.all([
      execa(process.execPath, [VITEST, 'run', '--config', configFile, '--reporter=json', `--outputFile=${report}`], options),
      execa(process.execPath, [TSC, '-p', join(reference, 'tsconfig.json'), '--noEmit'], options),
    ]);
    vitestOutput = `${vitest.stdout}\n${vitest.stderr}`.slice(-4000);
    typecheck = { exitCode: tsc.exitCode ?? -1, output: `${tsc.stdout}\n${tsc.stderr}`.slice(0, 4000) };
    const projectCount = new Set(failures.map((failure) => failure.submission)).size;
    process.stdout.write(
      `local replays: ${failures.length} failed checks of ${projectCount} submissions, ${2 * failures.length} test files; ` +
        `grading ${seconds(started, graded)} s, projects and tests ${seconds(graded)} s\n`,
    );
    const json = JSON.parse(readFileSync(report, 'utf8')) as { testResults: FileReport[] };
    reports = new Map(json.testResults.map((file) => [file.name, file]));
  }, 900_000);

  afterAll(() => {
    if (!base) return;
    // The link to the repository's packages goes first, on its own: nothing removes what it points to.
    if (existsSync(join(base, 'node_modules'))) unlinkSync(join(base, 'node_modules'));
    rmSync(base, { recursive: true, force: true });
  }, 120_000);

  it('grades the corpus, whose failures include every kind of property check', () => {
    expect(run.exitCode, run.stderr).toBe(0);
    const parts = new Set(failures.map((failure) => failure.part.split('.')[0]));
    expect([...parts].sort()).toEqual(['Q1a', 'Q1b', 'Q1c', 'Q2']);
    expect(failures.length).toBeGreaterThan(40);
  });

  it('gives every failed property check a test to paste', () => {
    const without = failures.filter((failure) => failure.replay === undefined).map(named);
    expect(without).toEqual([]);
  });

  it("each test compiles with the student's tsconfig", () => {
    expect(typecheck.output.trim()).toBe('');
    expect(typecheck.exitCode).toBe(0);
  });

  it('each test fails in the project of the submission that failed the check', () => {
    const wrong = failures.filter((failure) => failure.replay !== undefined && outcome(reports, failure.inSubmission) !== 'failed');
    expect(
      wrong.map((failure) => `${named(failure)}: ${outcome(reports, failure.inSubmission)}`),
      vitestOutput,
    ).toEqual([]);
  });

  it("each test passes in the reference solution's project", () => {
    const wrong = failures.filter((failure) => failure.replay !== undefined && outcome(reports, failure.inReference) !== 'passed');
    const firstLine = (failure: Failure) => reports.get(failure.inReference)?.assertionResults[0]?.failureMessages[0]?.split('\n')[0];
    const why = (failure: Failure) => firstLine(failure) ?? outcome(reports, failure.inReference);
    expect(
      wrong.map((failure) => `${named(failure)}: ${why(failure)}`),
      vitestOutput,
    ).toEqual([]);
  });
});
