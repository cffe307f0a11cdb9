/**
 * `grade <submission folders...>`: grades every submission, merges the results into the class
 * already in --out (class-merge.ts) and writes the reports.
 */
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { AssignmentDefinition } from '../trusted/assignment.js';
import { gradeClass } from '../trusted/grade-class.js';
import { checkManualGrades, loadManualGrades } from '../trusted/manual-grades.js';
import { loadAssignment } from '../trusted/load-assignment.js';
import { loadRubric } from '../trusted/load-rubric.js';
import type { ClassResult } from '../trusted/result.js';
import { repeatedIds, submissionId } from '../trusted/submission-ids.js';
import { checkKeptSetting, keptBy, mergeIntoClass } from './class-merge.js';
import { classProgress } from './class-progress.js';
import { closingSummary } from './closing-summary.js';
import { commandFailed } from './command-failure.js';
import { parseCommandLine } from './command-line.js';
import { DEFAULT_ASSIGNMENT } from './default-assignment.js';
import { assignmentOrNull, gradeHelp } from './grade-help.js';
import { GRADE_OPTIONS } from './grade-options.js';
import { jsonSummary } from './json-summary.js';
import { previousClass, previousClassLine } from './kept-results.js';
import { onlyParts, parseFormats, wholeNumber } from './option-values.js';
import { printable } from './printable.js';
import { parseShard, selectShard } from './shard.js';
import { stillRunningInterval } from './still-running.js';
import { submissionArguments } from './submission-arguments.js';
import { writeClassOutputs } from './class-outputs.js';
import { UsageError } from './usage-error.js';
import { version } from './version.js';

/** Whether stderr may carry terminal control codes (https://no-color.org: any non-empty NO_COLOR turns them off). */
function terminalCodes(): boolean {
  return process.stderr.isTTY === true && !process.env.NO_COLOR;
}

/**
 * The submissions among `positionals`, exactly as given: the shell expands submissions/*. Expanding
 * again here would grade a folder named "*" or "@(alice)" as the folders its name matches. A plain
 * file is skipped with a warning; a folder of submissions given as one, two folders of one name, or
 * nothing that exists is a usage error.
 */
function submissionsToGrade(positionals: string[], assignment: AssignmentDefinition): string[] {
  const sorted = submissionArguments(positionals, assignment);
  if (sorted.classFolders.length > 0) {
    throw new UsageError('E_USAGE_CLASS_FOLDER', sorted.classFolders.map((line) => printable(line)).join('\n'));
  }
  for (const warning of sorted.warnings) process.stderr.write(`grade: warning: ${printable(warning)}\n`);
  const given = sorted.submissions;
  const repeated = repeatedIds(given);
  if (repeated.length > 0) {
    const lines = repeated.map(({ id, folders }) => `  "${printable(id)}": ${folders.map((f) => printable(f)).join(' and ')}`);
    const problem = "two or more submission folders have the same name, which is the submission's id; rename or leave out all but one";
    throw new UsageError('E_USAGE_DUPLICATE_ID', `${problem}:\n${lines.join('\n')}`);
  }
  const existing = given.filter((f) => {
    try {
      return statSync(f).isDirectory() || statSync(f).isFile();
    } catch {
      return false;
    }
  });
  if (existing.length === 0) {
    const expected = 'expected submission folders such as submissions/*';
    throw new UsageError('E_USAGE_NOTHING_TO_GRADE', `none of ${printable(positionals.join(' '))} is a folder or a .zip file; ${expected}`);
  }
  return given;
}

