/**
 * Compiling a submission reads nothing but its own files and the given ones, and cannot stop or
 * hang the grader. Graded through the real CLI in one run (one at a time, in this order): imports
 * that would have made esbuild's bundler read the reference, the secrets of the machine, devices,
 * a FIFO or another submission; sources that make esbuild run out of memory or never finish; then
 * submissions that must not suffer from any of it. Each attack costs exactly its own parts, with
 * a reason that names its file; no secret reaches any output; the complete solution graded last
 * gets full marks.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS, type Patch } from '../../../tools/submissions/variants.js';
import { ROOT, fullMarks, pointsByPart, runGrade, type GradeRun } from '../cli/run-grade.js';
import type { ClassResult, SubmissionResult } from '../../src/trusted/result.js';

const SECRET = 'SECRET-3f9a-compile-time';
/** The parts each student file is graded in. */
const PARTS = {
  tensor: ['Q1a', 'Q1d'],
  ops: ['Q1b.ReduceMean', 'Q1b.Add', 'Q1b.Mul', 'Q1b.MatMul', 'Q1b.ReLU', 'Q1b.Sigmoid', 'Q1d'],
  losses: ['Q1c', 'Q1d'],
  // The given training script runs, not the student's copy: no part compiles it.
  'linear-regression': [],
  conv: ['Q2.kernel', 'Q2.input'],
} as const;
type StudentFile = keyof typeof PARTS;
const CODE_PARTS = [...new Set(Object.values(PARTS).flat())];

interface Attack {
  id: string;
  /** What the submission does. */
  does: string;
  patches: Patch[];
  /** The parts that score 0. */
  zero: readonly string[];
  /** What each of those parts says: a compile error, or the error its code threw when it ran. */
  reason: RegExp;
}

/** Paths the attacks aim at, made by the test. */
interface Targets {
  secretFile: string;
  fifo: string;
  otherSubmission: string;
}

const OPS_NAMES = [...readFileSync(join(ROOT, 'reference', 'src', 'ops.ts'), 'utf8').matchAll(/^export class (\w+)/gm)].map((m) => m[1]);

/** `file` replaced by these lines. */
const whole = (file: StudentFile, ...lines: string[]): Patch => ({ file: `src/${file}.ts`, content: lines.join('\n') });
/** A line added at the top of `file`. */
const prepend = (file: StudentFile, ...lines: string[]): Patch =>
  whole(file, ...lines, readFileSync(join(ROOT, 'reference', 'src', `${file}.ts`), 'utf8'));
/** A text import of `path` in `file`, printed so that a leak would show in the output. */
const textImport = (file: StudentFile, path: string): Patch =>
  prepend(file, `import leaked from ${JSON.stringify(path)} with { type: 'text' }; console.log(leaked);`);
/** `path` relative to the folder the grader compiled in: esbuild's bundler expanded relative globs only. */
const fromCompiler = (path: string): string => relative(join(ROOT, 'skeleton', 'src'), path);
/** The reason of a part that did not compile because of `file`, at a line and column. */
const refused = (file: StudentFile, specifier: string): RegExp =>
  new RegExp(`could not compile: src/${file}\\.ts:\\d+:\\d+: cannot import "${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`);

