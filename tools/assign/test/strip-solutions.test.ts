import { describe, expect, test } from 'vitest';
import { MarkerError } from '../marker-error.js';
import { stripSolutions } from '../strip-solutions.js';
import { fixture } from './fixture.js';

/** The MarkerError that stripping `text` as `fileName` throws (the test fails if there is none). */
function markerErrorOf(text: string, fileName: string): MarkerError {
  try {
    stripSolutions(text, fileName);
  } catch (error) {
    if (error instanceof MarkerError) return error;
    throw error;
  }
  throw new Error(`stripping ${fileName} should have failed`);
}

describe('stripSolutions on well-formed files', () => {
  test.each([
    ['ops-without-import', 'src/ops.ts', 'a multi-line import gets NotImplemented added after the last import; tabs are kept'],
    ['tensor-with-import', 'src/tensor.ts', 'an existing NotImplemented import is not repeated'],
    ['helper-outside-src', 'test/support/helper.ts', 'the import path is relative to the file, and quotes in labels are escaped'],
  ])('%s (%s): %s', (name, fileName) => {
    expect(stripSolutions(fixture(`${name}.ts.txt`), fileName)).toBe(fixture(`${name}.expected.ts.txt`));
  });

  test('a Markdown answer: each region becomes a prompt, with or without a label', () => {
    expect(stripSolutions(fixture('answer.md.txt'), 'answers/q2.md')).toBe(fixture('answer.expected.md.txt'));
  });

  test('a file without regions comes out byte for byte, import list included', () => {
    const given = "/** Given. */\nimport { add } from './ndarray.js';\n\nexport const two = add(1, 1);\n";
    expect(stripSolutions(given, 'src/given.ts')).toBe(given);
  });

  test('a file without imports gets NotImplemented before its first statement, after its header comment', () => {
    const text = '/** Header. */\n\nexport function f(): number {\n  // BEGIN SOLUTION Q0 f\n  return 1;\n  // END SOLUTION\n}\n';
    expect(stripSolutions(text, 'src/f.ts')).toBe(
      "/** Header. */\n\nimport { NotImplemented } from './not-implemented.js';\n\nexport function f(): number {\n  // TODO: Q0 f\n  throw new NotImplemented('Q0 f');\n}\n",
    );
  });

  test("a file without imports gets NotImplemented above its first statement's doc comment, which stays with it", () => {
    const text =
      '/** Header. */\n\n/** f is one. */\n// (really)\nexport function f(): number {\n  // BEGIN SOLUTION Q0 f\n  return 1;\n  // END SOLUTION\n}\n';
    expect(stripSolutions(text, 'src/f.ts')).toBe(
      "/** Header. */\n\nimport { NotImplemented } from './not-implemented.js';\n\n/** f is one. */\n// (really)\nexport function f(): number {\n  // TODO: Q0 f\n  throw new NotImplemented('Q0 f');\n}\n",
    );
    const withoutHeader = '/** f is one. */\nexport function f(): number {\n  // BEGIN SOLUTION Q0 f\n  return 1;\n  // END SOLUTION\n}\n';
    expect(stripSolutions(withoutHeader, 'src/f.ts')).toBe(
      "import { NotImplemented } from './not-implemented.js';\n\n/** f is one. */\nexport function f(): number {\n  // TODO: Q0 f\n  throw new NotImplemented('Q0 f');\n}\n",
    );
  });

  test('CRLF line endings are kept, also in the placeholder', () => {
    const text =
      "import { NotImplemented } from './not-implemented.js';\r\nfunction f() {\r\n  // BEGIN SOLUTION Q0 f\r\n  return 1;\r\n  // END SOLUTION\r\n}\r\n";
    expect(stripSolutions(text, 'src/f.ts')).toBe(
      "import { NotImplemented } from './not-implemented.js';\r\nfunction f() {\r\n  // TODO: Q0 f\r\n  throw new NotImplemented('Q0 f');\r\n}\r\n",
    );
  });

  test('files of other types without markers pass unchanged', () => {
    expect(stripSolutions('{ "name": "x" }\n', 'package.json')).toBe('{ "name": "x" }\n');
  });
});

describe('stripSolutions on malformed markers: a MarkerError naming file and line', () => {
  test.each([
    ['unpaired-begin.ts.txt', 'src/losses.ts', 2, /BEGIN SOLUTION Q1\(c\) mse is never closed; expected `\/\/ END SOLUTION`/],
    ['unpaired-end.ts.txt', 'src/losses.ts', 3, /END SOLUTION without a BEGIN SOLUTION before it/],
    ['nested.ts.txt', 'src/ops.ts', 5, /nested BEGIN SOLUTION: the region opened at line 3 is still open/],
    ['missing-label.ts.txt', 'src/ops.ts', 3, /BEGIN SOLUTION without a label; expected `\/\/ BEGIN SOLUTION <part/],
    ['malformed-marker.ts.txt', 'src/ops.ts', 3, /malformed solution marker; expected a line holding only `\/\/ BEGIN SOLUTION/],
    ['unpaired-begin.md.txt', 'answers/q1d.md', 5, /BEGIN SOLUTION is never closed; expected `<!-- END SOLUTION -->`/],
    ['marker-in-json.json.txt', 'answers/q3.json', 3, /solution markers are only allowed in \.ts files .* and \.md files/],
  ])('%s as %s: line %d', (name, fileName, line, problem) => {
    const error = markerErrorOf(fixture(name), fileName);
    expect(error.file).toBe(fileName);
    expect(error.line).toBe(line);
    expect(error.message.startsWith(`${fileName}:${line}: `)).toBe(true);
    expect(error.message).toMatch(problem);
  });

  test('a TypeScript marker in a Markdown file is malformed there', () => {
    const error = markerErrorOf('# Q2\n\n// BEGIN SOLUTION Q2\n', 'answers/q2.md');
    expect(error.message).toMatch(/^answers\/q2\.md:3: malformed solution marker; expected a line holding only `<!-- BEGIN SOLUTION -->`/);
  });
});
