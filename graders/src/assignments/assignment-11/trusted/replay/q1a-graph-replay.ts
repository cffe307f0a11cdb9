/**
 * Q1(a)'s failing cases as the student runs them: the probe graph built with the grader's probe
 * operations, defined inline on the student's Tensor (only the ones the graph uses), and backward()
 * called as the check called it. The test compares each leaf's gradient with the reference
 * solution's. A leaf is named as the check's message names it (leaf0 for node 0: "dL/dleaf0[1,0]"),
 * the other tensors by what makes them.
 */
import { NDArray, add, matmul, mul, scale, transpose } from '@assignment-11/reference/src/ndarray.js';
import { Tensor, Variable } from '@assignment-11/reference/src/tensor.js';
import type { WireArray } from '../../../../shared/protocol.js';
import type { LocalReplay } from '../../../../trusted/result.js';
import { buildProbeGraph, type ProbeNode } from '../../shared/probe-graph.js';
import { probeMakers } from '../../shared/probe-ops.js';
import { perCase } from '../expected-cache.js';
import { PROBE_CLASSES } from './probe-classes.js';
import { arrayOfWire, assertClose, localReplay, numberSource, replayOrNone, withArray, withTensorArgument } from './source-text.js';

/** One case of a Q1(a) check: the graph (its last node the output) and how backward() is called. */
export interface GraphReplayCase {
  family: string;
  nodes: ProbeNode[];
  gradient?: WireArray;
  passes: number;
  /** The output is not a scalar and no gradient is given: backward() must throw. */
  expectError?: boolean;
}

const REFERENCE = { Tensor, NDArray, add, mul, matmul, scale, transpose };

/** The reference's gradient of every leaf, by node index, after the case's passes. */
function referenceLeafGradients(c: GraphReplayCase): Map<number, NDArray | null> {
  const built = buildProbeGraph(
    c.nodes,
    probeMakers(REFERENCE, (value) => new Variable(value)),
  );
  const gradient = c.gradient === undefined ? undefined : arrayOfWire(c.gradient);
  for (let pass = 0; pass < c.passes; pass++) built[built.length - 1].backward(gradient);
  return new Map(c.nodes.flatMap((node, i) => (node.op === 'leaf' ? [[i, built[i].grad] as const] : [])));
}

/**
 * Leaves by node index (leaf0), as the check's messages name them; the others by what makes them
 * (product, scaled2...); the output loss or out.
 */
function variableNames(nodes: readonly ProbeNode[]): string[] {
  const base = nodes.map((node) => (node.op === 'leaf' ? '' : node.op === 'scale-chain' ? 'chain' : PROBE_CLASSES[node.op].valueName));
  const count = new Map<string, number>();
  for (const name of base) count.set(name, (count.get(name) ?? 0) + 1);
  const seen = new Map<string, number>();
  return nodes.map((node, i) => {
    if (node.op === 'leaf') return `leaf${i}`;
    if (i === nodes.length - 1) return node.op === 'sum' ? 'loss' : 'out';
    const k = (seen.get(base[i]) ?? 0) + 1;
    seen.set(base[i], k);
    return count.get(base[i])! > 1 ? `${base[i]}${k}` : base[i];
  });
}

/** The statements that build the graph. */
function graphStatements(nodes: readonly ProbeNode[], names: readonly string[]): string[] {
  return nodes.flatMap((node, i): string[] => {
    const name = names[i];
    switch (node.op) {
      case 'leaf':
        return [withTensorArgument(`const ${name} = new Variable(`, arrayOfWire(node.value), ');')];
      case 'plus':
      case 'times':
      case 'matmul':
        return [`const ${name} = new ${PROBE_CLASSES[node.op].className}(${names[node.args[0]]}, ${names[node.args[1]]});`];
      case 'scale':
        return [`const ${name} = new Scale(${names[node.args[0]]}, ${numberSource(node.factor)});`];
      case 'scale-chain':
        return [
          `let ${name}: Tensor = ${names[node.args[0]]};`,
          `for (let i = 0; i < ${node.depth}; i++) ${name} = new Scale(${name}, ${numberSource(node.factor)});`,
        ];
      case 'sum':
        return [`const ${name} = new Sum(${names[node.args[0]]});`];
    }
  });
}

const replayOf = perCase((c: GraphReplayCase) => replayOrNone(() => makeReplay(c)));

/** The replay of a Q1(a) case (made once per case), if one can be written. */
export function graphReplay(c: GraphReplayCase): LocalReplay | undefined {
  return replayOf(c);
}

function makeReplay(c: GraphReplayCase): LocalReplay {
  const names = variableNames(c.nodes);
  const output = names[names.length - 1];
  const used = new Set(c.nodes.flatMap((node) => (node.op === 'leaf' ? [] : [PROBE_CLASSES[node.op]])));
  const classes = [...new Set(Object.values(PROBE_CLASSES))].filter((probe) => used.has(probe));
  const build = graphStatements(c.nodes, names);
  const check: string[] = [];
  if (c.expectError) {
    build.push(`// ${output} has more than one element and no gradient is given, so ${output}.backward() must throw.`);
    check.push(`expect(() => ${output}.backward()).toThrow();`);
  } else {
    const argument = c.gradient === undefined ? '' : 'gradient';
    if (c.gradient !== undefined) build.push(withArray('const gradient = ', arrayOfWire(c.gradient), ';'));
    for (let pass = 0; pass < c.passes; pass++) {
      build.push(`${output}.backward(${argument});${pass === 1 ? ' // a second pass adds the same gradients to the leaves again' : ''}`);
    }
    for (const [index, grad] of referenceLeafGradients(c)) {
      const leaf = `${names[index]}.grad`;
      check.push(`expect(${leaf}, '${leaf}').not.toBeNull();`);
      // A leaf no path reaches keeps null in the reference too; then only null is right.
      if (grad !== null) check.push(assertClose(`${leaf}!`, grad, leaf));
      else check[check.length - 1] = `expect(${leaf}, '${leaf}').toBeNull();`;
    }
  }
  const family = c.family.replace(/[^a-z0-9-]+/gi, '-').toLowerCase();
  return localReplay(`test/replay-q1a-${family}.test.ts`, {
    framework: ['NDArray', 'Tensor', 'Variable', ...classes.flatMap((probe) => probe.imports)],
    declarations: classes.flatMap((probe, i) => [...(i > 0 ? [''] : []), ...probe.source]),
    name: `Q1a ${c.family}: the failing case of the hidden check`,
    about: [
      `The case on which the grader's hidden check of Tensor.backward (${c.family} graphs) failed,`,
      "built with your Tensor. The operations are the grader's own probe operations, written here on",
      'your Tensor, so that only your backward() is tested. The expected gradients are the reference',
      "solution's, compared within the grader's tolerance (gradientTolerance): the test fails until",
      'your backward() gives them.',
    ],
    build,
    check,
  });
}
