/**
 * Q1(b)'s registry is the one source of what differs between operations: the reference operation
 * gives the expected value and gradients (there is no second answer key), each mistake is listed
 * once per operation, and the judge reads the entry without naming an operation.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NDArray } from '../../../reference/src/ndarray.js';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { judgeOp } from '../../src/assignments/assignment-11/trusted/q1b-judge.js';
import { OP_SPECS, type OpName } from '../../src/assignments/assignment-11/trusted/q1b-ops.js';
import { toWireArray } from '../../src/assignments/assignment-11/trusted/wire-arrays.js';
import type { WireArray } from '../../src/shared/protocol.js';
import { loadRubric } from '../../src/trusted/load-rubric.js';

const rubric = loadRubric(assignment);
const OPS = Object.keys(OP_SPECS) as OpName[];
const toArray = (a: WireArray): NDArray => new NDArray(a.shape, a.data.map(Number));

describe('Q1(b) registry', () => {
  it.each(OPS)('%s: the reference backward rule passes the judge on every sampled case', (op) => {
    const spec = OP_SPECS[op];
    for (const c of fc.sample(spec.arbitrary, { seed: rubric.seed, numRuns: 200 })) {
      const inputs = c.inputs.map(toArray);
      const value = toWireArray(spec.forward(inputs, c.axes));
      const gradients = spec.gradients(inputs, toArray(c.upstream), c.axes).map(toWireArray);
      expect(judgeOp(op, c, { result: { value, gradients } }, rubric.tolerance)).toEqual({ ok: true });
    }
  });

  it.each(OPS)('%s: the upstream-ignored mistake is the reference backward rule fed ones, and is recognised', (op) => {
    const spec = OP_SPECS[op];
    const ignored = spec.mistakes.find((m) => m.id === 'upstream-ignored')!;
    const c = fc.sample(spec.arbitrary, { seed: rubric.seed, numRuns: 1 })[0];
    const inputs = c.inputs.map(toArray);
    const upstream = toArray(c.upstream);
    const fedOnes = spec.gradients(inputs, NDArray.ones(upstream.shape), c.axes);
    expect(ignored.models.map((model) => model(inputs, upstream, c.axes))).toEqual([fedOnes]);
  });

  it.each(OPS)('%s: no mistake is listed twice', (op) => {
    const ids = OP_SPECS[op].mistakes.map((m) => m.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the judge names no operation: what differs between them is read from the registry', () => {
    const judge = readFileSync(new URL('../../src/assignments/assignment-11/trusted/q1b-judge.ts', import.meta.url), 'utf8');
    for (const op of OPS) expect(judge).not.toMatch(new RegExp(`['"\`]${op}['"\`]|\\b${op}\\s*[=!]==|[=!]==\\s*${op}\\b`));
    expect(judge).not.toMatch(/\bop\s*[=!]==|[=!]==\s*op\b/);
  });
});
