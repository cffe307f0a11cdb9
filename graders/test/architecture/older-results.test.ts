/**
 * Results written before parts kept their assignment's data under `extension` had it at the
 * part's top level (`training`, `usedPrimitives`). `grade merge` reads such a shard as a new one:
 * the data moves under `extension`, and the pages still draw the plot and the note from it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ClassResult } from '../../src/trusted/result.js';
import { classResultFixture } from '../reports/class-result-fixture.js';
import { ROOT } from '../cli/run-grade.js';

describe('grade merge on a shard written before `extension`', () => {
  it('moves training and usedPrimitives under extension and draws them', async () => {
    const old = classResultFixture() as ClassResult;
    let moved = 0;
    for (const submission of old.submissions) {
      for (const part of submission.parts) {
        if (!part.extension) continue;
        Object.assign(part, part.extension);
        delete part.extension;
        moved++;
      }
    }
    expect(moved).toBeGreaterThan(2);
    const shard = mkdtempSync(join(tmpdir(), 'old-shard-'));
    writeFileSync(join(shard, 'results.json'), JSON.stringify(old));
    const out = mkdtempSync(join(tmpdir(), 'merged-'));
    const run = await execa(process.execPath, [join(ROOT, 'graders', 'bin', 'grade.js'), 'merge', '--out', out, shard], {
      reject: false,
      env: { NO_COLOR: '1' },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const merged = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult;
    const parts = merged.submissions.flatMap((s) => s.parts);
    expect(parts.some((p) => 'training' in p || 'usedPrimitives' in p)).toBe(false);
    expect(parts.filter((p) => p.extension !== undefined)).toHaveLength(moved);
    const ben = readFileSync(join(out, 'ben.html'), 'utf8');
    expect(ben).toContain('<figure class="plot">');
    expect(ben).toMatch(/Your backward called correlate2d/);
  });
});
