/**
 * Reference-only check of answers/q3.json: every entry must equal the framework's correlate2d.
 * It lives outside reference/ so that it is never copied to the student skeleton, where the
 * public test only checks the form of the file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { NDArray, correlate2d } from '../../reference/src/index.js';
import { Q3_IMAGE, Q3_KERNELS } from '../../reference/src/q3-image.js';

const answersFile = new URL('../../reference/answers/q3.json', import.meta.url);
const answers = JSON.parse(readFileSync(answersFile, 'utf8')) as Record<string, number[][]>;

describe('Q3 reference answers', () => {
  for (const name of ['k1', 'k2'] as const) {
    const { kernel, stride, outputSize } = Q3_KERNELS[name];

    test(`${name} (stride ${stride}) in answers/q3.json equals correlate2d, entry by entry`, () => {
      const expected = correlate2d(NDArray.from(Q3_IMAGE), NDArray.from(kernel), stride);
      expect(expected.shape).toEqual([outputSize, outputSize]);
      expect(answers[name], `${name} has the wrong number of rows`).toHaveLength(outputSize);
      for (let i = 0; i < outputSize; i++) {
        expect(answers[name][i], `${name} row ${i} has the wrong length`).toHaveLength(outputSize);
        for (let j = 0; j < outputSize; j++) {
          expect(answers[name][i][j], `${name}[${i}][${j}]`).toBe(expected.get(i, j));
        }
      }
    });
  }
});
