/**
 * The options of `npm run grade:pr` (github-pr.ts): the one table its parser, its `--help` and
 * docs/cli.md come from (cli/option-table.ts).
 */
import { DEFAULT_ASSIGNMENT } from '../cli/default-assignment.js';
import { optionHelp } from '../cli/option-help.js';
import type { OptionTable } from '../cli/option-table.js';

const PR = ['grade:pr'] as const;

export const PR_OPTIONS = {
  repo: {
    type: 'string',
    value: 'DIR',
    default: '.',
    defaultText: 'the current folder',
    description: "the pull request's checkout",
    commands: PR,
  },
  base: {
    type: 'string',
    value: 'REF',
    defaultText: 'origin/$GITHUB_BASE_REF',
    description: 'the commit or ref the pull request is based on',
    commands: PR,
  },
  head: { type: 'string', value: 'REF', default: 'HEAD', description: "the pull request's commit", commands: PR },
  out: { type: 'string', value: 'DIR', default: 'pr-reports', description: 'where to write the reports', commands: PR },
  'fail-under': {
    type: 'string',
    value: 'PCT',
    default: '0',
    defaultText: '0, never',
    description: 'fail (exit 1) when a changed submission scores below PCT percent of the points graded automatically',
    note: "points waiting for a TA's review count neither way",
    commands: PR,
  },
  assignment: {
    type: 'string',
    value: 'DIR',
    default: DEFAULT_ASSIGNMENT,
    defaultText: 'graders/src/assignments/assignment-11',
    description: 'the assignment to grade: a folder whose index.ts exports its parts',
    commands: PR,
  },
  rubric: { type: 'string', value: 'FILE', defaultText: 'graders/rubric.json', description: 'the rubric', commands: PR },
  jobs: { type: 'string', value: 'N', defaultText: 'the number of cores + 1', description: 'submissions graded at once', commands: PR },
  help: { type: 'boolean', short: 'h', description: 'show this help', commands: PR },
} as const satisfies OptionTable;

/** `npm run grade:pr -- --help`. */
export function prHelp(): string {
  return `Usage: npm run grade:pr -- [options]

Grades the submission folders that a pull request changes and reports to GitHub Actions: a job
summary ($GITHUB_STEP_SUMMARY), annotations on the students' files, step outputs ($GITHUB_OUTPUT).

Options:
${optionHelp(PR_OPTIONS, 'PART').join('\n')}

Exit codes: 0 every changed submission reaches --fail-under, 1 one does not or could not be graded,
2 a usage error or input that does not fit (the message starts with its code, which docs/cli.md
explains).

Example (in a workflow, with the pull request checked out in ../pr):
  npm run --silent grade:pr -- --repo ../pr --base "$BASE_SHA" --out ../pr-reports --fail-under 50
`;
}
