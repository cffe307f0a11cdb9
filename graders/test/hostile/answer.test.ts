/**
 * What counts as an answer from the child: exactly the run's nonce and bundle, one response per
 * request, nothing else. Messages arrive as JSON text parsed by Node's IPC channel, so they are
 * built here the same way (JSON.parse), `__proto__` keys included.
 */
import { describe, expect, it } from 'vitest';
import { readWireArray } from '../../src/assignments/assignment-11/trusted/wire-arrays.js';
import { readAnswer } from '../../src/trusted/answer.js';

const NONCE = 'a'.repeat(32);
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const answer = (fields: Record<string, unknown> = {}): unknown =>
  wire({
    type: 'answer',
    nonce: NONCE,
    bundle: 'q1b/oracle.js',
    responses: [{ result: { value: { shape: [1], data: [1] } } }, { error: { name: 'Error', message: 'x' } }],
    ...fields,
  });

describe('readAnswer', () => {
  it('accepts exactly the answer asked for', () => {
    expect(readAnswer(answer(), NONCE, 'q1b/oracle.js', 2)).toHaveLength(2);
  });

  it.each([
    ['another nonce', answer({ nonce: 'b'.repeat(32) }), 2],
    ['no nonce', wire({ type: 'answer', bundle: 'q1b/oracle.js', responses: [] }), 0],
    ['another bundle', answer({ bundle: 'q1a/oracle.js' }), 2],
    ['too few responses', answer(), 3],
    ['too many responses', answer(), 1],
    ['an extra field', answer({ score: 20 }), 2],
    ['a response with an extra field', answer({ responses: [{ result: 1, passed: true }, { result: 2 }] }), 2],
    ['an error that is not an error', answer({ responses: [{ error: 'boom' }, { result: 2 }] }), 2],
    ['another type', answer({ type: 'ready' }), 2],
    ['a string', wire('{"type":"answer"}'), 2],
    ['null', null, 2],
  ])('counts %s as no answer', (_what, message, count) => {
    expect(readAnswer(message, NONCE, 'q1b/oracle.js', count)).toBeNull();
  });

  it('refuses a __proto__ key and pollutes nothing', () => {
    const message = JSON.parse(
      `{"type":"answer","nonce":"${NONCE}","bundle":"q1b/oracle.js","responses":[],"__proto__":{"polluted":true}}`,
    );
    expect(readAnswer(message, NONCE, 'q1b/oracle.js', 0)).toBeNull();
    const array = JSON.parse('{"shape":[1],"data":[1],"__proto__":{"polluted":true}}');
    expect(readWireArray(array)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('readWireArray', () => {
  it('copies plain numbers into a fresh array; null (a NaN or an infinity) becomes NaN', () => {
    const array = readWireArray(wire({ shape: [2, 2], data: [1, null, 3, 4] }))!;
    expect(array.shape).toEqual([2, 2]);
    expect(Array.from(array.data)).toEqual([1, Number.NaN, 3, 4]);
  });

  it.each([
    ['a length that does not match the shape', { shape: [2, 2], data: [1, 2, 3] }],
    ['strings', { shape: [1], data: ['1'] }],
    ['a negative dimension', { shape: [-1], data: [] }],
    ['more than a million elements', { shape: [1_000_001], data: [] }],
    ['nine dimensions', { shape: [1, 1, 1, 1, 1, 1, 1, 1, 1], data: [1] }],
  ])('refuses %s', (_what, value) => {
    expect(readWireArray(wire(value))).toBeNull();
  });
});