function attacks(t: Targets): Attack[] {
  return [
    {
      id: 'a-template-import-of-the-reference',
      does: "ops.ts is the reference's, by a dynamic import whose path is a template literal (a glob, which esbuild's bundler expanded)",
      patches: [
        whole(
          'ops',
          "const suffix = 's';",
          'const reference = await import(`../../reference/src/op${suffix}.ts`);',
          `export const { ${OPS_NAMES.join(', ')} } = reference;`,
        ),
      ],
      zero: PARTS.ops,
      reason: /src\/ops\.ts:2:\d+: cannot import "\.\.\/\.\.\/reference\/src\/ops\.ts": only the assignment's own files/,
    },
    {
      id: 'b-concatenated-require-of-the-reference',
      does: "losses.ts is the reference's, by a require() of a concatenated path (a glob for esbuild)",
      patches: [
        whole(
          'losses',
          "const suffix = 'es.ts';",
          "const reference = require('../../reference/src/loss' + suffix);",
          'export const mse = reference.mse;',
        ),
      ],
      zero: PARTS.losses,
      reason: /require is not defined/,
    },
    {
      id: 'c-glob-reexport-of-the-reference',
      does: "conv.ts re-exports the reference's Conv2d through a require() of a template literal (a glob for esbuild)",
      patches: [whole('conv', `const suffix = 'v';\nexport const { Conv2d } = require(\`../../reference/src/con\${suffix}.ts\`);\n`)],
      zero: PARTS.conv,
      reason: /require is not defined/,
    },
    {
      id: 'd-text-import-of-etc-passwd',
      does: 'tensor.ts imports /etc/passwd as text',
      patches: [textImport('tensor', '/etc/passwd')],
      zero: PARTS.tensor,
      reason: refused('tensor', '/etc/passwd'),
    },
    {
      id: 'e-text-import-of-the-environment',
      does: "conv.ts imports the grader's environment (/proc/self/environ) as text",
      patches: [textImport('conv', '/proc/self/environ')],
      zero: PARTS.conv,
      reason: refused('conv', '/proc/self/environ'),
    },
    {
      id: 'f-text-import-of-dev-zero',
      does: 'losses.ts imports /dev/zero as text (esbuild ran out of memory and stayed dead)',
      patches: [textImport('losses', '/dev/zero')],
      zero: PARTS.losses,
      reason: refused('losses', '/dev/zero'),
    },
    {
      id: 'g-text-import-of-a-fifo',
      does: 'ops.ts imports a FIFO as text (esbuild waited forever)',
      patches: [textImport('ops', t.fifo)],
      zero: PARTS.ops,
      reason: refused('ops', t.fifo),
    },
    {
      id: 'h-text-import-of-another-submission',
      does: "tensor.ts imports another student's conv.ts as text",
      patches: [textImport('tensor', t.otherSubmission)],
      zero: PARTS.tensor,
      reason: refused('tensor', t.otherSubmission),
    },
    {
      id: 'i-helper-module-imports-the-secret',
      does: 'a helper module of its own imports a secret file as text, and ops.ts imports the helper',
      patches: [
        {
          file: 'src/leak.ts',
          content: `import secret from ${JSON.stringify(t.secretFile)} with { type: 'text' };\nexport const leaked = secret;`,
        },
        prepend('ops', "import { leaked } from './leak.js'; console.log(leaked);"),
      ],
      // A helper module goes with every part's code.
      zero: CODE_PARTS,
      reason: new RegExp(`could not compile: src/leak\\.ts:1:1: cannot import "${t.secretFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`),
    },
    {
      id: 'ia-glob-text-import-of-the-secret',
      does: 'ops.ts imports a secret file as text through a glob (a template literal), which esbuild expanded and read',
      patches: [
        prepend(
          'ops',
          "const part = 'RET';",
          `const { default: leaked } = await import(\`${fromCompiler(t.secretFile).slice(0, -3)}\${part}\`, { with: { type: 'text' } });`,
          'console.log(leaked);',
        ),
      ],
      zero: PARTS.ops,
      reason: /could not compile: src\/ops\.ts:2:\d+: import\(\) takes one argument: import attributes/,
    },
    {
      id: 'ib-glob-text-import-of-the-environment',
      does: "tensor.ts imports the grader's environment as text through a glob (/proc/self/env*)",
      patches: [
        prepend(
          'tensor',
          "const part = 'iron';",
          `const { default: leaked } = await import(\`${fromCompiler('/proc/self/env')}\${part}\`, { with: { type: 'text' } });`,
          'console.log(leaked);',
        ),
      ],
      zero: PARTS.tensor,
      reason: /could not compile: src\/tensor\.ts:2:\d+: import\(\) takes one argument: import attributes/,
    },
    {
      id: 'j-esbuild-runs-out-of-memory',
      does: 'losses.ts is 64 KiB of nested blocks: esbuild takes a gigabyte and more, for longer than its time limit',
      patches: [whole('losses', '{'.repeat(32 * 1024) + '}'.repeat(32 * 1024))],
      zero: PARTS.losses,
      // Out of memory where prlimit works; elsewhere, the time limit.
      reason: /could not compile: src\/losses\.ts: esbuild (ran out of memory \(the limit is \d+ MiB\)|did not finish within \d+ s)/,
    },
    {
      id: 'k-esbuild-never-finishes',
      does: 'conv.ts is 64 KiB of classes nested in methods: esbuild runs for minutes',
      patches: [whole('conv', `class A ${'{ m() { class B '.repeat(3300)}{}${'} }'.repeat(3300)}\n`)],
      zero: PARTS.conv,
      reason: /could not compile: src\/conv\.ts: esbuild (did not finish within \d+ s|ran out of memory)/,
    },
  ];
}

