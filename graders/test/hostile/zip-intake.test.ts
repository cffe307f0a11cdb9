/**
 * Hostile zip files, graded through the real command beside an honest one: each attack on the
 * unpacking is refused with a reason that names it (the whole archive, or the one entry, by name),
 * writes nothing anywhere, and the honest zip graded in the same run keeps full marks.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { variantFiles } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import type { ClassResult, SubmissionResult } from '../../src/trusted/result.js';
import { craftZip, type CraftedEntry } from '../cli/craft-zip.js';
import { ROOT, fullMarks, pointsByPart, runGrade, type GradeRun } from '../cli/run-grade.js';

const COMPLETE = DEMO_VARIANTS.find((variant) => variant.id === 'complete')!;
/** A name no file on the machine has: a file of that name anywhere would be one an attack wrote. */
const MARKER = `zip-escape-${randomBytes(6).toString('hex')}.txt`;
const PAYLOAD = { data: Buffer.from('written by a hostile zip\n') };

/** The complete solution's files as entries, under `prefix` (e.g. "assignment-11/"). */
function honest(prefix = '', options: { method?: 'store' } = {}): CraftedEntry[] {
  return [...variantFiles(COMPLETE)].map(([file, text]) => ({ name: `${prefix}${file}`, data: Buffer.from(text), ...options }));
}

/** The complete solution with `src/ops.ts` stored and one of its bytes changed after its checksum was taken. */
function damagedEntry(): Buffer {
  const zip = craftZip(honest('', { method: 'store' }));
  const ops = variantFiles(COMPLETE).get('src/ops.ts')!;
  const at = zip.indexOf(Buffer.from(ops.slice(0, 200)));
  zip[at + 100] ^= 0x20;
  return zip;
}

const ZEROS_200_KIB = Buffer.alloc(200 * 1024);

/** Each archive by its file name (its id is the name without .zip). */
const ARCHIVES: Record<string, () => Buffer> = {
  // Unwrapped, with macOS's metadata beside it: graded as if alone.
  'honest.zip': () =>
    craftZip([
      ...honest('assignment-11/'),
      { name: '__MACOSX/assignment-11/src/._ops.ts', data: Buffer.from('\0\u0005\u0016\u0007junk') },
      { name: 'assignment-11/.DS_Store', data: Buffer.from('\0\0\0\u0001Bud1') },
    ]),
  'dot-dot.zip': () => craftZip([...honest('assignment-11/'), { name: `assignment-11/../../${MARKER}`, ...PAYLOAD }]),
  'dot-dot-backslash.zip': () => craftZip([...honest(), { name: `..\\..\\${MARKER}`, ...PAYLOAD }]),
  'absolute.zip': () => craftZip([...honest(), { name: join(tmpdir(), MARKER), ...PAYLOAD }]),
  'drive-letter.zip': () => craftZip([...honest(), { name: `C:\\${MARKER}`, ...PAYLOAD }]),
  'unc-path.zip': () => craftZip([...honest(), { name: `\\\\server\\share\\${MARKER}`, ...PAYLOAD }]),
  // src/tensor.ts as a link to the reference solution, and a helper module as a link to a secret.
  'link.zip': () =>
    craftZip([
      ...honest().filter((entry) => entry.name !== 'src/tensor.ts'),
      { name: 'src/tensor.ts', data: Buffer.from(join(ROOT, 'reference', 'src', 'tensor.ts')), mode: 0o120777 },
      { name: 'src/secret.ts', data: Buffer.from('/etc/shadow'), mode: 0o120777 },
    ]),
  // 1,400 entries of 200 KiB of zeros (each under the ratio's floor): 273 MiB unpacked, 0.4 MiB packed.
  'bomb-size.zip': () =>
    craftZip([...honest(), ...Array.from({ length: 1400 }, (_, i) => ({ name: `data/${i}.bin`, data: ZEROS_200_KIB }))]),
  'bomb-count.zip': () =>
    craftZip([...honest(), ...Array.from({ length: 20_001 }, (_, i) => ({ name: `many/${i}`, method: 'store' as const }))]),
  // One entry of 2 MiB of zeros, packed about a thousand times.
  'bomb-ratio.zip': () => craftZip([...honest(), { name: 'data/zeros.bin', data: Buffer.alloc(2 * 1024 * 1024) }]),
  'case-collision.zip': () => craftZip([...honest(), { name: 'src/OPS.ts', data: Buffer.from('export const ops = 1;\n') }]),
  'truncated.zip': () => {
    const zip = craftZip(honest());
    return zip.subarray(0, zip.length >> 1);
  },
  'not-a-zip.zip': () => Buffer.from('PK\u0003\u0004 this is not really a zip file\n'),
  'damaged-entry.zip': damagedEntry,
  'encrypted-entry.zip': () => craftZip(honest().map((entry) => (entry.name === 'src/ops.ts' ? { ...entry, encrypted: true } : entry))),
};

