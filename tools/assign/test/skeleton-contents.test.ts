/** What the real reference turns into: checked on reference/ itself, in memory. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { buildSkeleton, skeletonPackageName, studentVersion } from '../skeleton-contents.js';

const REFERENCE = fileURLToPath(new URL('../../../reference/', import.meta.url));
const files = buildSkeleton(REFERENCE);
const text = (path: string) => files.get(path)!.toString('utf8');
const referenceText = (path: string) => readFileSync(`${REFERENCE}${path}`, 'utf8');

describe('the skeleton built from reference/', () => {
  test('holds src/, test/, answers/ and the package files, and nothing else', () => {
    const outside = [...files.keys()].filter((path) => !/^(src|test|answers)\//.test(path));
    expect(outside.filter((path) => !['vitest.config.ts', '.gitignore'].includes(path))).toEqual([
      'README.md',
      'package.json',
      'tsconfig.json',
    ]);
    expect([...files.keys()].some((path) => path.includes('node_modules'))).toBe(false);
  });

  test('has no solution left: no marker, and every student part throws NotImplemented', () => {
    for (const [path, content] of files) expect(content.toString('utf8'), path).not.toMatch(/\b(BEGIN|END) SOLUTION\b/);
    for (const part of [
      'Q1(a) Tensor.backward',
      'Q1(b) Mul.backwardRule',
      'Q1(c) mse',
      'Q2 Conv2d.kernelGradient',
      'Q2 Conv2d.imageGradient',
    ]) {
      expect(
        [...files.values()].some((content) => content.toString('utf8').includes(`throw new NotImplemented('${part}');`)),
        part,
      ).toBe(true);
    }
  });

  test('keeps every file without solution regions byte for byte', () => {
    for (const path of ['src/ndarray.ts', 'src/convolution-primitives.ts', 'src/not-implemented.ts', 'README.md', 'tsconfig.json']) {
      expect(text(path), path).toBe(referenceText(path));
    }
  });

  test('renames the package and changes nothing else in package.json', () => {
    const manifest = JSON.parse(text('package.json'));
    expect(manifest.name).toBe('@assignment-11/skeleton');
    expect({ ...manifest, name: undefined }).toEqual({ ...JSON.parse(referenceText('package.json')), name: undefined });
  });

  test('is a self-contained package: its tsconfig extends nothing and has the strict options of tsconfig.base.json', () => {
    const tsconfig = JSON.parse(text('tsconfig.json'));
    const base = JSON.parse(readFileSync(new URL('../../../tsconfig.base.json', import.meta.url), 'utf8'));
    expect(tsconfig.extends).toBeUndefined();
    expect(tsconfig.compilerOptions).toMatchObject(base.compilerOptions);
  });
});

describe("the skeleton's package name", () => {
  test("is derived from the reference's: @course/reference becomes @course/skeleton, any other name NAME-skeleton", () => {
    expect(skeletonPackageName('@assignment-11/reference')).toBe('@assignment-11/skeleton');
    expect(skeletonPackageName('@assignment-mini/reference')).toBe('@assignment-mini/skeleton');
    expect(skeletonPackageName('vectors')).toBe('vectors-skeleton');
    expect(skeletonPackageName('@course/solution')).toBe('@course/solution-skeleton');
    expect(skeletonPackageName('reference')).toBe('reference-skeleton');
  });

  test('a package.json without a name, or that is no object, is refused with what to fix', () => {
    const version = (json: string) => () => studentVersion('package.json', Buffer.from(json));
    expect(version('{ "version": "1.0.0" }')).toThrow(
      new SyntaxError('package.json has no "name"; the student package is named after it (@course/reference becomes @course/skeleton)'),
    );
    expect(version('{ "name": 7 }')).toThrow(/package\.json has no "name"/);
    expect(version('[]')).toThrow(new SyntaxError('package.json must hold an object'));
    expect(version('null')).toThrow(new SyntaxError('package.json must hold an object'));
  });
});
