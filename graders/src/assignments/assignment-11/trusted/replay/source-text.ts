/**
 * TypeScript source for the local replays (Counterexample.localReplay): numbers that read back as
 * the very same doubles, arrays as nested lists (a long matrix a row per line), and a vitest test
 * file put together from its imports and body. A student pastes this text and runs it as it is, so
 * nothing here is cut or rounded.
 */
import { NDArray } from '@assignment-11/reference/src/ndarray.js';
import type { WireArray } from '../../../../shared/protocol.js';
import type { LocalReplay } from '../../../../trusted/result.js';

/** Lines longer than this are broken: a matrix goes a row per line, an assertion an argument per line. */
const LINE_WIDTH = 100;

/** The column statements start at in the test file (inside `it`), which the snippet's lines must fit as well. */
const STATEMENT_COLUMN = 2;

/** An array case value as the parent reads it off the wire (null, JSON's NaN, read as NaN). */
export function arrayOfWire(array: WireArray): NDArray {
  return new NDArray(
    array.shape,
    array.data.map((x) => (x === null ? Number.NaN : x)),
  );
}

/** `x` as source that evaluates to the same double: String gives the shortest form that reads back; -0 keeps its sign. */
export function numberSource(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** `text` as a single-quoted string literal. */
export function stringSource(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/**
 * The elements of `array` from `offset` along `axis` as a nested-list literal that starts at
 * `column` of a line indented by `indent`: on that line when it fits, else an item per line.
 */
function nestedLiteral(array: NDArray, axis: number, offset: number, indent: string, column: number): string {
  if (axis === array.rank) return numberSource(array.data[offset]);
  const stride = array.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const inner = `${indent}  `;
  const item = (i: number) => nestedLiteral(array, axis + 1, offset + i * stride, inner, STATEMENT_COLUMN + inner.length);
  const items = Array.from({ length: array.shape[axis] }, (_, i) => item(i));
  const inline = `[${items.join(', ')}]`;
  // The innermost axis stays on one line: numbers a row.
  if (axis === array.rank - 1 || (!inline.includes('\n') && column + inline.length + 2 <= LINE_WIDTH)) return inline;
  return `[\n${items.map((item) => `${inner}${item},`).join('\n')}\n${indent}]`;
}

/**
 * `head`, then `array` as an argument of `new Input(...)` or `new Variable(...)` (a nested list,
 * a number for a scalar, or `new NDArray(shape)` when it has no elements, whose shape a list cannot
 * carry), then `tail`: one statement.
 */
export function withTensorArgument(head: string, array: NDArray, tail: string): string {
  if (array.size === 0) return `${head}new NDArray([${array.shape.join(', ')}])${tail}`;
  return `${head}${nestedLiteral(array, 0, 0, '', STATEMENT_COLUMN + head.length)}${tail}`;
}

/** `array` as an expression of type NDArray, starting at `column` of a line indented by `indent`. */
function arrayExpression(array: NDArray, indent: string, column: number): string {
  if (array.size === 0) return `new NDArray([${array.shape.join(', ')}])`;
  if (array.rank === 0) return `NDArray.scalar(${numberSource(array.data[0])})`;
  return `NDArray.from(${nestedLiteral(array, 0, 0, indent, column + 'NDArray.from('.length)})`;
}

/** `head`, then `array` as an expression of type NDArray, then `tail`: one statement. */
export function withArray(head: string, array: NDArray, tail: string): string {
  return `${head}${arrayExpression(array, '', STATEMENT_COLUMN + head.length)}${tail}`;
}

/** `assertAllClose(actual, expected, what, gradientTolerance);`, on one line when it fits, else an argument per line. */
export function assertClose(actual: string, expected: NDArray, what: string): string {
  const head = `assertAllClose(${actual}, `;
  const tail = `, ${stringSource(what)}, gradientTolerance);`;
  const line = withArray(head, expected, tail);
  if (!line.includes('\n') && STATEMENT_COLUMN + line.length <= LINE_WIDTH) return line;
  const argument = arrayExpression(expected, '  ', STATEMENT_COLUMN + 2);
  return ['assertAllClose(', `  ${actual},`, `  ${argument},`, `  ${stringSource(what)},`, '  gradientTolerance,', ');'].join('\n');
}

/**
 * `make()`, or undefined when it throws: a case the replay cannot be written for (the reference
 * refusing it) leaves the counterexample without one, never the check without a verdict.
 */
export function replayOrNone(make: () => LocalReplay): LocalReplay | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

/** The parts of a replay's test file. */
export interface ReplayTest {
  /** Names imported from the student's src/index.ts. */
  framework: readonly string[];
  /** Declarations above the test (classes the case needs), as lines. */
  declarations?: readonly string[];
  /** The test's name, e.g. "Q1b Mul: the failing case of the hidden check". */
  name: string;
  /** What the test is, above it: a few lines of prose. */
  about: readonly string[];
  /** The statements that build the case (the snippet), then the ones that check it. */
  build: readonly string[];
  check: readonly string[];
}

/** Each line (and each line of a statement that spans several) after `indent`. */
const indented = (lines: readonly string[], indent: string): string[] =>
  lines.map((line) => (line === '' ? '' : `${indent}${line.replace(/\n/g, `\n${indent}`)}`));

/** The snippet (declarations and the statements that build the case) and the whole test file. */
export function localReplay(file: string, parts: ReplayTest): LocalReplay {
  const declarations = parts.declarations ?? [];
  const code = [...declarations, ...(declarations.length > 0 ? [''] : []), ...parts.build].join('\n');
  const names = [...new Set(parts.framework)].sort();
  const usesExpect = parts.check.some((line) => line.includes('expect('));
  const test = [
    `import { ${usesExpect ? 'expect, ' : ''}it } from 'vitest';`,
    `import { ${names.join(', ')} } from '../src/index.js';`,
    "import { assertAllClose } from './support/all-close.js';",
    "import { gradientTolerance } from './support/gradient-check.js';",
    '',
    '/**',
    ...parts.about.map((line) => ` * ${line}`.trimEnd()),
    ` * Save it as ${file} in your project, then run it:`,
    ` *   npx vitest run ${file}`,
    ' */',
    ...(declarations.length > 0 ? ['', ...declarations] : []),
    '',
    `it(${stringSource(parts.name)}, () => {`,
    ...indented([...parts.build, '', ...parts.check], '  '),
    '});',
    '',
  ].join('\n');
  return { file, code, test };
}
