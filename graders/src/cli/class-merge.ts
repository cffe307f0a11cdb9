/**
 * A run over part of a class (some students, or `--only` some parts) keeps the rest: its results
 * are merged by id into the class results the output folder already holds (its results.json), and
 * every report is rendered from the merged class.
 *
 * - A submission this run did not grade is kept as it was.
 * - A submission it graded replaces the previous one; with `--only`, only the parts it graded are
 *   replaced, and the submission's total and maximum are added up again over its parts, in rubric
 *   order, as a run over every part adds them. So when nothing changed, the merged results.json is
 *   byte for byte the one a run over the whole class writes.
 * - A submission this run could not grade (an error, no submission) replaces the previous one whole:
 *   that is what its folder holds now.
 * - The TAs' manual scores are those of the current manual grades file for every submission,
 *   kept or not, as a run over the whole class would apply them.
 *
 * Results can be kept only when they were graded as this run is: the same seed, the same rubric
 * (name, version, and each kept part's points) and the same `--release-answers`; otherwise the
 * merge is refused, naming both, and `--fresh` starts the class over.
 */
import type { ClassResult, PartResult, SubmissionResult } from '../trusted/result.js';
import type { Rubric } from '../trusted/rubric.js';
import { applyManualGrades, type ManualGrade, type ManualGrades } from '../trusted/manual-grades.js';
import { roundPoints } from '../trusted/points.js';
import { InputError } from '../trusted/input-error.js';
import { printable } from './printable.js';

/** Results in the output folder graded otherwise than this run (seed, rubric, released answers), which it would keep. */
export class KeptResultsError extends InputError {
  override name = 'KeptResultsError';
  constructor(code: `E_KEPT_RESULTS_${string}`, message: string) {
    super(code, message);
  }
}

/** What a run would keep of the previous class: whole submissions, and parts of the submissions it grades. */
export interface Kept {
  submissions: SubmissionResult[];
  parts: PartResult[];
  /** The ids of the submissions whose `parts` are kept. */
  partsOf: string[];
}