/** Runs `grade`; returns the exit code. */
export async function gradeCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(GRADE_OPTIONS, 'grade', argv);
    if (values.help) {
      process.stdout.write(gradeHelp(await assignmentOrNull(values.assignment)));
      return 0;
    }
    if (values.version) {
      process.stdout.write(`${version()}\n`);
      return 0;
    }
    if (positionals.length === 0) {
      throw new UsageError('E_USAGE_NO_SUBMISSIONS', 'no submission folders given; pass them as arguments, e.g. grade submissions/*');
    }
    const formats = parseFormats(values.format);
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    if (shard === null) {
      throw new UsageError('E_USAGE_SHARD', `--shard expects K/N with 1 <= K <= N, e.g. --shard 2/4; got "${values.shard}"`);
    }
    const assignment = await loadAssignment(values.assignment ?? DEFAULT_ASSIGNMENT);
    const rubric = loadRubric(assignment, values.rubric);
    const only = onlyParts(values.only);
    const unknown = only.filter((id) => !rubric.parts.some((p) => p.id === id));
    if (unknown.length > 0) {
      const parts = rubric.parts.map((p) => p.id).join(', ');
      throw new UsageError('E_USAGE_UNKNOWN_PART', `--only ${unknown.join(', ')}: no such part; the parts are ${parts}`);
    }
    const timeout = wholeNumber(values.timeout, '--timeout');
    if (timeout !== undefined) rubric.limits.timeoutSeconds = timeout;
    const seed = wholeNumber(values.seed, '--seed') ?? rubric.seed;
    // One more than the cores: a child computes while the parent judges another one's answers.
    const jobs = wholeNumber(values.jobs, '--jobs') ?? availableParallelism() + 1;
    const given = submissionsToGrade(positionals, assignment);
    const folders = shard ? selectShard(given, shard) : given;
    const stillRunningMs = stillRunningInterval(process.env.GRADE_STILL_RUNNING_SECONDS);
    if (stillRunningMs === null) {
      const got = `got "${process.env.GRADE_STILL_RUNNING_SECONDS}"`;
      throw new UsageError('E_USAGE_STILL_RUNNING_SECONDS', `GRADE_STILL_RUNNING_SECONDS expects a number of seconds above 0, ${got}`);
    }
    // The class in the output folder is kept (class-merge.ts) unless the run starts over (--fresh, a shard). Read
    // first, so that a file that cannot be kept, or results graded otherwise, stop the run before it grades anything.
    const previous = previousClass(values.out, values.fresh || shard !== undefined);
    if (previous.result) {
      const kept = keptBy(previous.result, new Set(folders.map(submissionId)), only.length > 0 ? new Set(only) : null, rubric);
      checkKeptSetting(previous.file, previous.result, kept, { seed, rubric, releaseAnswers: values['release-answers'] });
    }
    // A run without --shard covers the whole class (with the submissions it keeps): an unknown id in the TAs' file
    // is an error; a shard only warns, and "grade merge" checks the whole class.
    const classIds = [...given.map(submissionId), ...(previous.result?.submissions.map((s) => s.id) ?? [])];
    const manual = checkManualGrades(loadManualGrades(values.manual, rubric), classIds, { complete: shard === undefined });
    for (const warning of manual.warnings) process.stderr.write(`grade: warning: ${printable(warning)}\n`);

    const started = performance.now();
    if (!values.quiet) {
      const slice = shard ? ` (slice ${shard.index} of ${shard.count}: ${folders.length} of ${given.length})` : '';
      process.stderr.write(`grading ${folders.length} submission(s)${slice} with seed ${seed}, ${jobs} at a time\n`);
    }
    const terminal = values.quiet ? null : classProgress(folders.length, stillRunningMs, terminalCodes());
    const graded = await gradeClass(folders, {
      assignment,
      rubric,
      seed,
      only,
      manual: manual.grades,
      jobs,
      // Unchanged submissions are not run again; --force grades them anyway and refreshes the cache.
      cacheDir: values.cache ?? join(values.out, '.cache'),
      force: values.force,
      releaseAnswers: values['release-answers'],
      progress: terminal?.progress,
    }).finally(() => terminal?.end());
    const merged = previous.result
      ? mergeIntoClass(previous.result, graded.result, { rubric, manual: manual.grades, outputChars: rubric.limits.outputKiB * 1024 })
      : { result: graded.result, keptSubmissions: [], keptParts: 0 };
    // This run's submissions, as the class now has them (with --only, their kept parts too).
    const gradedIds = new Set(graded.result.submissions.map((s) => s.id));
    const gradedNow: ClassResult = { ...merged.result, submissions: merged.result.submissions.filter((s) => gradedIds.has(s.id)) };
    const { classFormats, written } = await writeClassOutputs({
      out: values.out,
      assignment,
      rubric,
      formats,
      previous,
      merged,
      timings: graded.timings,
      broughtIds: gradedIds,
      printPoints: !values.json,
    });
    if (!values.quiet)
      process.stderr.write(
        closingSummary(gradedNow.submissions)
          .map((line) => `${line}\n`)
          .join(''),
      );
    const aboutPrevious = previousClassLine(values.out, previous, merged, values.fresh ? '--fresh' : 'a --shard run writes its slice only');
    if (values.json) {
      const cached = new Set(
        Object.entries(graded.timings)
          .filter(([, t]) => t.cached)
          .map(([id]) => id),
      );
      const kept = { submissions: merged.keptSubmissions, parts: merged.keptParts };
      const seconds = (performance.now() - started) / 1000;
      const summary = jsonSummary({
        command: 'grade',
        version: version(),
        out: values.out,
        formats: classFormats,
        result: merged.result,
        cached,
        kept,
        reportsWritten: written !== null,
        seconds,
      });
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    }
    if (aboutPrevious !== null) process.stdout.write(`${aboutPrevious}\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const count = graded.result.submissions.length;
    const fresh = Object.values(graded.timings).filter((t) => !t.cached).length;
    const reports = written === null ? 'unchanged' : `${written.length} files`;
    const open = formats.includes('html') ? `, open ${join(values.out, 'index.html')}` : '';
    const where = `reports in ${values.out}/ (${reports}${open})`;
    process.stdout.write(`graded ${count} submission(s) in ${seconds} s (${fresh} run, ${count - fresh} unchanged); ${where}\n`);
    return 0;
  } catch (error) {
    return commandFailed('grade', error);
  }
}
