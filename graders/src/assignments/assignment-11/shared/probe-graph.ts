/**
 * The probe graph language of the Q1(a) checks: a list of nodes, each referring to earlier ones by
 * index. The child builds it with the grader's probe operations on the student's Tensor; the
 * parent builds the same graph with the reference framework to know the expected gradients. One
 * walk serves both; each side says how to make each kind of node.
 */

export type ProbeNode =
  | { op: 'leaf'; value: { shape: number[]; data: (number | null)[] } }
  | { op: 'plus' | 'times' | 'matmul'; args: [number, number] }
  | { op: 'scale'; args: [number]; factor: number }
  /** `depth` scale nodes in a row (a deep chain, sent compactly). */
  | { op: 'scale-chain'; args: [number]; factor: number; depth: number }
  | { op: 'sum'; args: [number] };

/** How one side makes each kind of node from the nodes it depends on. */
export interface ProbeMakers<T> {
  leaf(shape: number[], data: number[]): T;
  plus(a: T, b: T): T;
  times(a: T, b: T): T;
  matmul(a: T, b: T): T;
  scale(x: T, factor: number): T;
  sum(x: T): T;
}

/** The longest chain a `scale-chain` node may ask for. */
const MAX_CHAIN = 100_000;

/** Builds every node of the graph, in order; the last one is the output. */
export function buildProbeGraph<T>(nodes: readonly ProbeNode[], make: ProbeMakers<T>): T[] {
  const built: T[] = [];
  for (const node of nodes) {
    const arg = (k: number): T => built[(node as { args: number[] }).args[k]];
    switch (node.op) {
      case 'leaf':
        built.push(make.leaf(node.value.shape, node.value.data.map(Number)));
        break;
      case 'plus':
      case 'times':
      case 'matmul':
        built.push(make[node.op](arg(0), arg(1)));
        break;
      case 'scale':
        built.push(make.scale(arg(0), node.factor));
        break;
      case 'scale-chain': {
        let link = arg(0);
        for (let k = 0; k < Math.min(node.depth, MAX_CHAIN); k++) link = make.scale(link, node.factor);
        built.push(link);
        break;
      }
      case 'sum':
        built.push(make.sum(arg(0)));
        break;
    }
  }
  return built;
}
