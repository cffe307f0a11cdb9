/**
 * `grade <submission folders...>`: grades every submission and writes the reports;
 * `grade merge <shard outputs...>`: joins the outputs of `grade --shard K/N` runs.
 * Exit codes: 0 when grading completed (whatever the scores), 2 for a usage error, 1 when the
 * harness itself failed.
 */
import { availableParallelism } from 'node:os';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gradeClass } from '../trusted/grade-class.js';
import { repeatedIds, submissionId } from '../trusted/submission-ids.js';
import { ManualGradesError, checkManualGrades, loadManualGrades, type ManualGrades } from '../trusted/manual-grades.js';
import { writePendingManualGrades } from '../trusted/pending-manual-grades.js';
import type { AssignmentDefinition } from '../trusted/assignment.js';
import { AssignmentError, loadAssignment } from '../trusted/load-assignment.js';
import { RubricError, type Rubric } from '../trusted/rubric.js';
import { loadRubric } from '../trusted/load-rubric.js';
import { DEFAULT_ASSIGNMENT } from './default-assignment.js';
import { writeFileAtomic } from '../trusted/reports/write-file-atomic.js';
import { classroomResult, encodeClassroomResult } from '../trusted/reports/classroom-report.js';
import { formatPoints } from '../trusted/reports/format-points.js';
import { DEFAULT_REPORT_FORMATS, REPORT_FORMATS, isReportFormat, manualItemsOf, partFilesOf, type ReportFormat, type ReportOptions } from '../trusted/reports/report-formats.js';
import type { ClassResult } from '../trusted/result.js';
import { jsonSummary } from './json-summary.js';
import { submissionArguments } from './submission-arguments.js';
import { MergeError, checkMergedManualGrades, mergeShardOutputs, readShardOutput } from './merge.js';
import { printable, printableLines } from './printable.js';
import { unknownOptionMessage } from './option-suggestion.js';
import { KeptResultsError, answersReleasedIn, checkKeptSetting, keptBy, mergeIntoClass, type MergedClass } from './class-merge.js';
import { ClassResultsFileError } from './class-results-file.js';
import { classProgress } from './class-progress.js';
import { closingSummary } from './closing-summary.js';
import { previousClass, previousClassLine, timingsWithKept } from './kept-results.js';
import { removeStaleReports } from './stale-reports.js';
import { stillRunningInterval } from './still-running.js';
import { parseShard, selectShard } from './shard.js';
import { writeReportsIfChanged } from './write-reports-if-changed.js';
import { graderFingerprint } from '../trusted/result-cache.js';

