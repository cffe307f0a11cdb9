/**
 * `grade merge <shard output folders...>`: joins the outputs of `grade --shard K/N` runs (merge.ts)
 * into the class already in --out, and writes the reports one run over the whole class writes.
 */
import { checkManualGrades, loadManualGrades, type ManualGrades } from '../trusted/manual-grades.js';
import { loadAssignment } from '../trusted/load-assignment.js';
import { loadRubric } from '../trusted/load-rubric.js';
import type { Rubric } from '../trusted/rubric.js';
import type { ClassResult } from '../trusted/result.js';
import { answersReleasedIn, checkKeptSetting, keptBy, mergeIntoClass, type MergedClass } from './class-merge.js';
import { commandFailed } from './command-failure.js';
import { parseCommandLine } from './command-line.js';
import { DEFAULT_ASSIGNMENT } from './default-assignment.js';
import { assignmentOrNull, gradeHelp } from './grade-help.js';
import { GRADE_OPTIONS } from './grade-options.js';
import { jsonSummary } from './json-summary.js';
import { previousClass, previousClassLine } from './kept-results.js';
import { checkMergedManualGrades, mergeShardOutputs, readShardOutput } from './merge.js';
import { parseFormats } from './option-values.js';
import { writeClassOutputs } from './class-outputs.js';
import { UsageError } from './usage-error.js';
import { version } from './version.js';

/**
 * The shards merged into the class already in the --out folder (results.json), which must have
 * been graded as the shards were.
 */
function keepingPrevious(file: string, previous: ClassResult, shards: ClassResult, rubric: Rubric, manual: ManualGrades): MergedClass {
  const kept = keptBy(previous, new Set(shards.submissions.map((s) => s.id)), new Set(shards.rubric.parts.map((p) => p.id)), rubric);
  const releaseAnswers = answersReleasedIn(shards.submissions.flatMap((s) => s.parts));
  checkKeptSetting(file, previous, kept, { seed: shards.seed, rubric, releaseAnswers });
  return mergeIntoClass(previous, shards, { rubric, manual, outputChars: rubric.limits.outputKiB * 1024 });
}

/** Runs `grade merge` with the arguments after "merge"; returns the exit code. */
export async function mergeCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(GRADE_OPTIONS, 'grade merge', argv);
    if (values.help) {
      process.stdout.write(gradeHelp(await assignmentOrNull(values.assignment)));
      return 0;
    }
    const started = performance.now();
    const formats = parseFormats(values.format);
    if (positionals.length === 0) {
      throw new UsageError('E_USAGE_NO_SHARDS', 'no shard output folders given; pass the --out folders of the "grade --shard K/N" runs');
    }
    const shards = mergeShardOutputs(positionals.map(readShardOutput));
    const assignment = await loadAssignment(values.assignment ?? DEFAULT_ASSIGNMENT);
    const rubric = loadRubric(assignment, values.rubric);
    const manualFile = loadManualGrades(values.manual, rubric);
    // The class already in --out is kept, as a grade run keeps it: the shards replace the submissions they have.
    const previous = previousClass(values.out, values.fresh);
    const manualGradesOf = (ids: string[]) => checkManualGrades(manualFile, ids, { complete: true }).grades;
    const classIds = [...shards.result.submissions, ...(previous.result?.submissions ?? [])].map((s) => s.id);
    const merged = previous.result
      ? keepingPrevious(previous.file, previous.result, shards.result, rubric, manualGradesOf(classIds))
      : { result: shards.result, keptSubmissions: [], keptParts: 0 };
    // The merged class is the whole class: the TAs' file is checked against it (the shards only warned).
    checkMergedManualGrades(merged.result, manualFile);
    const { classFormats, written } = await writeClassOutputs({
      out: values.out,
      assignment,
      rubric,
      formats,
      previous,
      merged,
      timings: shards.timings,
      broughtIds: new Set(shards.result.submissions.map((s) => s.id)),
      printPoints: !values.json,
    });
    const seconds = (performance.now() - started) / 1000;
    if (values.json) {
      const kept = { submissions: merged.keptSubmissions, parts: merged.keptParts };
      const summary = jsonSummary({
        command: 'merge',
        version: version(),
        out: values.out,
        formats: classFormats,
        result: merged.result,
        cached: new Set(),
        kept,
        reportsWritten: written !== null,
        seconds,
      });
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      const aboutPrevious = previousClassLine(values.out, previous, merged, '--fresh');
      if (aboutPrevious !== null) process.stdout.write(`${aboutPrevious}\n`);
      const count = shards.result.submissions.length;
      process.stdout.write(`merged ${positionals.length} shard(s), ${count} submission(s); reports in ${values.out}/\n`);
    }
    return 0;
  } catch (error) {
    return commandFailed('grade merge', error);
  }
}
