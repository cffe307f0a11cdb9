/**
 * The grade command as other systems drive it: every report format from the demo run, each
 * validated; --json; a regrade of unchanged submissions that runs nothing; shards that merge into
 * the single run's reports byte for byte; GitHub Classroom's step output; and the command-line
 * conventions (--help with examples, --version, NO_COLOR, errors that say what to do).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { classroomPointsLine, classroomResultSchema, decodeClassroomResult, gradescopeResultsSchema } from './format-schemas.js';
import { ROOT, runGrade, type GradeRun } from '../cli/run-grade.js';

const BIN = join(ROOT, 'graders', 'bin', 'grade.js');
const SUBMISSIONS = join(ROOT, 'submissions');
const DEMOS = readdirSync(SUBMISSIONS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => join(SUBMISSIONS, e.name))
  .sort();
const ALL_FORMATS = 'html,csv,json,gradescope,classroom,junit,markdown';

interface Summary {
  command: string;
  out: string;
  formats: string[];
  reportsWritten: boolean;
  counts: { submissions: number; graded: number; noSubmission: number; errors: number; run: number; cached: number };
  files: string[];
  submissions: { id: string; total: number; max: number; status: string; cached: boolean; reports: Record<string, string> }[];
}

const summaryOf = (run: GradeRun): Summary => JSON.parse(run.stdout) as Summary;

describe('grade --format (every format) --json on the demo submissions', () => {
  let run: GradeRun;
  let summary: Summary;
  beforeAll(async () => {
    run = await runGrade(['--format', ALL_FORMATS, '--json', '--quiet', ...DEMOS]);
    summary = summaryOf(run);
  }, 300_000);

  it('prints a JSON summary: ids, totals, status, cached or not, report paths', () => {
    expect(run.exitCode).toBe(0);
    expect(summary.command).toBe('grade');
    expect(summary.formats).toEqual(ALL_FORMATS.split(','));
    expect(summary.counts).toEqual({
      submissions: DEMOS.length,
      graded: DEMOS.length,
      noSubmission: 0,
      errors: 0,
      run: DEMOS.length,
      cached: 0,
    });
    const results = run.results();
    for (const s of summary.submissions) {
      const result = results.submissions.find((r) => r.id === s.id)!;
      expect(s).toMatchObject({ total: result.total, max: result.max, status: 'graded', cached: false });
      expect(Object.keys(s.reports).sort()).toEqual(['classroom', 'gradescope', 'html']);
      for (const path of Object.values(s.reports)) expect(existsSync(path), path).toBe(true);
    }
    expect(summary.files.map((f) => f.slice(run.out.length + 1))).toEqual([
      'index.html',
      'grades.csv',
      'results.json',
      'junit.xml',
      'summary.md',
    ]);
    for (const file of summary.files) expect(existsSync(file), file).toBe(true);
  });

  it('gradescope: each results.json validates and scores the total', () => {
    for (const s of summary.submissions) {
      const parsed = gradescopeResultsSchema.parse(JSON.parse(readFileSync(s.reports.gradescope, 'utf8')));
      expect(parsed.score).toBe(s.total);
    }
  });

  it('classroom: each result decodes and validates, and its Points line is the total', () => {
    for (const s of summary.submissions) {
      const parsed = classroomResultSchema.parse(decodeClassroomResult(readFileSync(s.reports.classroom, 'utf8')));
      expect(classroomPointsLine(parsed)).toBe(`Points ${s.total}/${s.max}`);
    }
  });

  it('junit: well-formed, a testsuite per submission', () => {
    const xml = readFileSync(join(run.out, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(DEMOS.length);
  });

  it('markdown: a table row per submission', () => {
    const markdown = readFileSync(join(run.out, 'summary.md'), 'utf8');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| '));
    expect(rows).toHaveLength(DEMOS.length + 2); // the header, the separator, a row each
    expect(markdown).toContain('Hint: ');
  });

  it('a second run on unchanged submissions runs nothing and writes nothing', async () => {
    const again = await runGrade(['--format', ALL_FORMATS, '--json', '--quiet', ...DEMOS], { out: run.out });
    const second = summaryOf(again);
    expect(second.counts).toMatchObject({ run: 0, cached: DEMOS.length });
    expect(second.submissions.every((s) => s.cached)).toBe(true);
    expect(second.reportsWritten).toBe(false);
    const timings = JSON.parse(readFileSync(join(run.out, 'timings.json'), 'utf8')) as Record<string, { cached: boolean }>;
    expect(Object.values(timings).every((t) => t.cached)).toBe(true);
    expect(again.resultsText()).toBe(run.resultsText());
  }, 120_000);

  it("--shard K/N slices the class; grade merge joins the slices into the single run's reports, byte for byte", async () => {
    const shards = await Promise.all([1, 2, 3].map((k) => runGrade(['--shard', `${k}/3`, '--quiet', '--jobs', '1', ...DEMOS])));
    const ids = shards.map((shard) => shard.results().submissions.map((s) => s.id));
    expect(ids.flat().sort()).toEqual(
      run
        .results()
        .submissions.map((s) => s.id)
        .sort(),
    );
    expect(ids.map((slice) => slice.length)).toEqual([3, 3, 2]);
    const merged = mkdtempSync(join(tmpdir(), 'merged-'));
    const merge = await execa(
      process.execPath,
      [BIN, 'merge', '--out', merged, '--format', 'html,csv,json,junit', ...shards.map((s) => s.out)],
      { reject: false, env: { NO_COLOR: '1' } },
    );
    expect(merge.stderr).toBe('');
    expect(merge.exitCode).toBe(0);
    for (const file of ['results.json', 'grades.csv', 'index.html', 'junit.xml', 'complete.html']) {
      expect(readFileSync(join(merged, file), 'utf8'), file).toBe(readFileSync(join(run.out, file), 'utf8'));
    }
    const timings = JSON.parse(readFileSync(join(merged, 'timings.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(timings).sort()).toEqual(ids.flat().sort());

    const overlap = await execa(process.execPath, [BIN, 'merge', '--out', merged, shards[0].out, shards[0].out], { reject: false });
    expect(overlap.exitCode).toBe(2);
    expect(overlap.stderr).toContain('shards must not overlap');
  }, 300_000);
});

describe('grade --format classroom in GitHub Actions', () => {
  it('prints Points X/Y and sets the step output "result" for the Classroom reporter', async () => {
    const githubOutput = join(mkdtempSync(join(tmpdir(), 'gh-output-')), 'output');
    writeFileSync(githubOutput, '');
    const out = mkdtempSync(join(tmpdir(), 'classroom-'));
    const run = await execa(process.execPath, [BIN, '--format', 'classroom', '--quiet', '--out', out, join(SUBMISSIONS, 'complete')], {
      reject: false,
      env: { GITHUB_OUTPUT: githubOutput, NO_COLOR: '1' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n')).toContain('Points 17.5/20');
    const lines = readFileSync(githubOutput, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const [name, value] = lines[0].split('=', 2);
    expect(name).toBe('result');
    const parsed = classroomResultSchema.parse(decodeClassroomResult(lines[0].slice('result='.length)));
    expect(value.length).toBeGreaterThan(100);
    expect(classroomPointsLine(parsed)).toBe('Points 17.5/20');
  }, 120_000);
});

describe('command-line conventions', () => {
  const grade = (args: string[], env: Record<string, string> = {}) =>
    execa(process.execPath, [BIN, ...args], { reject: false, env: { NO_COLOR: '1', ...env } });

  it('--help lists every option with examples, and exits 0', async () => {
    const help = await grade(['--help']);
    expect(help.exitCode).toBe(0);
    for (const option of [
      '--out',
      '--format',
      '--shard',
      '--cache',
      '--force',
      '--json',
      '--quiet',
      '--version',
      'NO_COLOR',
      'grade merge',
      'Examples:',
      'Exit codes',
    ]) {
      expect(help.stdout, option).toContain(option);
    }
  });

  it('--version prints the package version', async () => {
    const version = await grade(['--version']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it.each([
    [[], 'no submission folders given; pass them as arguments, e.g. grade submissions/*'],
    [
      ['--format', 'pdf', 'submissions/complete'],
      '--format pdf: no such report; choose from html, csv, json, gradescope, classroom, junit, markdown',
    ],
    [['--shard', '4/3', 'submissions/complete'], '--shard expects K/N with 1 <= K <= N, e.g. --shard 2/4; got "4/3"'],
    [['--jobs', 'many', 'submissions/complete'], '--jobs expects a whole number >= 0, got "many"'],
    [['--only', 'Q9', 'submissions/complete'], '--only Q9: no such part; the parts are Q1a'],
    [['no-such-folder'], 'none of no-such-folder is a folder or a .zip file; expected submission folders such as submissions/*'],
    [['--colour'], 'unknown option --colour'],
    [['merge'], 'no shard output folders given; pass the --out folders of the "grade --shard K/N" runs'],
    [['merge', 'submissions'], 'submissions has no results.json; pass the --out folders of the shard runs'],
  ])('grade %j is a usage error that says what to do', async (args, message) => {
    const run = await grade(args, {});
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Run "grade --help" for the options.');
    expect(run.stdout).toBe('');
  });

  const hasScript = (() => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.runIf(hasScript)(
    'draws a progress bar on a terminal, and no control codes with NO_COLOR',
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'tty-'));
      // util-linux `script` gives the command a terminal.
      const onTerminal = (noColor: string) =>
        execa('script', ['-qec', `"${process.execPath}" "${BIN}" --out "${out}" --force "${join(SUBMISSIONS, 'complete')}"`, '/dev/null'], {
          reject: false,
          env: { NO_COLOR: noColor },
        });
      const plain = await onTerminal('1');
      expect(plain.exitCode).toBe(0);
      expect(plain.stdout).toContain('[1/1] complete: 17.5/20');
      expect(plain.stdout).not.toContain('\x1b');
      const bar = await onTerminal('');
      // The line stays; the bar is drawn again below it.
      expect(bar.stdout).toContain('\x1b[K[1/1] complete: 17.5/20 (+2.5 pending)');
      expect(bar.stdout).toMatch(/\[1\/1\] complete: 17\.5\/20 \(\+2\.5 pending\)\r?\n\[#{24}\] 1\/1/);
    },
    120_000,
  );

  it('shows a submission name with line breaks escaped, so it cannot start a line of its own', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'names-')), 'x\n::error::forged');
    execFileSync('cp', ['-r', join(SUBMISSIONS, 'complete'), folder]);
    const run = await grade(['--only', 'Q3.k1', '--out', mkdtempSync(join(tmpdir(), 'names-out-')), folder]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('x\\u000a::error::forged: 2/2');
    expect(`${run.stdout}\n${run.stderr}`.split('\n').some((line) => line.trimStart().startsWith('::'))).toBe(false);
  }, 120_000);
});