/** The help, with examples from `assignment`'s own parts. */
function help(assignment: AssignmentDefinition | null): string {
  const [first, second] = (assignment?.parts ?? []).filter((part) => part.id.includes('.')).concat(assignment?.parts ?? []).map((part) => part.id);
  const one = first ?? 'PART';
  const two = second ?? one;
  return `Usage: grade [options] <submission folder>...
       grade merge [--out DIR] [--format LIST] [--manual FILE] [--fresh] [--json] <shard output folder>...

Grades each submission folder (a student's filled-in copy of skeleton/) in an isolated child
process and writes the reports. A submission that has not changed since the last run (same files,
grader, rubric and seed) is not run again. "grade merge" joins the outputs of "grade --shard" runs
into the reports one run over the whole class gives.

A run keeps the class already in the --out folder (its results.json): the submissions it grades
replace theirs (with --only, just those parts), the others are kept, every report shows the whole
class, and the run says what it kept. --fresh starts the class over; a --shard run writes its
slice only.

Folders are taken exactly as given: the shell expands a pattern such as submissions/*, grade
never does (on Windows, list the folders or use a shell that expands patterns). A folder's name is
the submission's id, so two folders may not share a name.

Options:
  --out DIR        where to write the reports (default: reports)
  --format LIST    the reports to write, separated by commas or repeated (default: html,csv,json):
                     html        index.html and a page per submission
                     csv         grades.csv, one row per student, for a gradebook
                     json        results.json, everything, for scripts
                     gradescope  gradescope/<id>/results.json in Gradescope's autograder format
                     classroom   classroom/<id>.b64, GitHub Classroom's grader result (in GitHub
                                 Actions, with one submission, also the step output "result")
                     junit       junit.xml, a test suite per submission, for any CI
                     markdown    summary.md, the score table and what to fix
  --jobs N         submissions graded at once (default: the number of cores + 1)
  --seed S         the seed of every random check (default: the rubric's)
  --only PART      grade only this part id, e.g. ${one} (repeat or separate with commas)
  --timeout SEC    wall-clock limit for one run in the child (default: the rubric's); a whole
                   submission has a budget too (the rubric's submissionSeconds and
                   submissionCpuSeconds)
  --assignment DIR the assignment to grade: a folder whose index.ts exports its parts
                   (default: graders/src/assignments/assignment-11)
  --rubric FILE    the rubric (default: the assignment's rubric.json)
  --manual FILE    TA scores for manual items, CSV id,part,points,comment (default: manual-grades.csv);
                   the items still pending are written to OUT/manual-grades.pending.csv to fill in
  --shard K/N      grade only the K-th of N slices of the submissions (by sorted id), e.g. on
                   N machines at once; join their --out folders with "grade merge"
  --cache DIR      where results are kept by content (default: OUT/.cache)
  --force          grade every submission again, even those whose result is cached
  --fresh          start the class over: keep nothing of the results already in --out (the
                   reports of submissions not graded now are removed)
  --release-answers
                   show the expected values of exact-answer parts in the results and on the
                   students' pages
                   (after the deadline); by default every output marks the wrong entries only
  --json           print a JSON summary on stdout instead of the text line: per submission its
                   id, total, max, status, whether it was cached and its reports' paths
  --quiet          print only errors and the final summary line
  -h, --help       show this help
  -v, --version    show the version

Environment:
  NO_COLOR         when set, print no terminal control codes (neither is used when stderr is
                   not a terminal)
  GRADE_STILL_RUNNING_SECONDS
                   after how many seconds a submission still being graded is named with the
                   part it is waiting on (default: 10)

Exit codes: 0 grading completed (whatever the scores), 2 a usage error, 1 the harness failed.

Examples:
  grade submissions/*
  grade --only ${one} --only ${two} submissions/alice
  grade --jobs 1 --seed 7 --out /tmp/reports submissions/*
  grade --format html,junit,markdown --json submissions/*
  grade --shard 2/4 --out shard-2 submissions/*        # one of 4 runners, then:
  grade merge --out reports shard-1 shard-2 shard-3 shard-4
`;
}

/** The assignment named by --assignment (or the default), or null when it cannot be loaded (the error is thrown on use). */
async function assignmentOrNull(folder: string | undefined): Promise<AssignmentDefinition | null> {
  try {
    return await loadAssignment(folder ?? DEFAULT_ASSIGNMENT);
  } catch {
    return null;
  }
}

class UsageError extends Error {}

/**
 * What a harness failure says (exit code 1): its message, or the thrown value when it is no Error,
 * on one line with control characters escaped (it may quote a file name or a submission's text).
 */
