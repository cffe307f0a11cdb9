/**
 * Q1(a): the `Tensor` class and its backward pass.
 *
 * There is no graph object: every operation is a subclass of `Tensor` that computes its value when
 * it is constructed and remembers its inputs. Calling `loss.backward()` walks that graph from
 * `loss` back to the leaves and fills in every tensor's `grad`.
 */
import { NDArray, ShapeError, add, formatShape, sameShape, type Nested, type Shape } from './ndarray.js';
import { NotImplemented } from './not-implemented.js';

export class Tensor {
  /** The value computed in the forward pass. */
  readonly value: NDArray;
  /** The tensors this one was computed from (empty for a leaf). */
  readonly inputs: readonly Tensor[];
  /** dLoss/dThis after `backward()`, with the same shape as `value`; null before. */
  grad: NDArray | null = null;

  constructor(value: NDArray, inputs: readonly Tensor[] = []) {
    this.value = value;
    this.inputs = inputs;
  }

  get shape(): Shape {
    return this.value.shape;
  }

  /**
   * The local backward rule: given dLoss/dThis (`upstream`), returns dLoss/dInput for each input,
   * in the order of `inputs`. Leaves have no inputs and return nothing; every operation overrides
   * this.
   */
  backwardRule(upstream: NDArray): NDArray[] {
    if (this.inputs.length > 0) throw new NotImplemented(`the backward rule of ${this.constructor.name}`);
    void upstream;
    return [];
  }

  /**
   * Runs this tensor's backward rule and checks what it returned: one gradient per input, each with
   * the shape of its input. Use this in `backward()` rather than calling `backwardRule` directly.
   */
  inputGradients(upstream: NDArray): NDArray[] {
    const gradients = this.backwardRule(upstream);
    const name = this.constructor.name;
    if (!Array.isArray(gradients) || gradients.length !== this.inputs.length) {
      throw new ShapeError(`${name}.backwardRule must return ${this.inputs.length} gradient(s), one per input, got ${Array.isArray(gradients) ? gradients.length : typeof gradients}`);
    }
    gradients.forEach((gradient, i) => {
      const input = this.inputs[i];
      if (!(gradient instanceof NDArray) || !sameShape(gradient.shape, input.shape)) {
        const got = gradient instanceof NDArray ? `shape ${formatShape(gradient.shape)}` : String(gradient);
        throw new ShapeError(
          `${name}: the gradient for input ${i} has ${got} but that input has shape ${formatShape(input.shape)}; ` +
            `a gradient always has the shape of its tensor (after broadcasting, sum it back with sumToShape)`,
        );
      }
    });
    return gradients;
  }

  /**
   * Computes dThis/dT for every tensor T this one depends on, and stores it in `T.grad`.
   *
   * A scalar is seeded with the gradient 1. A tensor with more than one element needs an explicit
   * `gradient` of its own shape (the upstream dLoss/dThis).
   *
   * A tensor used more than once (by two operations, or twice by one) receives the sum of all the
   * contributions. Calling `backward()` a second time on the same graph adds the same gradients to
   * the leaves again (their `grad` doubles), as PyTorch does with `retain_graph=True`; the
   * gradients of intermediate tensors start from zero on every pass. Reset the leaves with
   * `zeroGrad()` between training steps.
   */
  backward(gradient?: NDArray): void {
    if (gradient === undefined && this.value.size !== 1) {
      throw new ShapeError(
        `backward() without a gradient needs a scalar (one element), but this ${this.constructor.name} has shape ${formatShape(this.shape)}; ` +
          `pass the upstream gradient, e.g. t.backward(NDArray.ones(t.shape))`,
      );
    }
    if (gradient !== undefined && !sameShape(gradient.shape, this.shape)) {
      throw new ShapeError(`backward(gradient): the gradient has shape ${formatShape(gradient.shape)} but the tensor has shape ${formatShape(this.shape)}`);
    }
    // TODO: Q1(a) Tensor.backward
    throw new NotImplemented('Q1(a) Tensor.backward');
  }

  /** Forgets this tensor's gradient. */
  zeroGrad(): void {
    this.grad = null;
  }

  toString(): string {
    return `${this.constructor.name}${formatShape(this.shape)}`;
  }
}

/** A trainable parameter: a leaf whose value gradient descent updates in place. */
export class Variable extends Tensor {
  constructor(value: NDArray | Nested) {
    super(value instanceof NDArray ? value : NDArray.from(value));
  }

  /** One gradient-descent step: value -= learningRate * grad. */
  step(learningRate: number): void {
    if (this.grad === null) return;
    for (let i = 0; i < this.value.size; i++) this.value.data[i] -= learningRate * this.grad.data[i];
  }
}

/** Data fed into the graph (inputs, targets): a leaf that is not trained. */
export class Input extends Tensor {
  constructor(value: NDArray | Nested) {
    super(value instanceof NDArray ? value : NDArray.from(value));
  }
}
