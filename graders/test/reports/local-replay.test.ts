/**
 * A failing case as the student can run it (Counterexample.localReplay) in the reports: the page
 * shows the snippet in place of the grader's own notation and the test to save, escaped; it says
 * that the seed and path belong to the hidden check; the Markdown summary has the test in a fence
 * that the test cannot close; and a replay too long to keep whole, or malformed, is left out.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import type { ClassResult, Counterexample } from '../../src/trusted/result.js';
import { RESULT_BOUNDS, boundedPart } from '../../src/trusted/result-bounds.js';
import { markdownSummary, writeReports } from '../../src/trusted/reports/index.js';
import { checkFinding, findingLines } from '../../src/trusted/reports/part-feedback.js';
import { cmarkGfm } from '../hostile/readers.js';
import { SCRIPT, classResultFixture } from './class-result-fixture.js';

let outDir: string;

beforeEach(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'local-replay-report-'));
});

afterEach(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** The fixture's failed diamond check (which has a local replay) and failed Add check (which has none). */
function failedChecks(result: ClassResult) {
  const ben = result.submissions.find((submission) => submission.id === 'ben')!;
  const check = (part: string, name: string) => ben.parts.find((p) => p.id === part)!.checks.find((c) => c.name === name)!;
  return { diamond: check('Q1a', 'diamond'), add: check('Q1b.Add', 'gradient') };
}

const escaped = (text: string) => Handlebars.escapeExpression(text);

describe('a local replay on the student page', () => {
  it('shows the snippet instead of the grader\'s notation, and the test to save, escaped', async () => {
    const result = classResultFixture();
    const { localReplay } = failedChecks(result).diamond.counterexample!;
    await writeReports(outDir, result, ['html'], { partView: assignment.partView });
    const page = await readFile(join(outDir, 'ben.html'), 'utf8');
    expect(page).toContain(`<pre class="local-code" tabindex="0"><code>${escaped(localReplay!.code)}</code></pre>`);
    expect(page).toContain(`<summary>Run it yourself: a test to save as <code>test/replay-q1a-diamond.test.ts</code></summary>`);
    expect(page).toContain(`<pre tabindex="0"><code>${escaped(localReplay!.test)}</code></pre>`);
    expect(page).toContain('run <code>npx vitest run test/replay-q1a-diamond.test.ts</code>');
    expect(page).not.toContain(SCRIPT);
    // The grader's notation of the case and its inputs give way to the snippet; where it differs stays.
    expect(page).not.toContain(escaped('d = Mul(b, c) with b = Add(a, a), c = Sigmoid(a)'));
    expect(page).toContain('<dt>First difference</dt><dd><code>dL/da[0]</code></dd>');
  });

  it('says that the seed and path belong to the hidden check, which the student does not have', async () => {
    await writeReports(outDir, classResultFixture(), ['html'], { partView: assignment.partView });
    const page = await readFile(join(outDir, 'ben.html'), 'utf8');
    const [diamond, add] = ['7:0:1', '17:2:0'].map((path) => {
      const end = page.indexOf(`path: &quot;${path}&quot;`);
      return page.slice(page.lastIndexOf('<div class="replay">', end), end);
    });
    expect(diamond).toContain('a fast-check property of its own, which is not in your project');
    expect(diamond).toContain('on your machine, the test above replays the case');
    // Without a local replay, the page says how to rebuild the case, and still whose seed it is.
    expect(add).toContain('build the expression above with these inputs in a test of your own');
    expect(add).toContain('The seed and path below belong to the grader\'s hidden check');
    expect(page).toContain('Add(a, b)');
  });

  it('gives the text reports the hidden check\'s replay as the grader\'s', () => {
    const lines = findingLines(checkFinding(failedChecks(classResultFixture()).diamond));
    expect(lines).toContain(
      'Hidden check: seed 20260122, path "7:0:1" (the grader\'s own fast-check property, not in your project: only the grader replays it)',
    );
  });
});

describe('a local replay in the Markdown summary', () => {
  it('puts the test in a fence longer than any backticks in it, so that it stays code', () => {
    const result = classResultFixture();
    const { localReplay } = failedChecks(result).diamond.counterexample!;
    localReplay!.test = localReplay!.test.replace('in a comment', SCRIPT);
    const summary = markdownSummary(result);
    const file = 'test/replay-q1a-diamond.test.ts';
    expect(summary).toContain(`save this test as \`${file}\` and run \`npx vitest run ${file}\`.`);
    expect(summary).toContain("      ````ts\n      import { it } from 'vitest';\n");
    expect(summary).toContain(`      // \`\`\` ${SCRIPT}\n      });\n      \`\`\`\`\n`);
    const html = cmarkGfm(summary);
    if (html !== null) {
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('// ``` &lt;script&gt;alert(1)&lt;/script&gt;\n});\n</code></pre>');
    }
  });
});

describe('a local replay within the bounds', () => {
  const withReplay = (localReplay: unknown): ClassResult => {
    const result = classResultFixture();
    failedChecks(result).diamond.counterexample!.localReplay = localReplay as Counterexample['localReplay'];
    return result;
  };

  it('is kept whole within RESULT_BOUNDS.replayChars, and left out whole beyond them', () => {
    const long = { file: 'test/replay.test.ts', code: 'x;', test: `// ${'x'.repeat(RESULT_BOUNDS.replayChars)}` };
    const kept = { ...long, test: long.test.slice(0, RESULT_BOUNDS.replayChars) };
    const submission = (localReplay: unknown) => withReplay(localReplay).submissions.find((s) => s.id === 'ben')!;
    const part = (localReplay: unknown) => submission(localReplay).parts.find((p) => p.id === 'Q1a')!;
    const bounded = (localReplay: unknown) => boundedPart(part(localReplay)).checks.find((c) => c.name === 'diamond')!.counterexample!;
    expect(bounded(kept).localReplay).toEqual(kept);
    expect(bounded(long)).not.toHaveProperty('localReplay');
    expect(bounded({ ...kept, code: 42 })).not.toHaveProperty('localReplay');
  });

  it('is not drawn when a result from an older cache or a shard holds something else there', async () => {
    const malformed = withReplay({ file: 'test/x.test.ts', code: ['not text'], test: 'it()' });
    await writeReports(outDir, malformed, ['html', 'markdown'], { partView: assignment.partView });
    const page = await readFile(join(outDir, 'ben.html'), 'utf8');
    expect(page).not.toContain('local-code');
    expect(page).toContain(escaped('d = Mul(b, c) with b = Add(a, a), c = Sigmoid(a)'));
    expect(await readFile(join(outDir, 'summary.md'), 'utf8')).not.toContain('Run it yourself');
  });
});