function harnessError(error: unknown): string {
  return printable(error instanceof Error ? error.message : String(error));
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** --format values: comma-separated or repeated; the default set when none is given. */
function parseFormats(values: string[] | undefined): ReportFormat[] {
  const names = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((name) => !isReportFormat(name));
  if (unknown.length > 0) throw new UsageError(`--format ${unknown.join(', ')}: no such report; choose from ${REPORT_FORMATS.join(', ')}`);
  return names.length === 0 ? [...DEFAULT_REPORT_FORMATS] : REPORT_FORMATS.filter((format) => names.includes(format));
}

/** Whether stderr may carry terminal control codes (https://no-color.org: any non-empty NO_COLOR turns them off). */
function terminalCodes(): boolean {
  return process.stderr.isTTY === true && !process.env.NO_COLOR;
}

/**
 * GitHub Classroom: "Points X/Y" per submission on stdout, and in GitHub Actions with exactly one
 * submission the step output `result` that the Classroom reporter reads.
 */
function reportClassroom(result: ClassResult, options: ReportOptions, printPoints: boolean): void {
  for (const submission of result.submissions) {
    const points = `Points ${formatPoints(submission.total)}/${formatPoints(result.rubric.max)}`;
    if (printPoints) process.stdout.write(result.submissions.length === 1 ? `${points}\n` : `${printable(submission.id)}: ${points}\n`);
  }
  const output = process.env.GITHUB_OUTPUT;
  if (output && result.submissions.length === 1) {
    appendFileSync(output, `result=${encodeClassroomResult(classroomResult(result, result.submissions[0], options))}\n`);
  }
}

/** The options of `grade merge`. */
const MERGE_OPTIONS = {
  out: { type: 'string', default: 'reports' },
  format: { type: 'string', multiple: true },
  assignment: { type: 'string' },
  rubric: { type: 'string' },
  manual: { type: 'string', default: 'manual-grades.csv' },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  fresh: { type: 'boolean', default: false },
} as const;

/**
 * `grade merge`'s shards merged into the class already in its --out folder (results.json), which
 * must have been graded as the shards were.
 */
function keepingPrevious(file: string, previous: ClassResult, shards: ClassResult, rubric: Rubric, manual: ManualGrades): MergedClass {
  const kept = keptBy(previous, new Set(shards.submissions.map((s) => s.id)), new Set(shards.rubric.parts.map((p) => p.id)), rubric);
  const releaseAnswers = answersReleasedIn(shards.submissions.flatMap((s) => s.parts));
  checkKeptSetting(file, previous, kept, { seed: shards.seed, rubric, releaseAnswers });
  return mergeIntoClass(previous, shards, { rubric, manual, outputChars: rubric.limits.outputKiB * 1024 });
}

async function mergeMain(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: MERGE_OPTIONS });
  } catch (error) {
    process.stderr.write(`grade merge: ${printableLines(unknownOptionMessage(argv, MERGE_OPTIONS) ?? (error as Error).message)}\n\nRun "grade --help" for the options.\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(help(await assignmentOrNull(values.assignment)));
    return 0;
  }
  try {
    const started = performance.now();
    const formats = parseFormats(values.format);
    if (positionals.length === 0) throw new UsageError('no shard output folders given; pass the --out folders of the "grade --shard K/N" runs');
    const shards = mergeShardOutputs(positionals.map(readShardOutput));
    const assignment = await loadAssignment(values.assignment ?? DEFAULT_ASSIGNMENT);
    const rubric = loadRubric(assignment, values.rubric);
    const manualFile = loadManualGrades(values.manual, rubric);
    // The class already in --out is kept, as a grade run keeps it: the shards replace the submissions they have.
    const previous = previousClass(values.out, values.fresh);
    const merged = previous.result
      ? keepingPrevious(previous.file, previous.result, shards.result, rubric, checkManualGrades(manualFile, [...shards.result.submissions, ...previous.result.submissions].map((s) => s.id), { complete: true }).grades)
      : { result: shards.result, keptSubmissions: [], keptParts: 0 };
    // The merged class is the whole class: the TAs' file is checked against it (the shards only warned).
    checkMergedManualGrades(merged.result, manualFile);
    const options: ReportOptions = { partFiles: partFilesOf(rubric), manualItems: manualItemsOf(rubric), partView: assignment.partView };
    const classFormats = REPORT_FORMATS.filter((format) => formats.includes(format) || (format === 'json' && previous.result !== null));
    const written = await writeReportsIfChanged(values.out, merged.result, classFormats, options, graderFingerprint(assignment));
    removeStaleReports(values.out, previous.ids, merged.result.submissions.map((s) => s.id));
    const timings = timingsWithKept(values.out, shards.timings, merged.keptSubmissions);
    await writeFileAtomic(join(values.out, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    await writePendingManualGrades(values.out, merged.result);
    const shardIds = new Set(shards.result.submissions.map((s) => s.id));
    const fromShards: ClassResult = { ...merged.result, submissions: merged.result.submissions.filter((s) => shardIds.has(s.id)) };
    if (formats.includes('classroom')) reportClassroom(fromShards, options, !values.json);
    const seconds = (performance.now() - started) / 1000;
    if (values.json) {
      const kept = { submissions: merged.keptSubmissions, parts: merged.keptParts };
      const summary = jsonSummary({ command: 'merge', version: version(), out: values.out, formats: classFormats, result: merged.result, cached: new Set(), kept, reportsWritten: written !== null, seconds });
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      const aboutPrevious = previousClassLine(values.out, previous, merged, '--fresh');
      if (aboutPrevious !== null) process.stdout.write(`${aboutPrevious}\n`);
      process.stdout.write(`merged ${positionals.length} shard(s), ${shards.result.submissions.length} submission(s); reports in ${values.out}/\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof MergeError || error instanceof RubricError || error instanceof AssignmentError || error instanceof ManualGradesError || error instanceof KeptResultsError || error instanceof ClassResultsFileError) {
      process.stderr.write(`grade merge: ${printableLines(error.message)}\n\nRun "grade --help" for the options.\n`);
      return 2;
    }
    process.stderr.write(`grade merge: the harness failed: ${harnessError(error)}\n`);
    return 1;
  }
}

