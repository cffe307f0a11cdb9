/**
 * `grade <submission folders...>`: grades every submission and writes the reports.
 * Exit codes: 0 when grading completed (whatever the scores), 2 for a usage error, 1 when the
 * harness itself failed.
 */
import { availableParallelism } from 'node:os';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { glob } from 'glob';
import { gradeClass } from '../trusted/grade-class.js';
import { ManualGradesError, loadManualGrades } from '../trusted/manual-grades.js';
import { DEFAULT_RUBRIC_PATH, RubricError, loadRubric } from '../trusted/rubric.js';
import { writeFileAtomic } from '../trusted/reports/write-file-atomic.js';
import { writeReportsIfChanged } from './write-reports-if-changed.js';

const HELP = `Usage: grade [options] <submission folder>...

Grades each submission folder (a student's filled-in copy of skeleton/) in an isolated child
process and writes the reports.

Options:
  --out DIR        where to write the reports (default: reports)
  --jobs N         submissions graded at once (default: the number of cores)
  --seed S         the seed of every random check (default: the rubric's)
  --only PART      grade only this part id, e.g. Q1b.Add (repeat or separate with commas)
  --timeout SEC    wall-clock limit for one part in the child (default: the rubric's)
  --rubric FILE    the rubric (default: graders/rubric.json)
  --manual FILE    TA scores for manual items, CSV id,part,points,comment (default: manual-grades.csv)
  --force          grade every submission again, even those whose result is cached in DIR/.cache
  --quiet          print only errors and the final summary line
  -h, --help       show this help
  -v, --version    show the version

Examples:
  grade submissions/*
  grade --only Q1b.Add --only Q1b.Mul submissions/alice
  grade --jobs 1 --seed 7 --out /tmp/reports submissions/*
`;

class UsageError extends Error {}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} expects a whole number >= 0, got "${text}"`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', default: 'reports' },
        jobs: { type: 'string' },
        seed: { type: 'string' },
        only: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        rubric: { type: 'string', default: DEFAULT_RUBRIC_PATH },
        manual: { type: 'string', default: 'manual-grades.csv' },
        quiet: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`grade: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  try {
    if (positionals.length === 0) throw new UsageError('no submission folders given');
    const rubric = loadRubric(values.rubric);
    const only = (values.only ?? []).flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean);
    const unknown = only.filter((id) => !rubric.parts.some((p) => p.id === id));
    if (unknown.length > 0) throw new UsageError(`--only ${unknown.join(', ')}: no such part; the parts are ${rubric.parts.map((p) => p.id).join(', ')}`);
    const timeout = positiveInteger(values.timeout, '--timeout');
    if (timeout !== undefined) rubric.limits.timeoutSeconds = timeout;
    const seed = positiveInteger(values.seed, '--seed') ?? rubric.seed;
    const jobs = positiveInteger(values.jobs, '--jobs') ?? availableParallelism();
    // Shells expand submissions/* themselves; on Windows or in quotes, expand it here.
    const folders = (await Promise.all(positionals.map(async (p) => (glob.hasMagic(p) ? (await glob(p)).sort() : [p])))).flat();
    const existing = folders.filter((f) => {
      try {
        return statSync(f).isDirectory();
      } catch {
        return false;
      }
    });
    if (existing.length === 0) throw new UsageError(`none of ${positionals.join(' ')} is a folder; expected submission folders such as submissions/*`);
    const manual = loadManualGrades(values.manual, rubric);

    const tty = process.stderr.isTTY && !values.quiet;
    const started = performance.now();
    if (!values.quiet) process.stderr.write(`grading ${folders.length} submission(s) with seed ${seed}, ${jobs} at a time\n`);
    const graded = await gradeClass(folders, {
      rubric,
      seed,
      only,
      manual,
      jobs,
      // Unchanged submissions are not run again; --force grades them anyway and refreshes the cache.
      cacheDir: join(values.out, '.cache'),
      force: values.force,
      onGraded: (result, done, total) => {
        if (values.quiet) return;
        const line = `${result.id}: ${result.status === 'error' ? `error: ${result.error}` : `${result.total}/${result.max}`}`;
        if (tty) {
          const width = 24;
          const filled = Math.round((done / total) * width);
          process.stderr.write(`\r\x1b[K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${line}`);
          if (done === total) process.stderr.write('\n');
        } else {
          process.stderr.write(`[${done}/${total}] ${line}\n`);
        }
      },
    });
    const written = await writeReportsIfChanged(values.out, graded.result);
    await writeFileAtomic(join(values.out, 'timings.json'), `${JSON.stringify(graded.timings, null, 2)}\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const fresh = Object.values(graded.timings).filter((t) => !t.cached).length;
    const reports = written === null ? 'unchanged' : `${written.length} files`;
    process.stdout.write(
      `graded ${graded.result.submissions.length} submission(s) in ${seconds} s (${fresh} run, ${graded.result.submissions.length - fresh} unchanged); reports in ${values.out}/ (${reports}, open ${join(values.out, 'index.html')})\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof RubricError || error instanceof ManualGradesError) {
      process.stderr.write(`grade: ${error.message}\n\nRun "grade --help" for the options.\n`);
      return 2;
    }
    process.stderr.write(`grade: ${(error as Error).message}\n`);
    return 1;
  }
}
