/**
 * The import check of the compiler, on tricky specifiers: each is written into the student's
 * losses.ts and compiled as a part is (esbuild's transform, then the lexer's check), and either
 * refused with the place and the rule, or rewritten to where the module is in the scratch folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { submittedFiles } from '../../src/trusted/assignment.js';
import { bundlerFor } from '../../src/trusted/bundle.js';
import { ROOT } from '../cli/run-grade.js';

const REFERENCE = new Map(
  submittedFiles(assignment)
    .filter((f) => f.startsWith('src/'))
    .map((f) => [f, readFileSync(join(ROOT, 'reference', f), 'utf8')]),
);
const LOSSES = REFERENCE.get('src/losses.ts')!;

/** The Q1c part compiled with `lines` added at the top of losses.ts: its losses.js, or the compile error. */
async function compileWith(lines: string): Promise<{ code?: string; error?: string }> {
  const mseGraph = assignment.parts.find((part) => part.id === 'Q1c')!.bundle!;
  const outcome = await bundlerFor(assignment).bundlePart(mseGraph, new Map([...REFERENCE, ['src/losses.ts', `${lines}\n${LOSSES}`]]));
  return outcome.ok ? { code: outcome.files.get('losses.js') } : { error: outcome.message };
}

const RULE = "only the assignment's own files (./name.js) and node: modules can be imported";

describe('the import check', () => {
  it.each([
    ['../../reference/src/ops.js'],
    ['/etc/passwd'],
    ['file:///etc/passwd'],
    ['data:text/javascript,export default 1'],
    ['fast-check'],
    ['fs'],
    ['NODE:fs'],
    ['node:../../etc/passwd'],
    ['framework:../reference/src/ops'],
    ['./ops.js?raw'],
    ['./ops.js#x'],
    ['./sub/ops.js'],
    ['./ops.json'],
    ['./.env'],
    ['.\\ops.js'],
    [' ./ops.js'],
    ['./ops.mjs'],
    ['./graph.utils'],
    ['./a..b.js'],
    ['./-x.js'],
  ])('refuses %j with the file, the place and the rule', async (specifier) => {
    const { error } = await compileWith(`import * as x from ${JSON.stringify(specifier)};\nconsole.log(x);`);
    expect(error).toBe(`src/losses.ts:1:1: cannot import ${JSON.stringify(specifier)}: ${RULE}`);
  });

  it('reads escapes as the language does: "\\u002e\\u002e/" is "../"', async () => {
    const { error } = await compileWith(String.raw`import * as x from '\u002e\u002e/\u002e\u002e/reference/src/ops.js'; console.log(x);`);
    expect(error).toBe(`src/losses.ts:1:1: cannot import "../../reference/src/ops.js": ${RULE}`);
  });

  it('refuses every form with import attributes, even of an allowed module', async () => {
    expect((await compileWith("import text from './ndarray.js' with { type: 'text' }; console.log(text);")).error).toMatch(
      /^src\/losses\.ts:1:1: cannot import "\.\/ndarray\.js" with import attributes/,
    );
    const asserted = await compileWith("import data from './ndarray.js' assert { type: 'json' }; console.log(data);");
    expect(asserted.error).toMatch(/with import attributes/);
    expect((await compileWith("export * from './ndarray.js' with { type: 'json' };")).error).toMatch(/with import attributes/);
    expect((await compileWith("import x from './ndarray.js' with {}; console.log(x);")).error).toMatch(/with import attributes/);
    expect((await compileWith("export const load = () => import('./ndarray.js', { with: { type: 'text' } });")).error).toMatch(
      /^src\/losses\.ts:1:27: import\(\) takes one argument: import attributes/,
    );
  });

  it('names the line and column of each refused import, the first five of them', async () => {
    const imports = Array.from({ length: 6 }, (_, i) => `import b${i} from '/b${i}';`);
    const { error } = await compileWith(['// a comment', '', "  import a from '/a';", ...imports, 'console.log(a);'].join('\n'));
    const lines = error!.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(`src/losses.ts:3:3: cannot import "/a": ${RULE}`);
    expect(lines[1]).toBe(`src/losses.ts:4:1: cannot import "/b0": ${RULE}`);
  });

  it("rewrites the assignment's modules to where they are, and keeps node: modules", async () => {
    const { code } = await compileWith(
      [
        "import { NDArray } from './ndarray';",
        "import { crop } from './convolution-primitives.ts';",
        String.raw`import { Random } from './\u0072andom.js';`,
        "import { Q3_IMAGE } from 'framework:q3-image';",
        "import { readFile } from 'node:fs/promises';",
        "export * from './not-implemented.js';",
        "export const lazy = () => import('./ndarray.js');",
        'console.log(NDArray, crop, Random, Q3_IMAGE, readFile);',
      ].join('\n'),
    );
    expect(code).toContain('from "../given/ndarray.js"');
    expect(code).toContain('from "./convolution-primitives.js"');
    expect(code).toContain('from "../given/random.js"');
    expect(code).toContain('from "../given/q3-image.js"');
    expect(code).toContain('from "node:fs/promises"');
    expect(code).toContain('export * from "../given/not-implemented.js"');
    expect(code).toContain('import("../given/ndarray.js")');
    // losses.ts's own imports of the student's files stay in the part's folder.
    expect(code).toContain('from "./ops.js"');
  });

  it("keeps the student's own modules, named with letters, digits, _, - and ., in the part's folder", async () => {
    const { code } = await compileWith(
      [
        "import { a } from './topo_sort.js';",
        "import { b } from './graph.utils.js';",
        "import { c } from './Helpers2';",
        'console.log(a, b, c);',
      ].join('\n'),
    );
    expect(code).toContain('from "./topo_sort.js"');
    expect(code).toContain('from "./graph.utils.js"');
    expect(code).toContain('from "./Helpers2.js"');
  });

  it('leaves "import(" in strings, comments and regular expressions alone', async () => {
    const { code } = await compileWith(
      "/*! import('/etc/passwd') */\nexport const s = \"import('/etc/passwd')\" + String(/import\\('\\/etc'\\)/);",
    );
    expect(code).toContain("import('/etc/passwd')");
  });

  it('sends a computed import() through the run-time check, with the place it was written', async () => {
    const { code } = await compileWith("const name = 'ndarray';\nexport const load = () => import(`./${name}.js`);");
    expect(code).toContain('__checkedImport$(import.meta, "src/losses.ts:2:27", `./${name}.js`)');
    expect(code).toContain('import { checkedImport as __checkedImport$ } from "../given/checked-import.js";');
    expect(code).not.toMatch(/[^.$\w]import\(`/);
  });

  it('erases type-only imports, which load nothing', async () => {
    const { code, error } = await compileWith("import type { Secret } from '/etc/passwd';\nexport type Leak = Secret;");
    expect(error).toBeUndefined();
    expect(code).not.toContain('/etc/passwd');
  });

  it('refuses brackets nested past what the lexer reads, naming the file', async () => {
    const { error } = await compileWith(`export const deep = ${'['.repeat(3000)}${']'.repeat(3000)};`);
    expect(error).toMatch(/^src\/losses\.ts:1:\d+: the imports could not be read past here/);
  });
});
