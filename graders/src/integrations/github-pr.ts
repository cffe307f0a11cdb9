/**
 * `npm run grade:pr -- [options]`: grades the submission folders a pull request changes, for the
 * workflow .github/workflows/grade-pr.yml (see docs/integrations.md, "Grading pull requests").
 *
 * 1. `git diff <base>...<head>` in the pull request's checkout finds the changed folders under
 *    submissions/;
 * 2. `grade` grades them (HTML, JSON and Markdown reports in --out, for the artifact);
 * 3. the score table and the failed checks with their hints are appended to
 *    $GITHUB_STEP_SUMMARY, an annotation is printed per part that fell short (on the student's
 *    file), and $GITHUB_OUTPUT gets `submissions`, `reports`, `lowest-percent` and `passed`;
 * 4. the exit code is 1 when a changed submission scores below --fail-under percent of the
 *    points graded automatically (points waiting for a TA count neither way) or could not be
 *    graded, 0 otherwise (2 for a usage error).
 *
 * Everything a submission can influence (its output, the grader's log, folder names) is printed
 * between stop-commands markers (see workflow-commands.ts), with its control characters escaped
 * (printable.ts): no terminal escape sequence reaches the log as it was sent.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { markdownSummary } from '../trusted/reports/markdown-report.js';
import { formatPoints } from '../trusted/reports/format-points.js';
import type { ClassResult } from '../trusted/result.js';
import { loadAssignment } from '../trusted/load-assignment.js';
import { loadRubric } from '../trusted/load-rubric.js';
import { commandFailed } from '../cli/command-failure.js';
import { parseCommandLine } from '../cli/command-line.js';
import { UsageError } from '../cli/usage-error.js';
import { annotations } from './annotations.js';
import { SUBMISSIONS_DIR, changedSubmissions } from './changed-submissions.js';
import { PR_OPTIONS, prHelp } from './pr-options.js';
import { printableLines } from '../cli/printable.js';
import { pendingPointsOf, scoreText } from '../cli/submission-line.js';
import type { SubmissionResult } from '../trusted/result.js';
import { withoutCommands, workflowCommand } from './workflow-commands.js';

const GRADE_BIN = fileURLToPath(new URL('../../bin/grade.js', import.meta.url));

/** Appends to the file a GitHub variable names, when it is set (locally it usually is not). */
function appendTo(variable: 'GITHUB_STEP_SUMMARY' | 'GITHUB_OUTPUT', text: string): void {
  const path = process.env[variable];
  if (path) appendFileSync(path, text);
}

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/**
 * A submission's share of the points the grader decides by itself: points waiting for a TA's
 * review (a derivation, a plot comment) count neither as won nor as lost, or no pull request
 * could ever reach 100%.
 */