describe('grade on hostile zip files', () => {
  let folder: string;
  let run: GradeRun;
  let result: ClassResult;
  const submission = (id: string): SubmissionResult => result.submissions.find((s) => s.id === id)!;
  const refusal = (id: string): string => {
    expect(submission(id)).toMatchObject({ status: 'error', total: 0, parts: [], intake: [] });
    return submission(id).error!;
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hostile-zip-'));
    const paths = Object.entries(ARCHIVES).map(([name, make]) => {
      writeFileSync(join(folder, name), make());
      return join(folder, name);
    });
    run = await runGrade(paths);
    expect(run.exitCode, run.stderr).toBe(0);
    result = run.results();
  }, 600_000);

  it('grades the honest zip beside the attacks as if alone: unwrapped, macOS metadata ignored, full marks', () => {
    expect(submission('honest')).toMatchObject({ status: 'graded', intake: [] });
    expect(pointsByPart(result, 'honest')).toEqual(fullMarks(result));
    expect(result.submissions.map((s) => s.id).sort()).toEqual(
      Object.keys(ARCHIVES)
        .map((name) => name.slice(0, -4))
        .sort(),
    );
  });

  it('refuses an entry whose path leads out with "..", written with / or \\, and unpacks nothing of that zip', () => {
    expect(refusal('dot-dot')).toBe(
      `dot-dot.zip was not unpacked: the entry "assignment-11/../../${MARKER}" leads out of the archive (a ".." in its path); nothing in it was graded`,
    );
    expect(refusal('dot-dot-backslash')).toContain(`the entry "..\\\\..\\\\${MARKER}" leads out of the archive`);
  });

  it('refuses an absolute path: from the root, after a drive letter, or a network path', () => {
    expect(refusal('absolute')).toBe(
      `absolute.zip was not unpacked: the entry "${join(tmpdir(), MARKER)}" is an absolute path; nothing in it was graded`,
    );
    expect(refusal('drive-letter')).toContain(`the entry "C:\\\\${MARKER}" starts with a drive letter (an absolute path)`);
    expect(refusal('unc-path')).toContain('is an absolute path');
  });

  it('refuses a link entry by name: its part is missing, it is never followed, the other parts are graded', () => {
    const linked = submission('link');
    expect(linked.status).toBe('graded');
    expect(linked.intake).toEqual([
      { file: 'src/secret.ts', problem: 'is a symbolic link; submit the file itself' },
      { file: 'src/tensor.ts', problem: 'is a symbolic link; submit the file itself' },
    ]);
    const q1a = linked.parts.find((part) => part.id === 'Q1a');
    expect(q1a).toMatchObject({ status: 'missing', points: 0, reason: 'src/tensor.ts is a symbolic link; submit the file itself' });
    // Q1d trains with the student's Tensor, so it goes with Q1a.
    expect(pointsByPart(result, 'link')).toEqual({ ...fullMarks(result), Q1a: 0, Q1d: 0 });
  });

  it('refuses a zip bomb by the size its entries would unpack to (limits.zipMiB)', () => {
    expect(refusal('bomb-size')).toBe(
      'bomb-size.zip was not unpacked: its entries would unpack to more than 256 MiB, the limit (limits.zipMiB in the rubric); nothing in it was graded',
    );
  });

  it('refuses a zip bomb by its count of entries (limits.zipEntries), before reading one', () => {
    const entries = 20_001 + variantFiles(COMPLETE).size;
    expect(refusal('bomb-count')).toBe(
      `bomb-count.zip was not unpacked: it holds ${entries} entries; the limit is 20000 (limits.zipEntries in the rubric); nothing in it was graded`,
    );
  });

  it('refuses a zip bomb by an entry packed far more than text packs (limits.zipRatio)', () => {
    const error = refusal('bomb-ratio');
    expect(error).toMatch(
      /^bomb-ratio\.zip was not unpacked: the entry "data\/zeros\.bin" would unpack to \d{3,} times its packed size \(2\.0 MiB\); /,
    );
    expect(error).toMatch(/; the limit is 100 times \(limits\.zipRatio in the rubric\); nothing in it was graded$/);
  });

  it('refuses two entries whose names differ only in case, both by name: neither is read', () => {
    const collided = submission('case-collision');
    expect(collided.status).toBe('graded');
    expect(collided.intake.map((problem) => problem.file)).toEqual(['src/OPS.ts', 'src/ops.ts']);
    expect(collided.intake[1].problem).toBe(
      'differs only in case from "src/OPS.ts" in the archive, and where case is ignored (macOS, Windows) the two are one file; keep one',
    );
    const q1b = Object.entries(pointsByPart(result, 'case-collision')).filter(([part]) => part.startsWith('Q1b.'));
    expect(q1b.every(([, points]) => points === 0)).toBe(true);
    expect(pointsByPart(result, 'case-collision')['Q3.k1']).toBe(fullMarks(result)['Q3.k1']);
  });

  it('refuses a corrupt zip whole, and a damaged or encrypted entry by name', () => {
    expect(refusal('truncated')).toMatch(
      /^truncated\.zip was not unpacked: it is not a zip file the grader can read \(.+\); nothing in it was graded$/,
    );
    expect(refusal('not-a-zip')).toMatch(/^not-a-zip\.zip was not unpacked: it is not a zip file the grader can read/);
    expect(submission('damaged-entry')).toMatchObject({
      status: 'graded',
      intake: [{ file: 'src/ops.ts', problem: 'could not be unpacked: its checksum (CRC-32) does not match its contents; zip it again' }],
    });
    expect(submission('encrypted-entry')).toMatchObject({
      status: 'graded',
      intake: [{ file: 'src/ops.ts', problem: 'is encrypted in the archive; zip it without a password' }],
    });
    expect(pointsByPart(result, 'encrypted-entry')['Q1b.Add']).toBe(0);
  });

  it('writes no file of any attack, wherever an unpacking that followed its names would have', () => {
    const places = [folder, dirname(folder), tmpdir(), '/dev/shm', '/dev', '/', ROOT, dirname(ROOT), '/work'];
    for (const place of places) expect(existsSync(join(place, MARKER)), join(place, MARKER)).toBe(false);
    expect(run.stdout + run.stderr).not.toContain('written by a hostile zip');
  });
});
