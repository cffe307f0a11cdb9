/**
 * Q1(a): the student's Tensor.backward, on graphs of the grader's own probe operations (so
 * neither the student's nor the reference's ops.ts is involved). The parent builds the same graph
 * with the reference framework and compares every leaf's gradient (q1a-judge.ts).
 *
 * Graph families, one check each (q1a-graph-cases.ts): every leaf used once; a tensor used twice
 * (accumulation); a diamond with paths of different lengths (topological order); a deep chain plus
 * the seed rules (scalar seeded with 1, explicit gradient for a non-scalar output, an error without
 * one, and a second backward() doubling the leaves' gradients).
 */
import type fc from 'fast-check';
import { chainAndSeed, diamond, reused, singleUse, type GraphCase } from './q1a-graph-cases.js';

/** Q1(a)'s checks, one per graph family, each with its cases and the message shown when it passes. */
export const GRAPH_FAMILIES: { check: string; arbitrary: fc.Arbitrary<GraphCase>; passedMessage: string }[] = [
  { check: 'single-use', arbitrary: singleUse, passedMessage: 'gradients of a graph whose leaves are each used once' },
  { check: 'reused-tensor', arbitrary: reused, passedMessage: 'a tensor used twice receives the sum of both contributions' },
  { check: 'diamond', arbitrary: diamond, passedMessage: 'diamond graphs: every tensor is processed after all its consumers' },
  {
    check: 'deep-chain-and-seed',
    arbitrary: chainAndSeed,
    passedMessage: 'deep chains, explicit upstream gradients, a second backward() and the error without a gradient',
  },
];