function percentOf(submission: SubmissionResult): number {
  const decided = submission.max - pendingPointsOf(submission);
  return decided <= 0 ? 100 : (100 * submission.total) / decided;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { values } = parseCommandLine(PR_OPTIONS, 'grade:pr', argv, { positionals: false });
    if (values.help) {
      print(prHelp());
      return 0;
    }
    const failUnder = Number(values['fail-under']);
    if (!Number.isFinite(failUnder) || failUnder < 0 || failUnder > 100) {
      throw new UsageError('E_USAGE_FAIL_UNDER', `--fail-under expects a percentage from 0 to 100, got "${values['fail-under']}"`);
    }
    const base = values.base ?? (process.env.GITHUB_BASE_REF ? `origin/${process.env.GITHUB_BASE_REF}` : undefined);
    if (!base) {
      const how = 'pass --base <commit or ref> (in a pull_request workflow, GITHUB_BASE_REF gives it)';
      throw new UsageError('E_USAGE_NO_BASE', `no base to compare with: ${how}`);
    }
    const repo = resolve(values.repo);
    const out = resolve(values.out);
    const assignment = await loadAssignment(values.assignment);
    const rubric = loadRubric(assignment, values.rubric);
    const changed = await changedSubmissions(repo, base, values.head);

    const notes: string[] = [];
    if (changed.gone.length > 0)
      notes.push(`Not graded (deleted, renamed or not a folder): ${changed.gone.length} changed submission folder(s).`);
    if (changed.otherFiles > 0)
      notes.push(
        `This pull request also changes ${changed.otherFiles} file(s) outside ${SUBMISSIONS_DIR}/; grading used the base branch's grader, not those changes.`,
      );

    appendTo('GITHUB_OUTPUT', `submissions=${changed.folders.length}\n`);
    if (changed.folders.length === 0) {
      appendTo(
        'GITHUB_STEP_SUMMARY',
        [
          '## Grades for this pull request',
          '',
          `No submission folder under ${SUBMISSIONS_DIR}/ changed; nothing was graded.`,
          ...notes.map((n) => `\n${n}`),
          '',
        ].join('\n'),
      );
      appendTo('GITHUB_OUTPUT', 'passed=true\n');
      print(`no submission folder under ${SUBMISSIONS_DIR}/ changed between ${base} and ${values.head}; nothing to grade`);
      return 0;
    }

    // Each changed folder exactly as named: grade takes its arguments literally (a folder named "*"
    // is graded as itself), and "--" ends the options, whatever a name starts with.
    const folders = changed.folders.map((name) => join(repo, SUBMISSIONS_DIR, name));
    const grade = await execa(
      process.execPath,
      [
        GRADE_BIN,
        // --fresh: the folder holds this pull request's submissions only, never a class kept from an earlier run.
        ...[
          '--format',
          'html,json,markdown',
          '--json',
          '--quiet',
          '--fresh',
          '--out',
          out,
          '--assignment',
          values.assignment,
          '--rubric',
          values.rubric ?? assignment.rubric,
        ],
        ...(values.jobs ? ['--jobs', values.jobs] : []),
        '--',
        ...folders,
      ],
      { reject: false, env: { NO_COLOR: '1' } },
    );
    if (grade.stderr.trim() !== '') {
      print('::group::What the grader printed');
      print(withoutCommands(printableLines(grade.stderr)));
      print('::endgroup::');
    }
    if (grade.exitCode !== 0) {
      print(
        workflowCommand(
          'error',
          { title: 'Grading failed' },
          `grade exited with code ${grade.exitCode}; its messages are in the group "What the grader printed" above.`,
        ),
      );
      appendTo('GITHUB_OUTPUT', 'passed=false\n');
      return 1;
    }
    appendTo('GITHUB_OUTPUT', `reports=${out}\n`);

    const result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult;
    for (const submission of result.submissions) {
      if (submission.output.trim() === '') continue;
      print(workflowCommand('group', {}, `What ${submission.id} printed while it was graded`));
      print(withoutCommands(printableLines(submission.output)));
      print('::endgroup::');
    }
    for (const a of annotations(result, assignment, rubric, repo, SUBMISSIONS_DIR)) {
      print(workflowCommand(a.level, { file: a.file, line: a.line, title: a.title }, a.message));
    }

    const below = result.submissions.filter((s) => s.status !== 'graded' || percentOf(s) < failUnder);
    const lowest = Math.min(...result.submissions.map((s) => (s.status !== 'graded' ? 0 : percentOf(s))));
    const passed = below.length === 0;
    const verdict = passed
      ? failUnder > 0
        ? `Every changed submission reaches ${formatPoints(failUnder)}% of the points graded automatically.`
        : 'Graded; no minimum score is required (--fail-under 0).'
      : `${below.length} changed submission(s) below ${formatPoints(failUnder)}% of the points graded automatically, or not graded: the check fails.`;
    appendTo(
      'GITHUB_STEP_SUMMARY',
      [
        markdownSummary(result, { title: 'Grades for this pull request' }).trimEnd(),
        '',
        `**${verdict}** The full reports (a page per submission) are in this run's artifact.`,
        ...notes.map((n) => `\n${n}`),
        '',
      ].join('\n'),
    );
    appendTo('GITHUB_OUTPUT', `lowest-percent=${formatPoints(lowest)}\npassed=${passed}\n`);
    const lines = result.submissions.map((s) =>
      s.status === 'graded'
        ? `${s.id}: ${scoreText(s)}, ${formatPoints(percentOf(s))}% of the points graded automatically`
        : `${s.id}: ${s.status === 'error' ? 'not graded' : 'no submission'}: ${s.error}`,
    );
    print(withoutCommands(`${printableLines([...lines, verdict, ...notes].join('\n'))}\n`));
    return passed ? 0 : 1;
  } catch (error) {
    return commandFailed('grade:pr', error, 'npm run grade:pr -- --help');
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
