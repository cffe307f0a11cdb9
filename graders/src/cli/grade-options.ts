/**
 * The options of `grade` and `grade merge`: the one table their parser, their `--help`, the
 * suggestion for a mistyped option and docs/cli.md come from (option-table.ts).
 */
import { DEFAULT_REPORT_FORMATS, type ReportFormat } from '../trusted/reports/report-formats.js';
import type { OptionTable } from './option-table.js';

export type GradeCommand = 'grade' | 'grade merge';

/** What each report format writes; every format has a line (a new one fails to compile until it is described). */
export const REPORT_FORMAT_DESCRIPTIONS: Readonly<Record<ReportFormat, string>> = {
  html: 'index.html and a page per submission',
  csv: 'grades.csv, one row per student, for a gradebook',
  json: 'results.json, everything, for scripts',
  gradescope: "gradescope/<id>/results.json in Gradescope's autograder format",
  classroom:
    "classroom/<id>.b64, GitHub Classroom's grader result " + '(in GitHub Actions, with one submission, also the step output "result")',
  junit: 'junit.xml, a test suite per submission, for any CI',
  markdown: 'summary.md, the score table and what to fix',
};

const BOTH = ['grade', 'grade merge'] as const;
const GRADE = ['grade'] as const;

export const GRADE_OPTIONS = {
  out: { type: 'string', value: 'DIR', default: 'reports', description: 'where to write the reports', commands: BOTH },
  format: {
    type: 'string',
    value: 'LIST',
    multiple: true,
    defaultText: DEFAULT_REPORT_FORMATS.join(','),
    description: 'the reports to write, separated by commas or repeated',
    choices: REPORT_FORMAT_DESCRIPTIONS,
    commands: BOTH,
  },
  jobs: { type: 'string', value: 'N', defaultText: 'the number of cores + 1', description: 'submissions graded at once', commands: GRADE },
  seed: { type: 'string', value: 'S', defaultText: "the rubric's", description: 'the seed of every random check', commands: GRADE },
  only: {
    type: 'string',
    value: 'PART',
    multiple: true,
    description: (example: string) => `grade only this part id, e.g. ${example} (repeat or separate with commas)`,
    commands: GRADE,
  },
  timeout: {
    type: 'string',
    value: 'SEC',
    defaultText: "the rubric's",
    description: 'wall-clock limit for one run in the child',
    note: "a whole submission has a budget too (the rubric's submissionSeconds and submissionCpuSeconds)",
    commands: GRADE,
  },
  assignment: {
    type: 'string',
    value: 'DIR',
    defaultText: 'graders/src/assignments/assignment-11',
    description: 'the assignment to grade: a folder whose index.ts exports its parts',
    commands: BOTH,
  },
  rubric: { type: 'string', value: 'FILE', defaultText: "the assignment's rubric.json", description: 'the rubric', commands: BOTH },
  manual: {
    type: 'string',
    value: 'FILE',
    default: 'manual-grades.csv',
    description: 'TA scores for manual items, CSV id,part,points,comment',
    note: 'the items still pending are written to OUT/manual-grades.pending.csv to fill in',
    commands: BOTH,
  },
  shard: {
    type: 'string',
    value: 'K/N',
    description:
      'grade only the K-th of N slices of the submissions (by sorted id), e.g. on N machines at once; ' +
      'join their --out folders with "grade merge"',
    commands: GRADE,
  },
  cache: { type: 'string', value: 'DIR', defaultText: 'OUT/.cache', description: 'where results are kept by content', commands: GRADE },
  force: { type: 'boolean', description: 'grade every submission again, even those whose result is cached', commands: GRADE },
  fresh: {
    type: 'boolean',
    description:
      'start the class over: keep nothing of the results already in --out (the reports of submissions not graded now are removed)',
    commands: BOTH,
  },
  'release-answers': {
    type: 'boolean',
    description: "show the expected values of exact-answer parts in the results and on the students' pages (after the deadline)",
    note: 'by default every output marks the wrong entries only',
    commands: GRADE,
  },
  json: {
    type: 'boolean',
    description:
      'print a JSON summary on stdout instead of the text line: ' +
      "per submission its id, total, max, status, whether it was cached and its reports' paths",
    commands: BOTH,
  },
  quiet: { type: 'boolean', description: 'print only errors and the final summary line', commands: BOTH },
  help: { type: 'boolean', short: 'h', description: 'show this help', commands: BOTH },
  version: { type: 'boolean', short: 'v', description: 'show the version', commands: GRADE },
} as const satisfies OptionTable<GradeCommand>;
