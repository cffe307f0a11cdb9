/**
 * `grade --help` (and `grade merge --help`): the usage lines and the options come from the option
 * table (grade-options.ts); the prose around them, the environment and the examples are written
 * here. The examples and the description of --only name the assignment's own parts.
 */
import type { AssignmentDefinition } from '../trusted/assignment.js';
import { loadAssignment } from '../trusted/load-assignment.js';
import { DEFAULT_ASSIGNMENT } from './default-assignment.js';
import { GRADE_OPTIONS } from './grade-options.js';
import { optionHelp, usageOptions, wrapped } from './option-help.js';

/** Two part ids to show in examples (ids with a dot first: a part of a question says more than a question); PART when there are none. */
export function exampleParts(assignment: AssignmentDefinition | null): [string, string] {
  const parts = assignment?.parts ?? [];
  const [first, second] = [...parts.filter((part) => part.id.includes('.')), ...parts].map((part) => part.id);
  return [first ?? 'PART', second ?? first ?? 'PART'];
}

/** The assignment named by --assignment (or the default), or null when it cannot be loaded (the error is thrown on use). */
export async function assignmentOrNull(folder: string | undefined): Promise<AssignmentDefinition | null> {
  try {
    return await loadAssignment(folder ?? DEFAULT_ASSIGNMENT);
  } catch {
    return null;
  }
}

const ABOUT = `Grades each submission folder (a student's filled-in copy of skeleton/) in an isolated child
process and writes the reports. A submission that has not changed since the last run (same files,
grader, rubric and seed) is not run again. "grade merge" joins the outputs of "grade --shard" runs
into the reports one run over the whole class gives.

A run keeps the class already in the --out folder (its results.json): the submissions it grades
replace theirs (with --only, just those parts), the others are kept, every report shows the whole
class, and the run says what it kept. --fresh starts the class over; a --shard run writes its
slice only.

Folders are taken exactly as given: the shell expands a pattern such as submissions/*, grade
never does (on Windows, list the folders or use a shell that expands patterns). A folder's name is
the submission's id, so two folders may not share a name.`;

const ENVIRONMENT = `Environment:
  NO_COLOR         when set, print no terminal control codes (neither is used when stderr is
                   not a terminal)
  GRADE_STILL_RUNNING_SECONDS
                   after how many seconds a submission still being graded is named with the
                   part it is waiting on (default: 10)`;

const EXIT_CODES = `Exit codes: 0 grading completed (whatever the scores), 2 a usage error or input that does not fit
(the message starts with its code, e.g. E_USAGE_UNKNOWN_OPTION, which docs/cli.md explains),
1 the harness failed.`;

/** The help, with examples from `assignment`'s own parts. */
export function gradeHelp(assignment: AssignmentDefinition | null): string {
  const [one, two] = exampleParts(assignment);
  const merge = `${usageOptions(GRADE_OPTIONS, 'grade merge')} <shard output folder>...`;
  return `Usage: grade [options] <submission folder>...
${wrapped(merge, 19, '       grade merge ').join('\n')}

${ABOUT}

Options:
${optionHelp(GRADE_OPTIONS, one).join('\n')}

${ENVIRONMENT}

${EXIT_CODES}

Examples:
  grade submissions/*
  grade --only ${one} --only ${two} submissions/alice
  grade --jobs 1 --seed 7 --out /tmp/reports submissions/*
  grade --format html,junit,markdown --json submissions/*
  grade --shard 2/4 --out shard-2 submissions/*        # one of 4 runners, then:
  grade merge --out reports shard-1 shard-2 shard-3 shard-4
`;
}
