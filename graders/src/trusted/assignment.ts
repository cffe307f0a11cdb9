/**
 * What an assignment is to the harness: a registry of parts, each a typed definition of what it
 * grades and how, plus where the assignment's files are. The harness (intake, bundling, the
 * sandbox, scoring, the cache, the reports, the command line) iterates the registry and never
 * names a part; everything an assignment knows lives in its own folder
 * (graders/src/assignments/<name>/, or the folder given to `grade --assignment`), with its own
 * trusted/untrusted split.
 *
 * Types only, and `defineAssignment`, which checks nothing but the types.
 */
import type { OracleRequest } from '../shared/protocol.js';
import type { PropertySpec } from './checks/property.js';
import type { PartResult } from './result.js';
import type { RubricPart, RubricTolerance } from './rubric.js';
import type { RunOutcome } from './sandbox.js';

/** The code one part runs in the child: its oracle over the student's modules and the given ones. */
export interface PartBundle {
  /** The part's folder in the child's scratch space (letters, digits and dashes), e.g. "q1b". */
  name: string;
  /** The grader's untrusted module (an absolute .ts path) that exports `handle(request)`. */
  oracle: string;
  /** The student's modules this part runs (names in the source folder, e.g. "ops"); the others are the given ones. */
  fromStudent: readonly string[];
  /**
   * Given modules this part gets in a version of the grader's (name -> absolute .ts path), e.g. a
   * copy of some functions that counts its calls. Each such module must be one of the
   * assignment's `replaceable` modules. An oracle reaches the replacement by importing its path.
   */
  replace?: Readonly<Record<string, string>>;
}

/** One property-checked check of a part: cases, the request each becomes, and the judge of an answer. */
// The case type differs from check to check; each check is typed where it is made.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface PropertyCheck<C = any> {
  /** The check's id in the rubric, e.g. "gradient". */
  id: string;
  /** Its name on the student's page. */
  name: string;
  /** What the page says when it passed (followed by the number of cases). */
  passedMessage: string;
  property: Omit<PropertySpec<C>, 'seed' | 'runs'>;
  /** Cases to run; default: the rubric part's `runs` shared out over its checks. */
  runs?: number;
}

/** What a part's own grading may use; the harness provides it. */
export interface PartContext {
  /** The part's rubric entry, with its title and file from the registry. */
  part: RubricPart;
  seed: number;
  tolerance: RubricTolerance;
  /** The submission's accepted files by path (e.g. "src/ops.ts"); untrusted text. */
  files: ReadonlyMap<string, string>;
  /** Whether exact answers may appear in what the student sees (`grade --release-answers`). */
  releaseAnswers: boolean;
  /** Points the rubric gives check `id` of this part (0 when it lists none). */
  points(id: string): number;
  /** Runs `requests` in the child with `bundle`; compile errors come back as crashes with the reason. */
  run(bundle: PartBundle, requests: OracleRequest[]): Promise<RunOutcome>;
  /** The part's property checks, graded by the harness (planned, run, shrunk and scored). */
  propertyResult(): Promise<PartResult>;
}

/** One part of an assignment. Its id is the rubric's; its title is derived from the id and `task`. */
export interface PartDefinition {
  /** The canonical id, as the rubric writes it, e.g. "P2.sum". */
  id: string;
  /** What the student writes for it, e.g. "Add.backwardRule"; the title is "<label> <task>". */
  task: string;
  /** The submission file this part grades; a part whose file is missing is `missing`. */
  file: string;
  /** Other submission files the part reads (a derivation shown to the TA). */
  reads?: readonly string[];
  /** The check ids the rubric must give points, in order; none for a part graded as a whole, or by a TA alone. */
  checks: readonly string[];
  /**
   * The file a TA reads when the rubric gives this part manual points. A part with neither
   * `grade` nor `properties` is graded by a TA alone: the rubric must give all its points as manual.
   */
  manualFile?: string;
  /** A regular expression for the line where the graded code starts in `file` (annotations). */
  codeAt?: RegExp;
  /** The code the part runs in the child, if any. */
  bundle?: PartBundle;
  /** The part's property checks, which the harness plans, runs, shrinks and scores. */
  properties?: (tolerance: RubricTolerance) => PropertyCheck[];
  /** More runs the part will ask for, known before grading (sent to the child ahead). */
  plannedRequests?: readonly OracleRequest[][];
  /** Grades the part; without it the part is its property checks' result. */
  grade?: (context: PartContext) => Promise<PartResult>;
}

