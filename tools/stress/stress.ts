/**
 * `npm run stress`: grades the reference and every correct-but-different solution
 * (tools/submissions/correct-corpus.ts) with seeds 1..200, one `grade` run per seed over all of them, and counts false failures: points
 * lost by a correct solution. Prints a table (variant, seeds, false failures, the first failing
 * seed and part) and exits 1 on any false failure.
 *
 *   npm run stress                      # seeds 1..200
 *   npm run stress -- --seeds 20        # seeds 1..20
 *   npm run stress -- --from 101 --seeds 100 --jobs 1
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import type { ClassResult } from '../../graders/src/trusted/result.js';
import { CORRECT_CORPUS } from '../submissions/correct-corpus.js';
import { writeSubmission } from '../submissions/make-submission.js';
import type { Variant } from '../submissions/variants.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');
/** Q1d's comment is graded by hand: a correct solution's autograded maximum leaves it out. */
const MANUAL: Record<string, number> = { Q1d: 0.5 };

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '200' },
    from: { type: 'string', default: '1' },
    jobs: { type: 'string' },
  },
});
const count = Number(values.seeds);
const from = Number(values.from);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(from) || from < 0) {
  process.stderr.write('stress: --seeds and --from expect whole numbers (seeds >= 1)\n');
  process.exit(2);
}

const variants: Variant[] = [{ id: 'reference', mistake: 'none: the reference solution', patches: [], expectedPoints: {} }, ...CORRECT_CORPUS];
const folder = mkdtempSync(join(tmpdir(), 'stress-'));
for (const variant of variants) writeSubmission(variant, join(folder, variant.id));
const folders = variants.map((v) => join(folder, v.id));

interface Tally {
  seeds: number;
  falseFailures: number;
  first?: string;
}
const tallies = new Map(variants.map((v) => [v.id, { seeds: 0, falseFailures: 0 } as Tally]));
const started = performance.now();

try {
  for (let seed = from; seed < from + count; seed++) {
    const out = mkdtempSync(join(tmpdir(), 'stress-out-'));
    try {
      const run = await execa(process.execPath, [GRADE, '--quiet', '--out', out, '--seed', String(seed), ...(values.jobs ? ['--jobs', values.jobs] : []), ...folders], {
        reject: false,
      });
      if (run.exitCode !== 0) throw new Error(`grade --seed ${seed} exited with ${run.exitCode}: ${run.stderr}`);
      const result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult;
      const lost: string[] = [];
      for (const submission of result.submissions) {
        const tally = tallies.get(submission.id)!;
        tally.seeds++;
        const parts = submission.parts.filter((p) => p.points < p.max - (MANUAL[p.id] ?? 0) - 1e-9);
        if (submission.status !== 'graded' || parts.length > 0) {
          tally.falseFailures++;
          const what = submission.status !== 'graded' ? `error: ${submission.error}` : parts.map((p) => `${p.id} ${p.points}/${p.max}: ${p.checks.find((c) => !c.passed)?.message ?? p.reason ?? p.status}`).join('; ');
          tally.first ??= `seed ${seed}: ${what}`;
          lost.push(`${submission.id} (${what})`);
        }
      }
      const elapsed = ((performance.now() - started) / 1000).toFixed(0);
      process.stdout.write(`seed ${seed}: ${lost.length === 0 ? 'no false failure' : `FALSE FAILURES: ${lost.join(', ')}`} [${elapsed} s]\n`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const rows = [...tallies].map(([id, t]) => [id, String(t.seeds), String(t.falseFailures), t.first ?? '-']);
const header = ['variant', 'seeds', 'false failures', 'first failing seed and part'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.min(r[i].length, i === 3 ? 80 : 60))));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
process.stdout.write(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`);
const total = [...tallies.values()].reduce((sum, t) => sum + t.falseFailures, 0);
process.stdout.write(`\n${variants.length} correct solutions, seeds ${from}..${from + count - 1}: ${total} false failure(s) in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
process.exitCode = total === 0 ? 0 : 1;
