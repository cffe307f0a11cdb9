import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { answerTemplate, formatAnswerJson, isJsonAnswerFile } from '../answer-templates.js';
import { fixture } from './fixture.js';

describe('answerTemplate', () => {
  test('every number becomes null, other values stay, one matrix row per line', () => {
    expect(answerTemplate(fixture('q3-answers.json.txt'), 'answers/q3.json')).toBe(fixture('q3-answers.expected.json.txt'));
  });

  test('the real Q3 answers become a 6x6 (k1) and a 4x4 (k2) matrix of nulls', () => {
    const reference = readFileSync(new URL('../../../reference/answers/q3.json', import.meta.url), 'utf8');
    const template = answerTemplate(reference, 'answers/q3.json');
    const nulls = (size: number) => Array.from({ length: size }, () => Array.from({ length: size }, () => null));
    expect(JSON.parse(template)).toEqual({ k1: nulls(6), k2: nulls(4) });
    expect(template.split('\n').filter((line) => line.trim().startsWith('[null'))).toHaveLength(10);
  });

  test('invalid JSON is an error naming the file', () => {
    expect(() => answerTemplate('{ "k1": [1, 2', 'answers/q3.json')).toThrow(
      /^answers\/q3\.json: the reference answers are not valid JSON/,
    );
  });

  test('formatAnswerJson prints nested containers one per line and flat arrays inline', () => {
    expect(formatAnswerJson({ a: [], b: {}, c: [[1], [[2]]] })).toBe(
      '{\n  "a": [],\n  "b": {},\n  "c": [\n    [1],\n    [\n      [2]\n    ]\n  ]\n}',
    );
  });

  test('only JSON files under answers/ are answer templates', () => {
    expect(isJsonAnswerFile('answers/q3.json')).toBe(true);
    expect(isJsonAnswerFile('package.json')).toBe(false);
    expect(isJsonAnswerFile('answers/q2.md')).toBe(false);
  });
});
