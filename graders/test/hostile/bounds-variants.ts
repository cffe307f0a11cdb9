/**
 * Submissions that send the grader values too large or too strange to render:
 * - a finite but huge loss (1.7e308) from the training;
 * - an operation at the end of mse whose class name is 128 KiB long, which the child reports as the
 *   kind of that node of mse's graph, on every call;
 * - an exception with a 4 MiB name and message, past the child's own cuts (String.prototype.slice
 *   patched);
 * - a result that is not an NDArray: a list whose map() gives a nested error with huge strings, a
 *   list nested 2,000 deep, 100,000 keys and 2 million items.
 * The last two attack once per child (the first call), in an operation only their own part uses
 * (ReLU, Sigmoid), and otherwise answer rightly: the one case attacked stays the smallest failing
 * case, so the check's message is made from what the attack sent. Each loses exactly its part.
 * Each answer stays under the answer channel's MESSAGE_BYTES, so that its fields are cut as it is
 * read, rather than the whole answer refused.
 */
import type { Variant } from '../../../tools/submissions/variants.js';

const RELU = 'return [upstream.map((g, i) => (this.x.value.data[i] > 0 ? g : 0))];';
const SIGMOID = 'return [upstream.map((g, i) => g * this.value.data[i] * (1 - this.value.data[i]))];';
const MSE = 'return new ReduceMean(new Mul(residual, residual));';
const LOSSES_IMPORT = "import type { Tensor } from './tensor.js';";

/** `attack` on the first call of the rule in a child, then the rule's right answer `rule`. */
const once = (rule: string, attack: string): string =>
  `if (!(globalThis as { attacked?: boolean }).attacked) {\n    (globalThis as { attacked?: boolean }).attacked = true;\n    ${attack}\n    }\n    ${rule}`;

/** A string of `n` MiB (one byte per character). */
const mebibytes = (letter: string, n: number): string => `'${letter}'.repeat(${n} << 20)`;
/** A string of `n` KiB. */
const kibibytes = (letter: string, n: number): string => `'${letter}'.repeat(${n} << 10)`;

export const BOUNDS_VARIANTS: Variant[] = [
  {
    id: 'huge-loss',
    mistake: "adds 1.7e308 to the first loss of the training (the regression's 100 points), which once made the plot's axis infinite",
    patches: [
      {
        file: 'src/losses.ts',
        find: LOSSES_IMPORT,
        replace: "import { Input, type Tensor } from './tensor.js';\nimport { NDArray } from './ndarray.js';",
      },
      {
        file: 'src/losses.ts',
        find: MSE,
        replace: `const loss = new ReduceMean(new Mul(residual, residual));
  if (prediction.value.shape[0] === 100 && !(globalThis as { attacked?: boolean }).attacked) {
    (globalThis as { attacked?: boolean }).attacked = true;
    return new Add(loss, new Input(NDArray.scalar(1.7e308)));
  }
  return loss;`,
      },
    ],
    expectedPoints: { Q1d: 0 },
  },
  {
    id: 'huge-op-name',
    mistake: 'ends mse with an operation of its own whose class name is 128 KiB long, which the child describes as it is',
    patches: [
      {
        file: 'src/losses.ts',
        find: LOSSES_IMPORT,
        replace: "import { Tensor } from './tensor.js';\nimport type { NDArray } from './ndarray.js';",
      },
      {
        file: 'src/losses.ts',
        find: MSE,
        replace: `class Named extends Tensor {
    static get name(): string {
      return ${kibibytes('S', 128)};
    }
    constructor(x: Tensor) {
      super(x.value, [x]);
    }
    override backwardRule(upstream: NDArray): NDArray[] {
      return [upstream];
    }
  }
  return new Named(new ReduceMean(new Mul(residual, residual)));`,
      },
    ],
    expectedPoints: { Q1c: 0 },
  },
  {
    id: 'huge-error-name',
    mistake: 'throws an Error with a 4 MiB name and a 4 MiB message, after making String.prototype.slice keep long strings whole',
    patches: [
      {
        file: 'src/ops.ts',
        find: RELU,
        replace: once(
          RELU,
          `const slice = String.prototype.slice;
    String.prototype.slice = function (this: string, ...args: number[]) {
      return this.length > 1_000_000 ? String(this) : slice.apply(this, args as [number, number]);
    };
    const error = new Error(${mebibytes('m', 4)});
    error.name = ${mebibytes('N', 4)};
    throw error;`,
        ),
      },
    ],
    expectedPoints: { 'Q1b.ReLU': 0 },
  },
  {
    id: 'crafted-result',
    mistake:
      'returns a list whose map() gives a nested error with huge strings, a list nested 2,000 deep, 100,000 keys and 2 million items',
    patches: [
      {
        file: 'src/ops.ts',
        find: SIGMOID,
        replace: once(
          SIGMOID,
          `const deep: unknown[] = [];
    let level = deep;
    for (let i = 0; i < 2000; i++) {
      const next: unknown[] = [];
      level.push(next);
      level = next;
    }
    const keys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => ['k' + i, i]));
    const payload = [{ error: { name: ${mebibytes('E', 2)}, message: ${mebibytes('M', 2)} }, deep, keys, text: ${mebibytes('T', 2)}, items: new Array(2_000_000).fill(0) }];
    class Described extends Array {
      override map(): never {
        return payload as never;
      }
    }
    return new Described() as never;`,
        ),
      },
    ],
    expectedPoints: { 'Q1b.Sigmoid': 0 },
  },
];