function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} expects a whole number >= 0, got "${text}"`);
  return n;
}

/** The options of `grade`. */
const GRADE_OPTIONS = {
  out: { type: 'string', default: 'reports' },
  format: { type: 'string', multiple: true },
  shard: { type: 'string' },
  cache: { type: 'string' },
  json: { type: 'boolean', default: false },
  jobs: { type: 'string' },
  seed: { type: 'string' },
  only: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  assignment: { type: 'string' },
  rubric: { type: 'string' },
  manual: { type: 'string', default: 'manual-grades.csv' },
  quiet: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  fresh: { type: 'boolean', default: false },
  'release-answers': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'merge') return mergeMain(argv.slice(1));
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: GRADE_OPTIONS });
  } catch (error) {
    process.stderr.write(`grade: ${printableLines(unknownOptionMessage(argv, GRADE_OPTIONS) ?? (error as Error).message)}\n\nRun "grade --help" for the options.\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(help(await assignmentOrNull(values.assignment)));
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  try {
    if (positionals.length === 0) throw new UsageError('no submission folders given; pass them as arguments, e.g. grade submissions/*');
    const formats = parseFormats(values.format);
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    if (shard === null) throw new UsageError(`--shard expects K/N with 1 <= K <= N, e.g. --shard 2/4; got "${values.shard}"`);
    const assignment = await loadAssignment(values.assignment ?? DEFAULT_ASSIGNMENT);
    const rubric = loadRubric(assignment, values.rubric);
    const only = (values.only ?? []).flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean);
    const unknown = only.filter((id) => !rubric.parts.some((p) => p.id === id));
    if (unknown.length > 0) throw new UsageError(`--only ${unknown.join(', ')}: no such part; the parts are ${rubric.parts.map((p) => p.id).join(', ')}`);
    const timeout = positiveInteger(values.timeout, '--timeout');
    if (timeout !== undefined) rubric.limits.timeoutSeconds = timeout;
    const seed = positiveInteger(values.seed, '--seed') ?? rubric.seed;
    // One more than the cores: a child computes while the parent judges another one's answers.
    const jobs = positiveInteger(values.jobs, '--jobs') ?? availableParallelism() + 1;
    // Paths exactly as given: the shell expands submissions/*. Expanding again here would grade a
    // folder named "*" or "@(alice)" as the folders its name matches.
    // A plain file is skipped; a folder of submissions given as one is refused (submission-arguments.ts).
    const sorted = submissionArguments(positionals, assignment);
    if (sorted.classFolders.length > 0) throw new UsageError(sorted.classFolders.map((line) => printable(line)).join('\n'));
    for (const warning of sorted.warnings) process.stderr.write(`grade: warning: ${printable(warning)}\n`);
    const given = sorted.submissions;
    const repeated = repeatedIds(given);
    if (repeated.length > 0) {
      const lines = repeated.map(({ id, folders }) => `  "${printable(id)}": ${folders.map((f) => printable(f)).join(' and ')}`);
      throw new UsageError(
        `two or more submission folders have the same name, which is the submission's id; rename or leave out all but one:\n${lines.join('\n')}`,
      );
    }
    const existing = given.filter((f) => {
      try {
        return statSync(f).isDirectory() || statSync(f).isFile();
      } catch {
        return false;
      }
    });
    if (existing.length === 0) {
      throw new UsageError(`none of ${printable(positionals.join(' '))} is a folder or a .zip file; expected submission folders such as submissions/*`);
    }
    const folders = shard ? selectShard(given, shard) : given;
    const stillRunningMs = stillRunningInterval(process.env.GRADE_STILL_RUNNING_SECONDS);
    if (stillRunningMs === null) throw new UsageError(`GRADE_STILL_RUNNING_SECONDS expects a number of seconds above 0, got "${process.env.GRADE_STILL_RUNNING_SECONDS}"`);
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
    const options: ReportOptions = { partFiles: partFilesOf(rubric), manualItems: manualItemsOf(rubric), partView: assignment.partView };
    // results.json is the class's record, which the next run keeps: written whenever there was one.
    const classFormats = REPORT_FORMATS.filter((format) => formats.includes(format) || (format === 'json' && previous.result !== null));
    const written = await writeReportsIfChanged(values.out, merged.result, classFormats, options, graderFingerprint(assignment));
    removeStaleReports(values.out, previous.ids, merged.result.submissions.map((s) => s.id));
    const timings = timingsWithKept(values.out, graded.timings, merged.keptSubmissions);
    await writeFileAtomic(join(values.out, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    await writePendingManualGrades(values.out, merged.result);
    // This run's submissions, as the class now has them (with --only, their kept parts too).
    const gradedIds = new Set(graded.result.submissions.map((s) => s.id));
    const gradedNow: ClassResult = { ...merged.result, submissions: merged.result.submissions.filter((s) => gradedIds.has(s.id)) };
    if (formats.includes('classroom')) reportClassroom(gradedNow, options, !values.json);
    if (!values.quiet) process.stderr.write(closingSummary(gradedNow.submissions).map((line) => `${line}\n`).join(''));
    const aboutPrevious = previousClassLine(values.out, previous, merged, values.fresh ? '--fresh' : 'a --shard run writes its slice only');
    if (values.json) {
      const cached = new Set(Object.entries(graded.timings).filter(([, t]) => t.cached).map(([id]) => id));
      const kept = { submissions: merged.keptSubmissions, parts: merged.keptParts };
      const summary = jsonSummary({ command: 'grade', version: version(), out: values.out, formats: classFormats, result: merged.result, cached, kept, reportsWritten: written !== null, seconds: (performance.now() - started) / 1000 });
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    }
    if (aboutPrevious !== null) process.stdout.write(`${aboutPrevious}\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const fresh = Object.values(graded.timings).filter((t) => !t.cached).length;
    const reports = written === null ? 'unchanged' : `${written.length} files`;
    const open = formats.includes('html') ? `, open ${join(values.out, 'index.html')}` : '';
    process.stdout.write(
      `graded ${graded.result.submissions.length} submission(s) in ${seconds} s (${fresh} run, ${graded.result.submissions.length - fresh} unchanged); reports in ${values.out}/ (${reports}${open})\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof RubricError || error instanceof ManualGradesError || error instanceof AssignmentError || error instanceof KeptResultsError || error instanceof ClassResultsFileError) {
      process.stderr.write(`grade: ${printableLines(error.message)}\n\nRun "grade --help" for the options.\n`);
      return 2;
    }
    process.stderr.write(`grade: the harness failed: ${harnessError(error)}\n`);
    return 1;
  }
}
