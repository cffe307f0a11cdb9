/**
 * Runs the students' public tests on submissions, as each student would run them in the project
 * they were given: a submission's files laid over a copy of the generated skeleton (its
 * package.json, tsconfig.json, vitest.config.ts, test/ and given source files), with the
 * repository's node_modules, and the skeleton's vitest.
 *
 * All submissions run in one vitest process, a project each (named by the variant's id), so that
 * vitest, fast-check and the given modules load once per worker rather than once per test file
 * and submission. The projects keep the skeleton's own configuration but for two settings:
 * `isolate: false`, so test files of one project share their worker's module cache, which the
 * public tests allow, as none of them keeps state between files; and no time limit per test, so
 * that a busy machine cannot fail a submission: the run judges results, not time.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import type { Variant } from '../../../tools/submissions/variants.js';
import type { JsonReport } from '../../../tools/vitest-json-report.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SKELETON = join(ROOT, 'skeleton');
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

/** One submission's run of the public tests. */
export interface PublicTestsOutcome {
  /** The folder of the submission's project. */
  folder: string;
  /** The test files that ran, relative to the project, e.g. "test/q1b-ops.test.ts". */
  files: string[];
  /** Full names of the tests that passed. */
  passed: string[];
  /** Each test file that failed or did not load, and each failed test, with its message. */
  failures: string[];
}

/** The public test files of the skeleton, relative to it: what every project must run. */
export function publicTestFiles(): string[] {
  return readdirSync(join(SKELETON, 'test'))
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => `test/${name}`)
    .sort();
}

/** The student's project for `variant` in `folder`: its files over the skeleton's. */
function writeProject(variant: Variant, folder: string): void {
  writeSubmission(variant, folder);
  // The submission's own files stay; the skeleton adds everything else a student was given.
  cpSync(SKELETON, folder, { recursive: true, force: false, errorOnExist: false, filter: (path) => basename(path) !== 'node_modules' });
}

/** The vitest configuration that runs every project, one per variant. */
function workspaceConfig(scratch: string, variants: readonly Variant[]): string {
  const projects = variants.map((variant) => ({
    extends: join(scratch, variant.id, 'vitest.config.ts'),
    test: { name: variant.id, root: join(scratch, variant.id), pool: 'threads', isolate: false, testTimeout: 0, hookTimeout: 0 },
  }));
  const config = JSON.stringify({ test: { projects } }, null, 2);
  return `import { defineConfig } from 'vitest/config';\n\nexport default defineConfig(${config});\n`;
}

/** Runs the vitest CLI in `cwd`; failing tests are expected, so only a missing report is an error. */
function runVitest(cwd: string, reportFile: string): Promise<JsonReport> {
  // Without the parent run's VITEST* variables, the child behaves as a run started from a shell.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  const args = [VITEST, 'run', '--config', join(cwd, 'vitest.config.mjs'), '--reporter=json', `--outputFile=${reportFile}`];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd, env, maxBuffer: 64 << 20 }, (error, _stdout, stderr) => {
      if (!existsSync(reportFile)) {
        reject(new Error(`vitest wrote no report in ${cwd} (${error?.message ?? 'no error'})\n${stderr}`));
        return;
      }
      resolve(JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport);
    });
  });
}

/** Runs the public tests on each variant's project, in one vitest process; the outcomes by variant id. */
export async function runPublicTests(
  variants: readonly Variant[],
  scratch = mkdtempSync(join(tmpdir(), 'public-tests-')),
): Promise<Map<string, PublicTestsOutcome>> {
  const outcomes = new Map<string, PublicTestsOutcome>();
  for (const variant of variants) {
    const folder = join(scratch, variant.id);
    writeProject(variant, folder);
    outcomes.set(variant.id, { folder, files: [], passed: [], failures: [] });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  writeFileSync(join(scratch, 'vitest.config.mjs'), workspaceConfig(scratch, variants));
  const report = await runVitest(scratch, join(scratch, 'report.json'));
  for (const file of report.testResults) {
    const [id, ...rest] = relative(scratch, file.name).split(sep);
    const outcome = outcomes.get(id);
    if (!outcome) throw new Error(`vitest ran ${file.name}, which is in no variant's project`);
    const name = rest.join('/');
    outcome.files.push(name);
    if (file.status !== 'passed' && file.assertionResults.length === 0) {
      outcome.failures.push(`${name} did not run: ${file.message ?? file.status}`);
    }
    for (const test of file.assertionResults) {
      const fullName = `${name} > ${[...test.ancestorTitles, test.title].join(' > ')}`;
      if (test.status === 'passed') outcome.passed.push(fullName);
      else outcome.failures.push([`${fullName}: ${test.status}`, ...test.failureMessages].join('\n'));
    }
  }
  for (const outcome of outcomes.values()) outcome.files.sort();
  return outcomes;
}
