/**
 * `npm run gradescope:bundle [-- --out FILE]`: the Gradescope autograder as one zip. At its root
 * (what Gradescope unpacks into /autograder/source): `setup.sh` and `run_autograder` from this
 * folder, and the grader with everything it reads at run time: the workspace manifests and lock
 * file (for `npm ci`), graders/ (code, bin, rubric), the reference and skeleton sources, the
 * model answers and the answers' templates. No tests, no submissions, no node_modules: setup.sh
 * installs the dependencies.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { glob } from 'glob';
import { zip, type ZipEntry } from './zip.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));

/** What the grader needs, relative to the repository root. */
const INCLUDED = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.base.json',
  'graders/package.json',
  'graders/rubric.json',
  'graders/bin/**',
  'graders/src/**',
  'reference/package.json',
  'reference/src/**',
  'reference/answers/**',
  'skeleton/package.json',
  'skeleton/src/**',
  // The answers' templates: a manual item left as its template is no answer.
  'skeleton/answers/**',
];

/** The two scripts Gradescope runs, at the archive's root. */
const SCRIPTS = ['setup.sh', 'run_autograder'];

export const DEFAULT_BUNDLE_PATH = join(ROOT, 'dist', 'gradescope-autograder.zip');

export async function bundleEntries(): Promise<ZipEntry[]> {
  const files = (await glob(INCLUDED, { cwd: ROOT, nodir: true, dot: false, posix: true, ignore: ['**/node_modules/**'] })).sort();
  const entries: ZipEntry[] = SCRIPTS.map((name) => ({ name, data: readFileSync(join(HERE, name)), mode: 0o755 }));
  for (const file of files) {
    if (SCRIPTS.includes(file)) continue;
    entries.push({ name: file, data: readFileSync(join(ROOT, file)), ...(file.startsWith('graders/bin/') ? { mode: 0o755 } : {}) });
  }
  return entries;
}

export async function buildGradescopeBundle(outFile = DEFAULT_BUNDLE_PATH): Promise<{ path: string; entries: string[]; bytes: number }> {
  const entries = await bundleEntries();
  const archive = zip(entries);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, archive);
  return { path: outFile, entries: entries.map((e) => e.name), bytes: archive.length };
}

async function main(argv: string[]): Promise<number> {
  let out: string;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    });
    if (values.help) {
      process.stdout.write(
        'Usage: npm run gradescope:bundle [-- --out FILE]\n\nWrites the Gradescope autograder zip (default: dist/gradescope-autograder.zip).\n',
      );
      return 0;
    }
    out = values.out ? resolve(values.out) : DEFAULT_BUNDLE_PATH;
  } catch (error) {
    process.stderr.write(`gradescope:bundle: ${(error as Error).message}\n\nUsage: npm run gradescope:bundle [-- --out FILE]\n`);
    return 2;
  }
  const built = await buildGradescopeBundle(out);
  process.stdout.write(
    `wrote ${built.path} (${built.entries.length} files, ${(built.bytes / 1024).toFixed(0)} KiB); upload it as the assignment's autograder on Gradescope\n`,
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