/** How this run grades: what kept results must have been graded with. */
export interface RunSetting {
  seed: number;
  rubric: Rubric;
  /** Whether this run shows the expected answers (`--release-answers`); undefined when not known (`grade merge` of shards without any matrix). */
  releaseAnswers: boolean | undefined;
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The previous parts of a submission that a run grading `graded` parts of it keeps: the rubric's, in rubric order. */
function keptPartsOf(previous: SubmissionResult, graded: (partId: string) => boolean, rubric: Rubric): PartResult[] {
  return rubric.parts.flatMap((rubricPart) => {
    const part = previous.parts.find((p) => p.id === rubricPart.id);
    return part && !graded(part.id) ? [part] : [];
  });
}

/**
 * What a run over the submissions `runIds` and the parts `runParts` (null: every part) would keep
 * of `previous`, known before it grades anything (a submission it then cannot grade keeps nothing).
 */
export function keptBy(previous: ClassResult, runIds: ReadonlySet<string>, runParts: ReadonlySet<string> | null, rubric: Rubric): Kept {
  const kept: Kept = { submissions: [], parts: [], partsOf: [] };
  for (const submission of previous.submissions) {
    if (!runIds.has(submission.id)) {
      kept.submissions.push(submission);
    } else if (runParts !== null && submission.status === 'graded') {
      const parts = keptPartsOf(submission, (id) => runParts.has(id), rubric);
      kept.parts.push(...parts);
      if (parts.length > 0) kept.partsOf.push(submission.id);
    }
  }
  return kept;
}

/** Whether the answers were released in these parts: true or false from their matrices, undefined when they have none. */
export function answersReleasedIn(parts: readonly PartResult[]): boolean | undefined {
  const matrices = parts.flatMap((part) => part.checks.flatMap((check) => (check.matrix ? [check.matrix] : [])));
  if (matrices.length === 0) return undefined;
  return matrices.some((matrix) => matrix.expected !== undefined);
}

/** The names of `ids`, escaped, the first few only. */
function someNames(ids: readonly string[], limit = 5): string {
  const shown = ids.slice(0, limit).map((id) => printable(id));
  return ids.length > limit ? `${shown.join(', ')} and ${ids.length - limit} more` : shown.join(', ');
}

/**
 * Refuses to keep results graded otherwise than this run grades (another seed, rubric or answer
 * release): the class would mix two gradings. `file` names the results file in the message.
 */
export function checkKeptSetting(file: string, previous: ClassResult, kept: Kept, setting: RunSetting): void {
  if (kept.submissions.length === 0 && kept.parts.length === 0) return;
  const differences: string[] = [];
  if (previous.seed !== setting.seed) differences.push(`seed ${previous.seed} there, ${setting.seed} in this run`);
  const { name, version } = setting.rubric;
  if (previous.rubric.name !== name || previous.rubric.version !== version) {
    const there = `rubric ${JSON.stringify(previous.rubric.name)} version ${JSON.stringify(previous.rubric.version)}`;
    differences.push(`${there} there, ${JSON.stringify(name)} version ${JSON.stringify(version)} in this run`);
  }
  const keptParts = [...kept.parts, ...kept.submissions.flatMap((s) => s.parts)];
  for (const id of new Set(keptParts.map((part) => part.id))) {
    const now = setting.rubric.parts.find((p) => p.id === id);
    const max = keptParts.find((part) => part.id === id)!.max;
    if (!now) differences.push(`part ${JSON.stringify(id)} there, which this run's rubric does not have`);
    else if (now.max !== max) differences.push(`part ${id} worth ${max} there, ${now.max} in this run's rubric`);
  }
  const released = answersReleasedIn(keptParts);
  if (released !== undefined && setting.releaseAnswers !== undefined && released !== setting.releaseAnswers) {
    differences.push(
      released
        ? 'the answers released there (--release-answers), withheld in this run'
        : 'the answers withheld there, released in this run (--release-answers)',
    );
  }
  if (differences.length === 0) return;
  const ids = [...kept.submissions.map((s) => s.id), ...kept.partsOf];
  const what = kept.submissions.length > 0 ? `${kept.submissions.length} submission(s)` : `${kept.parts.length} part(s)`;
  throw new KeptResultsError(
    'E_KEPT_RESULTS_SETTING',
    `${file} holds results graded otherwise than this run: ${differences.join('; ')}. ` +
      `This run would keep ${what} from it (${someNames(ids)}) beside its own, and the class would mix two gradings: ` +
      'grade the whole class with the same options, or pass --fresh to start the class over (or use another --out folder)',
  );
}

function sameGrade(a: ManualGrade | undefined, b: ManualGrade | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.points === b.points && a.comment === b.comment;
}

/**
 * A part without the TA's score applied to it: its points less the score, and the status it had
 * before (manual-grades.ts turns a part with only its manual points left, pending or no answer,
 * into passed, partial or failed; such a part passed every check it has).
 */
function withoutManualGrade(part: PartResult): PartResult {
  if (part.manual === undefined) return part;
  const { manual, ...rest } = part;
  const scored = part.status === 'passed' || part.status === 'partial' || part.status === 'failed';
  const onlyManualLeft = scored && part.checks.every((check) => check.passed);
  const before = part.review?.noAnswer === undefined ? 'pending' : 'no-answer';
  return { ...rest, points: roundPoints(part.points - manual.points), status: onlyManualLeft ? before : part.status };
}

/** A kept submission with the current manual grades instead of those of the run that graded it; itself when they are the same. */
function withCurrentManualGrades(submission: SubmissionResult, manual: ManualGrades, rubric: Rubric): SubmissionResult {
  const isManual = (part: PartResult): boolean => rubric.parts.some((p) => p.id === part.id && p.manual);
  const stale = submission.parts.some((part) => isManual(part) && !sameGrade(part.manual, manual.get(submission.id)?.get(part.id)));
  if (!stale) return submission;
  const unscored = { ...submission, parts: submission.parts.map((part) => (isManual(part) ? withoutManualGrade(part) : part)) };
  const rescored = applyManualGrades(unscored, manual, rubric);
  return { ...rescored, total: roundPoints(rescored.parts.reduce((sum, part) => sum + part.points, 0)) };
}

/**
 * A submission graded now on some parts, with the previous result's other parts. The total and
 * the maximum are added up over the parts in rubric order, as grading every part does; the child's
 * output keeps the previous one (unless this run's is new), and the isolation layers are those both
 * runs had, so that no part claims a layer its child did not run under.
 */
function withKeptParts(
  now: SubmissionResult,
  previous: SubmissionResult,
  kept: PartResult[],
  rubric: Rubric,
  outputChars: number,
): SubmissionResult {
  const parts = rubric.parts.flatMap((rubricPart) => [...now.parts, ...kept].filter((part) => part.id === rubricPart.id).slice(0, 1));
  return {
    ...now,
    total: roundPoints(parts.reduce((sum, part) => sum + part.points, 0)),
    max: parts.reduce((sum, part) => sum + part.max, 0),
    isolation: now.isolation.filter((layer) => previous.isolation.includes(layer)),
    output: previous.output.includes(now.output) ? previous.output : (previous.output + now.output).slice(0, outputChars),
    parts,
  };
}

export interface MergedClass {
  result: ClassResult;
  /** The ids of the submissions kept whole. */
  keptSubmissions: string[];
  /** How many parts were kept within the submissions this run graded (with `--only`). */
  keptParts: number;
}

export interface MergeContext {
  rubric: Rubric;
  /** The TAs' scores, applied to the kept submissions as to this run's. */
  manual: ManualGrades;
  /** The rubric's cap on a submission's output, in characters. */
  outputChars: number;
}

/** `run` merged into `previous` (see the top of this file). */
export function mergeIntoClass(previous: ClassResult, run: ClassResult, context: MergeContext): MergedClass {
  const { rubric } = context;
  const now = new Map(run.submissions.map((s) => [s.id, s]));
  const keptSubmissions: SubmissionResult[] = [];
  let keptParts = 0;
  for (const before of previous.submissions) {
    const graded = now.get(before.id);
    if (!graded) {
      keptSubmissions.push(withCurrentManualGrades(before, context.manual, rubric));
      continue;
    }
    if (graded.status !== 'graded' || before.status !== 'graded') continue;
    const kept = keptPartsOf(before, (id) => graded.parts.some((part) => part.id === id), rubric).map(
      (part) => withCurrentManualGrades({ ...before, parts: [part] }, context.manual, rubric).parts[0],
    );
    if (kept.length === 0) continue;
    keptParts += kept.length;
    now.set(before.id, withKeptParts(graded, before, kept, rubric, context.outputChars));
  }
  if (keptSubmissions.length === 0 && keptParts === 0) return { result: run, keptSubmissions: [], keptParts: 0 };
  // The class's parts: this run's, and the previous class's that its kept results have.
  const ids = new Set([...run.rubric.parts, ...previous.rubric.parts].map((part) => part.id));
  const parts = rubric.parts.filter((part) => ids.has(part.id)).map(({ id, title, max }) => ({ id, title, max }));
  return {
    result: {
      seed: run.seed,
      rubric: { name: run.rubric.name, version: run.rubric.version, max: parts.reduce((sum, part) => sum + part.max, 0), parts },
      submissions: [...now.values(), ...keptSubmissions].sort(byId),
    },
    keptSubmissions: keptSubmissions.map((s) => s.id),
    keptParts,
  };
}
