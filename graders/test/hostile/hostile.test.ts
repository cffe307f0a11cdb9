/**
 * The hostile corpus: every attack runs, the run completes, the attacking submission loses exactly
 * the parts it attacked from, the other submissions are graded exactly as alone, nothing outside
 * the scratch space changes, no secret reaches any output, and no process survives.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import { ROOT, fullMarks, pointsByPart } from '../cli/run-grade.js';
import type { ClassResult } from '../../src/trusted/result.js';
import { HOSTILE_VARIANTS, SECRET } from './hostile-variants.js';

/** Every file under `folder` with its size and modification time. */
function snapshot(folder: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    const stat = statSync(path);
    entries[path] = `${stat.size}:${stat.mtimeMs}`;
  }
  return entries;
}

const network = { server: null as Server | null, port: 0, connections: 0 };

describe('grade on hostile submissions', () => {
  let folder: string;
  let out: string;
  let result: ClassResult;
  let alone: ClassResult;
  let stdout = '';
  let before: Record<string, string>;
  let beforeRepo: Record<string, string>;

  beforeAll(async () => {
    network.server = createServer((socket) => {
      network.connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => network.server!.listen(0, '127.0.0.1', resolve));
    network.port = (network.server.address() as { port: number }).port;

    folder = mkdtempSync(join(tmpdir(), 'hostile-'));
    out = mkdtempSync(join(tmpdir(), 'hostile-out-'));
    writeFileSync(join(folder, 'secret.txt'), SECRET);
    for (const variant of HOSTILE_VARIANTS) writeSubmission(variant, join(folder, variant.id));
    // Reaches for the network from Mul's rule: a connection shows up on the test's server.
    writeSubmission(
      {
        id: 'reaches-the-network',
        mistake: '',
        patches: [
          {
            file: 'src/ops.ts',
            find: 'return [sumToShape(mul(upstream, this.b.value), this.a.shape), sumToShape(mul(upstream, this.a.value), this.b.shape)];',
            replace: `connect(${network.port}, '127.0.0.1').on('error', (error) => console.log(String(error)));\n    return [upstream, upstream];`,
          },
          { file: 'src/ops.ts', find: "import { Tensor } from './tensor.js';", replace: "import { Tensor } from './tensor.js';\nimport { connect } from 'node:net';" },
        ],
        expectedPoints: {},
      },
      join(folder, 'reaches-the-network'),
    );
    writeSubmission(DEMO_VARIANTS[0], join(folder, 'honest'));
    before = snapshot(folder);
    beforeRepo = snapshot(join(ROOT, 'reference'));

    const run = await execa(process.execPath, [join(ROOT, 'graders', 'bin', 'grade.js'), '--timeout', '5', '--out', out, join(folder, '*')], {
      reject: false,
      env: { GRADE_SECRET: SECRET },
    });
    stdout = run.stdout + run.stderr;
    expect(run.exitCode, stdout).toBe(0);
    result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult;
    const aloneOut = mkdtempSync(join(tmpdir(), 'hostile-alone-'));
    await execa(process.execPath, [join(ROOT, 'graders', 'bin', 'grade.js'), '--out', aloneOut, join(folder, 'honest')]);
    alone = JSON.parse(readFileSync(join(aloneOut, 'results.json'), 'utf8')) as ClassResult;
  }, 600_000);

  afterAll(() => network.server?.close());

  for (const variant of HOSTILE_VARIANTS) {
    it(`${variant.id}: ${variant.mistake}: loses exactly its own parts`, () => {
      expect(pointsByPart(result, variant.id)).toEqual({ ...fullMarks(result), ...variant.expectedPoints });
    });
  }

  it('names why the attacks that stopped their child scored 0', () => {
    const reason = (id: string) => result.submissions.find((s) => s.id === id)!.parts.find((p) => p.id === 'Q1b.Add')!.reason ?? '';
    expect(reason('buffer-bomb')).toMatch(/too much memory/);
    expect(reason('async-loop')).toMatch(/no answer within 5 s/);
    expect(reason('exits-early')).toMatch(/exited with code 0/);
  });

  it('grades the honest submission exactly as it is graded alone', () => {
    expect(result.submissions.find((s) => s.id === 'honest')).toEqual(alone.submissions[0]);
  });

  it('reaches no network: no connection arrived', () => {
    expect(network.connections).toBe(0);
    expect(pointsByPart(result, 'reaches-the-network')['Q1b.Mul']).toBe(0);
  });

  it('leaks no secret into any report or the command output', () => {
    expect(stdout).not.toContain(SECRET);
    for (const file of readdirSync(out, { recursive: true }) as string[]) {
      const path = join(out, file);
      if (statSync(path).isFile()) expect(readFileSync(path, 'utf8'), file).not.toContain(SECRET);
    }
    const output = result.submissions.find((s) => s.id === 'reads-secrets')!.output;
    expect(output).toMatch(/Access to this API has been restricted/); // Node's permission model
    expect(output).toContain('{}'); // an empty environment
    expect(output).not.toMatch(/sumToShape\(upstream, this\.a\.shape\)/); // the reference's Add rule
  });

  it('changes no file outside the scratch space, and leaves no process behind', () => {
    expect(snapshot(folder)).toEqual(before);
    expect(snapshot(join(ROOT, 'reference'))).toEqual(beforeRepo);
    const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(processes).not.toMatch(/sleep 977/);
  });

  it('records the isolation layers it used', () => {
    const layers = result.submissions.find((s) => s.id === 'honest')!.isolation;
    expect(layers).toEqual(expect.arrayContaining(['node-permission-model', 'cleared-environment', 'memory-watchdog', 'process-group-kill', 'output-cap']));
  });
});