/** Submissions graded after the attacks, which must get every point. */
const HONEST_COMPUTED_IMPORTS: Patch[] = [
  prepend(
    'ops',
    "const given = ['.', 'ndarray.js'].join('/');",
    'const { NDArray: Checked } = await import(given);',
    "const builtin = 'node:' + 'path';",
    'const { join: joined } = await import(builtin);',
    "if (typeof Checked !== 'function' || typeof joined !== 'function') throw new Error('computed imports failed');",
  ),
];

/** Every file under `folder`, recursively. */
function filesUnder(folder: string): string[] {
  return (readdirSync(folder, { recursive: true }) as string[]).map((f) => join(folder, f)).filter((path) => statSync(path).isFile());
}

describe('compiling hostile submissions', () => {
  let base: string;
  let run: GradeRun;
  let result: ClassResult;
  let list: Attack[];
  const submission = (id: string): SubmissionResult => result.submissions.find((s) => s.id === id)!;
  /** Why a part lost its points: its reason (a compile error), or what its failed checks say (an error when it ran). */
  const said = (id: string, partId: string): string => {
    const part = submission(id).parts.find((p) => p.id === partId)!;
    return (
      part.reason ??
      part.checks
        .filter((c) => !c.passed)
        .map((c) => c.message)
        .join('\n')
    );
  };

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'compile-'));
    const submissions = join(base, 'submissions');
    mkdirSync(submissions);
    // The secret in a folder of its own: a glob of its folder matches nothing else.
    mkdirSync(join(base, 'secret'));
    const targets: Targets = {
      secretFile: join(base, 'secret', 'SECRET'),
      fifo: join(base, 'fifo'),
      otherSubmission: join(submissions, 'zz-honest', 'src', 'conv.ts'),
    };
    writeFileSync(targets.secretFile, SECRET);
    execFileSync('mkfifo', [targets.fifo]);
    list = attacks(targets);
    const write = (id: string, patches: Patch[]): void =>
      writeSubmission({ id, mistake: id, patches, expectedPoints: {} }, join(submissions, id));
    for (const attack of list) write(attack.id, attack.patches);
    write('y-honest-computed-imports', HONEST_COMPUTED_IMPORTS);
    writeSubmission(DEMO_VARIANTS[0], join(submissions, 'zz-honest'));
    const folders = readdirSync(submissions)
      .sort()
      .map((id) => join(submissions, id));
    // The grader's environment holds the secret too: /proc/self/environ would have shown it.
    process.env.COMPILE_TEST_SECRET = SECRET;
    try {
      run = await runGrade(['--jobs', '1', '--force', '--format', 'html,csv,json,junit,markdown,gradescope', ...folders], {
        out: join(base, 'out'),
      });
    } finally {
      delete process.env.COMPILE_TEST_SECRET;
    }
    result = run.results();
  }, 600_000);

  afterAll(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it('completes, in order, with exit code 0', () => {
    expect(run.exitCode, run.stderr).toBe(0);
    expect(result.submissions.map((s) => s.id)).toEqual([...list.map((a) => a.id), 'y-honest-computed-imports', 'zz-honest']);
  });

  it('costs each attack exactly the parts of its file, with a reason that names the file', () => {
    for (const attack of list) {
      const zero = Object.fromEntries(attack.zero.map((part) => [part, 0]));
      expect(pointsByPart(result, attack.id), attack.does).toEqual({ ...fullMarks(result), ...zero });
      for (const part of attack.zero) expect(said(attack.id, part), `${attack.id} ${part}`).toMatch(attack.reason);
    }
  });

  it('grades the submissions after the attacks as if alone: computed imports of allowed modules work', () => {
    expect(pointsByPart(result, 'y-honest-computed-imports')).toEqual(fullMarks(result));
    expect(pointsByPart(result, 'zz-honest')).toEqual(fullMarks(result));
  });

  it('lets no secret reach any output: not the file, not the environment', () => {
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    const outputs = filesUnder(run.out);
    expect(outputs.some((path) => path.includes('.cache'))).toBe(true);
    for (const path of outputs) expect(readFileSync(path, 'utf8'), path).not.toContain(SECRET);
  });
});
