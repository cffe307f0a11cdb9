/** Runs the real `grade` command as a child process, as a TA would. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { ClassResult } from '../../src/trusted/result.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(ROOT, 'graders', 'bin', 'grade.js');

export interface GradeRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  out: string;
  results: () => ClassResult;
  resultsText: () => string;
}

/** `env`: more environment variables for the command (NO_COLOR is always set). */
export async function runGrade(
  args: string[],
  options: { out?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<GradeRun> {
  const out = options.out ?? mkdtempSync(join(tmpdir(), 'grade-out-'));
  const run = await execa(process.execPath, [BIN, '--out', out, ...args], {
    cwd: options.cwd ?? ROOT,
    reject: false,
    env: { ...options.env, NO_COLOR: '1' },
  });
  return {
    exitCode: run.exitCode ?? -1,
    stdout: run.stdout,
    stderr: run.stderr,
    out,
    resultsText: () => readFileSync(join(out, 'results.json'), 'utf8'),
    results: () => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult,
  };
}

/** What a shell makes of `dir/*`: the entries of `dir` not starting with a dot, sorted (grade takes its arguments literally). */
export function foldersIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => join(dir, name));
}

/** Points per part of one submission in a results file. */
export function pointsByPart(result: ClassResult, id: string): Record<string, number> {
  const submission = result.submissions.find((s) => s.id === id);
  if (!submission) throw new Error(`no submission ${id} in the results`);
  return Object.fromEntries(submission.parts.map((p) => [p.id, p.points]));
}

/** Full autograded marks: every part's max, less the manual points no TA has entered yet. */
export function fullMarks(result: ClassResult, manual: Record<string, number> = { Q1d: 0.5, 'Q2.derivation': 2 }): Record<string, number> {
  return Object.fromEntries(result.rubric.parts.map((p) => [p.id, p.max - (manual[p.id] ?? 0)]));
}