/** What the HTML page shows for a part beyond its checks, drawn by the assignment from its extension. */
export interface PartView {
  /** A drawing made by the trusted parent from numbers (an SVG), checked again before it is embedded. */
  trustedSvg?: string;
  /** The drawing's caption. */
  caption?: string;
  /** Why the drawing could not be made. */
  drawingProblem?: string;
  /** Sentences for the student and the TA. */
  notes?: string[];
}

export interface AssignmentDefinition {
  name: string;
  /** The rubric (points, runs, tolerances, limits), an absolute path. */
  rubric: string;
  /** The folder of the given source files (NAME.ts each), over which the student's files are laid. */
  givenSources: string;
  /** Where source modules sit in a submission, e.g. "src". Student helper modules may be added there. */
  sourceFolder: string;
  /**
   * The folder of the package the students were handed (the skeleton), an absolute path: a manual
   * item's file that is still its template there is no answer (manual-answer.ts). List it, or its
   * answer files, in `gradedAgainst`.
   */
  handout?: string;
  /** Given modules the child never gets (an index that re-exports everything). */
  leaveOut?: readonly string[];
  /** Given modules replaced by a grader's module in every part (name -> absolute .ts path), e.g. a plot stub. */
  stubs?: Readonly<Record<string, string>>;
  /** Given modules that a part's bundle may replace (see PartBundle.replace). */
  replaceable?: readonly string[];
  /** Folders and files (absolute) whose contents decide a grade besides the submission: the cache's fingerprint. */
  gradedAgainst: readonly string[];
  parts: readonly PartDefinition[];
  /** The extra view of a part (a plot, a note), from its result's extension. */
  partView?: (part: PartResult) => Promise<PartView | null>;
  /** A part's label in titles, e.g. "P2(sum)" for "P2.sum"; default: the id. */
  label?: (id: string) => string;
}

/** An assignment, type-checked. */
export function defineAssignment(definition: AssignmentDefinition): AssignmentDefinition {
  return definition;
}

/** "<label> <task>", e.g. "P2(sum) sum.backward". */
export function partTitle(assignment: AssignmentDefinition, part: PartDefinition): string {
  return `${assignment.label?.(part.id) ?? part.id} ${part.task}`;
}

/** Every submission file the assignment reads, each once: the source modules first, then the others, each in registry order. */
export function submittedFiles(assignment: AssignmentDefinition): string[] {
  const files = [
    ...new Set(assignment.parts.flatMap((part) => [part.file, ...(part.reads ?? []), ...(part.manualFile ? [part.manualFile] : [])])),
  ];
  const isSource = (file: string): boolean => file.startsWith(`${assignment.sourceFolder}/`);
  return [...files.filter(isSource), ...files.filter((file) => !isSource(file))];
}

/** The source modules a student edits (names, without folder or extension), e.g. ["tensor", "ops"]. */
export function studentModules(assignment: AssignmentDefinition): string[] {
  const prefix = `${assignment.sourceFolder}/`;
  const fromFiles = submittedFiles(assignment)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.ts'))
    .map((f) => f.slice(prefix.length, -3));
  const fromBundles = assignment.parts.flatMap((part) => part.bundle?.fromStudent ?? []);
  return [...new Set([...fromFiles, ...fromBundles])];
}
