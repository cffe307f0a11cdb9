/**
 * `npm run stress`: grades the reference and every correct-but-different solution
 * (tools/submissions/correct-corpus.ts) with seeds 1..200, one `grade` run per seed over all of
 * them, and counts false failures: points lost by a correct solution. Prints a table (variant,
 * seeds, false failures, the first failing seed and part) and exits 1 on any false failure.
 *
 * With `--corpus wrong` it grades the wrong corpus (tools/submissions/wrong-corpus.ts) instead and
 * counts the seeds on which a variant does not lose exactly its expected points per part, or is not
 * named as its expected mistake.
 *
 *   npm run stress                                  # seeds 1..200
 *   npm run stress -- --seeds 20                    # seeds 1..20
 *   npm run stress -- --from 101 --seeds 100 --jobs 1
 *   npm run stress -- --corpus wrong --seeds 10
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import type { ClassResult, SubmissionResult } from '../../graders/src/trusted/result.js';
import { CORRECT_CORPUS } from '../submissions/correct-corpus.js';
import { writeSubmission } from '../submissions/make-submission.js';
import { acceptedDiagnoses, type Variant } from '../submissions/variants.js';
import { WRONG_CORPUS } from '../submissions/wrong-corpus.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');
/** The points a TA gives by hand (Q1d's comment, Q2's derivation), by part: full autograded marks leave them out. */
const MANUAL: Record<string, number> = Object.fromEntries(
  (JSON.parse(readFileSync(join(ROOT, 'graders', 'rubric.json'), 'utf8')) as { parts: { id: string; manual?: { points: number } }[] }).parts
    .filter((part) => part.manual !== undefined)
    .map((part) => [part.id, part.manual!.points]),
);

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '200' },
    from: { type: 'string', default: '1' },
    jobs: { type: 'string' },
    corpus: { type: 'string', default: 'correct' },
  },
});
const count = Number(values.seeds);
const from = Number(values.from);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(from) || from < 0 || !['correct', 'wrong'].includes(values.corpus)) {
  process.stderr.write('stress: --seeds and --from expect whole numbers (seeds >= 1), --corpus correct or wrong\n');
  process.exit(2);
}
const wrong = values.corpus === 'wrong';

const variants: Variant[] = wrong
  ? WRONG_CORPUS
  : [{ id: 'reference', mistake: 'none: the reference solution', patches: [], expectedPoints: {} }, ...CORRECT_CORPUS];
const folder = mkdtempSync(join(tmpdir(), 'stress-'));
for (const variant of variants) writeSubmission(variant, join(folder, variant.id));
const folders = variants.map((v) => join(folder, v.id));

/** What is wrong with a submission's result on one seed, or null when it is as expected. */
function problem(variant: Variant, submission: SubmissionResult): string | null {
  if (submission.status !== 'graded') return `error: ${submission.error}`;
  const problems: string[] = [];
  for (const part of submission.parts) {
    const expected = variant.expectedPoints[part.id] ?? part.max - (MANUAL[part.id] ?? 0);
    if (Math.abs(part.points - expected) > 1e-9) {
      problems.push(
        `${part.id} ${part.points}/${part.max}, expected ${expected}: ${part.checks.find((c) => !c.passed)?.message ?? part.reason ?? part.status}`,
      );
    }
  }
  for (const [partId, diagnosis] of Object.entries(variant.expectedDiagnoses ?? {})) {
    const named =
      submission.parts
        .find((p) => p.id === partId)
        ?.checks.map((c) => c.diagnosis)
        .filter(Boolean) ?? [];
    if (!acceptedDiagnoses(diagnosis).some((d) => named.includes(d)))
      problems.push(`${partId} not named ${diagnosis} (named: ${named.join(', ') || 'nothing'})`);
  }
  return problems.length === 0 ? null : problems.join('; ');
}

interface Tally {
  seeds: number;
  failures: number;
  first?: string;
}
const tallies = new Map(variants.map((v) => [v.id, { seeds: 0, failures: 0 } as Tally]));
const started = performance.now();

try {
  for (let seed = from; seed < from + count; seed++) {
    const out = mkdtempSync(join(tmpdir(), 'stress-out-'));
    try {
      const run = await execa(
        process.execPath,
        [GRADE, '--quiet', '--out', out, '--seed', String(seed), ...(values.jobs ? ['--jobs', values.jobs] : []), ...folders],
        {
          reject: false,
        },
      );
      if (run.exitCode !== 0) throw new Error(`grade --seed ${seed} exited with ${run.exitCode}: ${run.stderr}`);
      const result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult;
      const found: string[] = [];
      for (const variant of variants) {
        const tally = tallies.get(variant.id)!;
        tally.seeds++;
        const what = problem(
          variant,
          result.submissions.find((s) => s.id === variant.id)!,
        );
        if (what !== null) {
          tally.failures++;
          tally.first ??= `seed ${seed}: ${what}`;
          found.push(`${variant.id} (${what})`);
        }
      }
      const elapsed = ((performance.now() - started) / 1000).toFixed(0);
      const label = wrong ? 'NOT AS EXPECTED' : 'FALSE FAILURES';
      process.stdout.write(
        `seed ${seed}: ${found.length === 0 ? (wrong ? 'all as expected' : 'no false failure') : `${label}: ${found.join(', ')}`} [${elapsed} s]\n`,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const rows = [...tallies].map(([id, t]) => [id, String(t.seeds), String(t.failures), t.first ?? '-']);
const header = [
  'variant',
  'seeds',
  wrong ? 'not as expected' : 'false failures',
  wrong ? 'first seed and part' : 'first failing seed and part',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.min(r[i].length, i === 3 ? 80 : 60))));
const line = (cells: string[]) =>
  cells
    .map((c, i) => c.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
process.stdout.write(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`);
const total = [...tallies.values()].reduce((sum, t) => sum + t.failures, 0);
const seconds = ((performance.now() - started) / 1000).toFixed(0);
process.stdout.write(
  wrong
    ? `\n${variants.length} wrong variants, seeds ${from}..${from + count - 1}: ${total} result(s) not as expected in ${seconds} s\n`
    : `\n${variants.length} correct solutions, seeds ${from}..${from + count - 1}: ${total} false failure(s) in ${seconds} s\n`,
);
process.exitCode = total === 0 ? 0 : 1;
