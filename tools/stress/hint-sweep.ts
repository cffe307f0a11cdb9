/**
 * `npm run sweep`: grades the wrong corpus and the correct corpus (with the reference) on seeds
 * 1..20, one `grade` run per seed over all of them, and checks each result with hint-audit.ts: a
 * wrong variant loses exactly its expected points, names each diagnosis it expects, names none it
 * does not list, and every hint agrees with the counterexample beside it; a correct one keeps every
 * autograded point. Prints one line per seed, then every problem with its seed, and exits 1 on any.
 *
 *   npm run sweep                          # seeds 1..20, two grade runs at a time
 *   npm run sweep -- --seeds 3 --from 7    # seeds 7..9
 *   npm run sweep -- --corpus wrong        # the wrong corpus only
 *   npm run sweep -- --parallel 1          # one grade run at a time
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import type { ClassResult } from '../../graders/src/trusted/result.js';
import type { Tolerance } from '../../graders/src/trusted/checks/tolerance.js';
import { CORRECT_CORPUS } from '../submissions/correct-corpus.js';
import { writeSubmission } from '../submissions/make-submission.js';
import type { Variant } from '../submissions/variants.js';
import { WRONG_CORPUS } from '../submissions/wrong-corpus.js';
import { auditCorrect, auditWrong } from './hint-audit.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');
const { tolerance } = JSON.parse(readFileSync(join(ROOT, 'graders', 'rubric.json'), 'utf8')) as { tolerance: Tolerance };

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    from: { type: 'string', default: '1' },
    jobs: { type: 'string' },
    corpus: { type: 'string', default: 'both' },
    parallel: { type: 'string', default: '2' },
  },
});
const count = Number(values.seeds);
const from = Number(values.from);
const parallel = Number(values.parallel);
if (
  !Number.isInteger(count) ||
  count < 1 ||
  !Number.isInteger(from) ||
  from < 0 ||
  !Number.isInteger(parallel) ||
  parallel < 1 ||
  !['both', 'wrong', 'correct'].includes(values.corpus)
) {
  process.stderr.write(
    'sweep: --seeds, --from and --parallel expect whole numbers (seeds and parallel >= 1), --corpus both, wrong or correct\n',
  );
  process.exit(2);
}

const REFERENCE: Variant = { id: 'reference', mistake: 'none: the reference solution', patches: [], expectedPoints: {} };
const wrong = values.corpus === 'correct' ? [] : WRONG_CORPUS;
const correct = values.corpus === 'wrong' ? [] : [REFERENCE, ...CORRECT_CORPUS];
const folder = mkdtempSync(join(tmpdir(), 'sweep-'));
for (const variant of [...wrong, ...correct]) writeSubmission(variant, join(folder, variant.id));
const folders = [...wrong, ...correct].map((v) => join(folder, v.id));

const started = performance.now();

/** Grades every submission on `seed` and audits the results: the problems found, each with its seed. */
async function sweepSeed(seed: number): Promise<string[]> {
  const out = mkdtempSync(join(tmpdir(), 'sweep-out-'));
  try {
    const run = await execa(
      process.execPath,
      [GRADE, '--quiet', '--out', out, '--seed', String(seed), ...(values.jobs ? ['--jobs', values.jobs] : []), ...folders],
      { reject: false },
    );
    if (run.exitCode !== 0) return [`seed ${seed}: grade exited with ${run.exitCode}: ${run.stderr}`];
    const result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult;
    const submission = (id: string) => result.submissions.find((s) => s.id === id);
    const found = [
      ...wrong.flatMap((v) => auditWrong(v, submission(v.id), tolerance).map((p) => `${v.id}: ${p}`)),
      ...correct.flatMap((v) => auditCorrect(submission(v.id)).map((p) => `${v.id}: ${p}`)),
    ];
    const elapsed = ((performance.now() - started) / 1000).toFixed(0);
    process.stdout.write(`seed ${seed}: ${found.length === 0 ? 'all as expected' : `${found.length} problem(s)`} [${elapsed} s]\n`);
    return found.map((p) => `seed ${seed}: ${p}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const bySeed = new Map<number, string[]>();
try {
  // `parallel` grade runs at a time: a run spends much of its time waiting on its children.
  const pending = Array.from({ length: count }, (_, i) => from + i);
  const worker = async (): Promise<void> => {
    for (let seed = pending.shift(); seed !== undefined; seed = pending.shift()) bySeed.set(seed, await sweepSeed(seed));
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
const problems = [...bySeed].sort(([a], [b]) => a - b).flatMap(([, found]) => found);

const seeds = `seeds ${from}..${from + count - 1}`;
const what = `${wrong.length} wrong and ${correct.length} correct submissions`;
if (problems.length > 0) process.stdout.write(`\n${problems.join('\n')}\n`);
const verdict = problems.length === 0 ? 'every result as expected, every hint confirmed' : `${problems.length} problem(s)`;
process.stdout.write(`\n${what}, ${seeds}: ${verdict} in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
process.exitCode = problems.length === 0 ? 0 : 1;
