/**
 * The Gradescope autograder bundle: `npm run gradescope:bundle` writes a zip that unzips (read
 * back here entry by entry with its checksums, and by `unzip -t` where installed) into the layout
 * Gradescope expects; its `run_autograder`, run against a fake /autograder in a temporary folder
 * (AUTOGRADER_ROOT), grades the upload and writes a results.json that validates against
 * Gradescope's schema. setup.sh is not run here: it installs Node.js and the dependencies from
 * the network; the test lends the bundle this repository's node_modules instead.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { zip } from '../../src/integrations/gradescope/zip.js';
import { gradescopeResultsSchema } from './format-schemas.js';
import { ROOT } from '../cli/run-grade.js';

interface Entry {
  name: string;
  data: Buffer;
  mode: number;
}

/** Reads a zip through its central directory, inflating each entry and checking its CRC-32. */
function unzipEntries(archive: Buffer): Entry[] {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end, 'end of central directory').toBeGreaterThanOrEqual(0);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const compressed = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extra = archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    const mode = archive.readUInt32LE(at + 38) >>> 16;
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(archive.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const body = archive.subarray(start, start + compressed);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(data.length, name).toBe(size);
    expect(crc32(data), name).toBe(crc);
    entries.push({ name, data, mode: mode & 0o777 });
    at += 46 + nameLength + extra;
  }
  return entries;
}

const hasUnzip = (() => {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('zip', () => {
  it('stores and deflates entries that read back byte for byte, with their modes', () => {
    const text = Buffer.from('x'.repeat(1000));
    const archive = zip([
      { name: 'a/long.txt', data: text },
      { name: 'run', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
      { name: 'empty', data: Buffer.alloc(0) },
    ]);
    const entries = unzipEntries(archive);
    expect(entries.map((e) => [e.name, e.data.toString(), e.mode])).toEqual([
      ['a/long.txt', text.toString(), 0o644],
      ['run', '#!/bin/sh\n', 0o755],
      ['empty', '', 0o644],
    ]);
    expect(archive.length).toBeLessThan(600);
    expect(() => zip([{ name: '../escape', data: Buffer.alloc(0) }])).toThrow('not a relative path');
  });
});

describe('npm run gradescope:bundle', () => {
  let zipPath: string;
  let entries: Entry[];

  beforeAll(async () => {
    zipPath = join(mkdtempSync(join(tmpdir(), 'bundle-')), 'autograder.zip');
    const build = await execa('npm', ['run', '--silent', 'gradescope:bundle', '--', '--out', zipPath], { cwd: ROOT });
    expect(build.stdout).toContain(`wrote ${zipPath}`);
    entries = unzipEntries(readFileSync(zipPath));
  }, 120_000);

  it('has setup.sh and an executable run_autograder at its root, and the grader without tests or submissions', () => {
    const names = entries.map((e) => e.name);
    expect(names.slice(0, 2)).toEqual(['setup.sh', 'run_autograder']);
    expect(entries.find((e) => e.name === 'run_autograder')!.mode).toBe(0o755);
    expect(entries.find((e) => e.name === 'setup.sh')!.mode).toBe(0o755);
    for (const needed of [
      'package.json',
      'package-lock.json',
      'graders/bin/grade.js',
      'graders/rubric.json',
      'graders/src/cli/main.ts',
      'skeleton/src/ops.ts',
      'reference/src/ndarray.ts',
    ]) {
      expect(names, needed).toContain(needed);
    }
    expect(names.filter((n) => /(^|\/)(test|node_modules|submissions)\//.test(n))).toEqual([]);
    expect(readFileSync(zipPath).length).toBeLessThan(2 * 1024 * 1024);
  });

  it.runIf(hasUnzip)('passes unzip -t', () => {
    expect(execFileSync('unzip', ['-t', zipPath], { encoding: 'utf8' })).toContain('No errors detected');
  });

  it('is the same bytes when built again from the same files', async () => {
    const again = join(dirname(zipPath), 'again.zip');
    await execa('npm', ['run', '--silent', 'gradescope:bundle', '--', '--out', again], { cwd: ROOT });
    expect(readFileSync(again).equals(readFileSync(zipPath))).toBe(true);
  }, 60_000);

  /** A fake /autograder: the bundle unpacked in source/ (with this repository's node_modules), run_autograder copied beside it. */
  function autograderRoot(): string {
    const root = mkdtempSync(join(tmpdir(), 'autograder-'));
    for (const entry of entries) {
      const path = join(root, 'source', entry.name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, entry.data);
      chmodSync(path, entry.mode);
    }
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'source', 'node_modules'));
    cpSync(join(root, 'source', 'run_autograder'), join(root, 'run_autograder'));
    mkdirSync(join(root, 'submission'));
    writeFileSync(join(root, 'submission_metadata.json'), '{}\n');
    return root;
  }

  const runAutograder = (root: string) =>
    execa(join(root, 'run_autograder'), [], { cwd: root, reject: false, env: { AUTOGRADER_ROOT: root, NO_COLOR: '1' } });

  it('run_autograder grades an upload (here a folder holding the files) into a valid results.json', async () => {
    const root = autograderRoot();
    cpSync(join(ROOT, 'submissions', 'add-broadcast-not-summed'), join(root, 'submission', 'assignment-11'), { recursive: true });
    const run = await runAutograder(root);
    expect(run.exitCode, run.stderr).toBe(0);
    const results = gradescopeResultsSchema.parse(JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')));
    // 20, less Add's point, Q1d's (the training fails on that Add) and the 2 of the derivation a TA has yet to score.
    expect(results.score).toBe(16);
    expect(results.tests).toHaveLength(14);
    const add = results.tests!.find((t) => t.name === 'Q1(b) Add.backwardRule')!;
    expect(add).toMatchObject({ score: 0, max_score: 1, status: 'failed' });
    expect(add.output).toContain('Hint: The gradient for a has shape');
    expect(results.tests!.filter((t) => t.status === 'passed').length).toBeGreaterThan(8);
  }, 120_000);

  it('run_autograder explains an upload it cannot grade, still in a valid results.json', async () => {
    const root = autograderRoot();
    writeFileSync(join(root, 'submission', 'notes.txt'), 'I could not finish\n');
    const run = await runAutograder(root);
    expect(run.exitCode).toBe(0);
    const results = gradescopeResultsSchema.parse(JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')));
    expect(results.score).toBe(0);
    expect(results.output).toContain('No src/ or answers/ folder found in the upload');
  }, 60_000);
});
