/**
 * The documentation stays true to the repository: README.md fits its job (at most 200 lines), no
 * page is empty, every relative link and anchor of README.md and docs/*.md leads somewhere, every
 * repository path a page writes as code exists, no page but docs/cli.md copies `grade --help`, and
 * every count that grows with the project agrees with the code (tools/docs/). The checks are also
 * run on pages made to break them, so that each can be seen to fail.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOC_COUNTS, countProblems, withCountsWritten } from '../../../tools/docs/doc-counts.js';
import { README_MAX_LINES, docFiles, lineCount, type DocFile } from '../../../tools/docs/doc-files.js';
import { brokenLinks, headingAnchors, missingPaths } from '../../../tools/docs/doc-links.js';
import { CLI_REFERENCE, repeatedHelpLines } from '../../../tools/docs/doc-repeats.js';
import { CORRECT_CORPUS } from '../../../tools/submissions/correct-corpus.js';
import { WRONG_CORPUS } from '../../../tools/submissions/wrong-corpus.js';
import { ROOT } from '../cli/run-grade.js';

const FIX = 'npx tsx tools/docs/check-doc-counts.ts --write';
const shown = (problems: { where: string; message: string }[]): string[] => problems.map((p) => `${p.where}: ${p.message}`);

describe('the documentation', () => {
  const docs = docFiles();
  let help = '';

  beforeAll(async () => {
    const grade = join(ROOT, 'graders', 'bin', 'grade.js');
    const run = await execa(process.execPath, [grade, '--help'], { cwd: ROOT, reject: false, env: { NO_COLOR: '1' } });
    expect(run.exitCode, run.stderr).toBe(0);
    help = run.stdout;
  });

  it(`keeps README.md to at most ${README_MAX_LINES} lines`, () => {
    const readme = docs.find((doc) => doc.path === 'README.md')!;
    expect(lineCount(readme.text)).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('has the pages the README promises, none of them empty', () => {
    const paths = docs.map((doc) => doc.path);
    const pages = ['architecture', 'security', 'integrations', 'validity', 'ta-guide', 'README'].map((name) => `docs/${name}.md`);
    for (const page of [...pages, CLI_REFERENCE]) expect(paths).toContain(page);
    for (const doc of docs) {
      expect(doc.text.replace(/<!--[\s\S]*?-->/g, '').trim(), `${doc.path} is empty`).not.toBe('');
      expect(headingAnchors(doc.text).size, `${doc.path} has no heading`).toBeGreaterThan(0);
    }
  });

  it('links only to files that exist, and to headings that exist', () => {
    expect(shown(docs.flatMap((doc) => brokenLinks(doc)))).toEqual([]);
  });

  it('names only repository paths that exist', () => {
    expect(shown(docs.flatMap((doc) => missingPaths(doc)))).toEqual([]);
  });

  it('states each count that grows with the project between markers, as the code computes it', () => {
    expect(shown(docs.flatMap(countProblems))).toEqual([]);
    const stated = docs.map((doc) => doc.text).join('\n');
    expect(stated).toContain(`<!-- count: wrong-corpus -->${WRONG_CORPUS.length}<!-- /count -->`);
    expect(stated).toContain(`<!-- count: correct-corpus -->${CORRECT_CORPUS.length}<!-- /count -->`);
  });

  it('leaves the command line help to docs/cli.md', () => {
    expect(help).toContain('--release-answers');
    expect(shown(docs.flatMap((doc) => repeatedHelpLines(doc, help)))).toEqual([]);
  });

  it('describes the project, not how it was made', () => {
    for (const doc of docs) expect(doc.text, doc.path).not.toMatch(/\bissue #?\d+\b/i);
  });

  it('check-doc-counts.ts agrees, run as a developer runs it', async () => {
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const run = await execa(tsx, [join(ROOT, 'tools', 'docs', 'check-doc-counts.ts')], { cwd: ROOT, reject: false });
    expect(run.exitCode, run.stdout).toBe(0);
  });
});

describe('the documentation checks, on pages made to break them', () => {
  /** A repository of its own: a README, docs/ and one file to link to. */
  function repository(pages: Record<string, string>): { root: string; docs: DocFile[] } {
    const root = mkdtempSync(join(tmpdir(), 'docs-check-'));
    mkdirSync(join(root, 'docs'));
    mkdirSync(join(root, 'tools'));
    writeFileSync(join(root, 'tools', 'real.ts'), '');
    for (const [path, text] of Object.entries(pages)) writeFileSync(join(root, path), text);
    return { root, docs: docFiles(root) };
  }

  it('counts README lines as an editor does', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\n')).toBe(1);
    expect(lineCount('a\nb')).toBe(2);
    expect(lineCount(`${'line\n'.repeat(README_MAX_LINES + 1)}`)).toBeGreaterThan(README_MAX_LINES);
  });

  it('finds a link to a missing file, a missing anchor and a link out of the repository', () => {
    const { root, docs } = repository({
      'README.md': '# Top\n\n[guide](docs/guide.md) [gone](docs/gone.md) [here](#top) [nowhere](#nowhere) [web](https://example.com)\n',
      'docs/guide.md':
        '# Guide\n\n## Two words: `code`\n\n[back](../README.md#top) [bad](../README.md#bottom) [out](../../x.md) [ok](#two-words-code)\n',
    });
    expect(shown(docs.flatMap((doc) => brokenLinks(doc, root)))).toEqual([
      'README.md:3: the link docs/gone.md leads to docs/gone.md, which does not exist',
      'README.md:3: the link #nowhere: README.md has no heading whose anchor is #nowhere',
      'docs/guide.md:5: the link ../README.md#bottom: README.md has no heading whose anchor is #bottom',
      'docs/guide.md:5: the link ../../x.md leads out of the repository',
    ]);
  });

  it('reads no link inside code, and gives repeated headings numbered anchors as GitHub does', () => {
    const { root, docs } = repository({ 'README.md': '# A\n\n## A\n\n`[x](missing.md)`\n\n```\n[y](missing.md)\n```\n\n[second](#a-1)\n' });
    expect(shown(docs.flatMap((doc) => brokenLinks(doc, root)))).toEqual([]);
  });

  it('finds a repository path, written as code, that does not exist', () => {
    const { root, docs } = repository({ 'README.md': '# A\n\n`tools/real.ts` and `tools/moved.ts`, `src/tensor.ts` (a student path)\n' });
    expect(shown(docs.flatMap((doc) => missingPaths(doc, root)))).toEqual(['README.md:3: tools/moved.ts does not exist']);
  });

  it('finds a count that disagrees, an unknown count and one written without markers; --write sets them', () => {
    const wrong = WRONG_CORPUS.length + 1;
    const marked = `<!-- count: wrong-corpus -->${wrong}<!-- /count --> wrong ones, <!-- count: nothing -->3<!-- /count -->`;
    const text = `# A\n\n${marked},\nand 12\nsolutions written differently.\n`;
    const doc = { path: 'docs/x.md', text };
    expect(shown(countProblems(doc))).toEqual([
      `docs/x.md:3: states ${wrong} ${DOC_COUNTS['wrong-corpus'].what}, but there are ${WRONG_CORPUS.length} (${FIX})`,
      `docs/x.md:3: no count is named "nothing"; the counts are ${Object.keys(DOC_COUNTS).join(', ')}`,
      'docs/x.md:4: "12 solutions" is a count that drifts: mark it with a count of DOC_COUNTS, or leave it out',
    ]);
    const written = withCountsWritten(text);
    expect(written).toContain(`<!-- count: wrong-corpus -->${WRONG_CORPUS.length}<!-- /count -->`);
    const fixed = written.replace('12\n', 'a dozen\n').replace(/<!-- count: nothing -->3<!-- \/count -->/, '');
    expect(shown(countProblems({ path: 'docs/x.md', text: fixed }))).toEqual([]);
  });

  it('finds a copy of the help outside docs/cli.md', () => {
    const help = 'Usage: grade [options] <submission folder>...\n  --out DIR        where to write the reports (default: reports)\n';
    const copy = { path: 'docs/x.md', text: '# X\n\n    --out DIR   where to write the reports\n    (default: reports)\n' };
    expect(repeatedHelpLines(copy, help)).toHaveLength(1);
    expect(repeatedHelpLines({ ...copy, path: CLI_REFERENCE }, help)).toEqual([]);
  });
});
