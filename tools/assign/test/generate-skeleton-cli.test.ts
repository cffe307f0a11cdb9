/**
 * `npm run skeleton` and `npm run skeleton:check` run as real processes: on the repository itself,
 * and on a temporary copy of its reference/ that the tests then change. (Only the setup calls the
 * generator in-process, to save a process start per test.)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { generateSkeleton } from '../generate-skeleton.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const SCRIPT = join(REPO, 'tools/assign/generate-skeleton.ts');
const TSX = join(REPO, 'node_modules/.bin/tsx');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function generator(...args: string[]): Run {
  const { status, stdout, stderr } = spawnSync(TSX, [SCRIPT, ...args], { cwd: REPO, encoding: 'utf8' });
  return { status, stdout, stderr };
}

test('the committed skeleton is up to date with the reference', () => {
  const run = generator('--check');
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/^skeleton\/ is up to date with reference\/ \(\d+ files\)\n$/);
  expect(run.status).toBe(0);
});

describe('on a temporary copy of the repository', () => {
  let root: string;
  const skeleton = (path: string) => join(root, 'skeleton', path);
  const reference = (path: string) => join(root, 'reference', path);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'assign-'));
    cpSync(join(REPO, 'reference'), join(root, 'reference'), { recursive: true, filter: (source) => basename(source) !== 'node_modules' });
    const quiet = () => {};
    expect(generateSkeleton({ root, check: false }, quiet, quiet)).toBe(0);
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  test('one altered skeleton file fails the check, named, with the command that fixes it', () => {
    writeFileSync(skeleton('src/ops.ts'), `${readFileSync(skeleton('src/ops.ts'), 'utf8')}// edited by hand\n`);
    const run = generator('--check', '--root', root);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'skeleton/ is out of date with reference/ (1 file(s)):\n  differs  skeleton/src/ops.ts\nrun `npm run skeleton` to regenerate it\n',
    );
  });

  test('missing and extra files are listed too, in path order', () => {
    unlinkSync(skeleton('src/tensor.ts'));
    writeFileSync(skeleton('src/leftover.ts'), '');
    writeFileSync(skeleton('answers/a-note.md'), '');
    const lines = generator('--check', '--root', root).stderr.split('\n');
    expect(lines.slice(1, 4)).toEqual([
      '  extra    skeleton/answers/a-note.md',
      '  extra    skeleton/src/leftover.ts',
      '  missing  skeleton/src/tensor.ts',
    ]);
  });

  test('regenerating removes what the reference no longer has and keeps node_modules', () => {
    unlinkSync(reference('src/random.ts'));
    mkdirSync(skeleton('node_modules/some-package'), { recursive: true });
    writeFileSync(skeleton('node_modules/some-package/index.js'), '');
    const run = generator('--root', root);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^skeleton\/ generated from reference\/: \d+ files\n$/);
    expect(existsSync(skeleton('src/random.ts'))).toBe(false);
    expect(existsSync(skeleton('node_modules/some-package/index.js'))).toBe(true);
    expect(generator('--check', '--root', root).status).toBe(0);
  });

  test('a marker error stops generation with file and line, and writes nothing', () => {
    const before = readFileSync(skeleton('src/losses.ts'), 'utf8');
    writeFileSync(reference('src/losses.ts'), `${readFileSync(reference('src/losses.ts'), 'utf8')}// END SOLUTION\n`);
    const line = readFileSync(reference('src/losses.ts'), 'utf8').split('\n').length - 1;
    const run = generator('--root', root);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^cannot generate the skeleton: .*reference/src/losses\\.ts:${line}: END SOLUTION without a BEGIN SOLUTION`),
    );
    expect(readFileSync(skeleton('src/losses.ts'), 'utf8')).toBe(before);
  });
});
