/**
 * Q1(c)'s failing cases as the student runs them: mse on two Inputs, its value, then backward()
 * and the gradients of both inputs, compared with the reference solution's.
 *
 * The grader differentiates the graph the student's mse builds with the reference's operations and
 * backward pass; this test uses the student's own, so a mistake in Q1(a) or Q1(b) can make it fail
 * too. The test says so.
 */
import { mse } from '@assignment-11/reference/src/losses.js';
import { Input } from '@assignment-11/reference/src/tensor.js';
import type { WireArray } from '../../../../shared/protocol.js';
import type { LocalReplay } from '../../../../trusted/result.js';
import { perCase } from '../expected-cache.js';
import { arrayOfWire, assertClose, localReplay, replayOrNone, withTensorArgument } from './source-text.js';

/** One case of the mse check. */
export interface MseReplayCase {
  prediction: WireArray;
  target: WireArray;
}

const replayOf = perCase((c: MseReplayCase) => replayOrNone(() => makeReplay(c)));

/** The replay of an mse case (made once per case), if one can be written. */
export function mseReplay(c: MseReplayCase): LocalReplay | undefined {
  return replayOf(c);
}

function makeReplay(c: MseReplayCase): LocalReplay {
  const prediction = new Input(arrayOfWire(c.prediction));
  const target = new Input(arrayOfWire(c.target));
  const loss = mse(prediction, target);
  loss.backward();
  const gradientChecks = (['prediction', 'target'] as const).flatMap((name) => {
    const grad = (name === 'prediction' ? prediction : target).grad!;
    return [`expect(${name}.grad, '${name}.grad').not.toBeNull();`, assertClose(`${name}.grad!`, grad, `${name}.grad`)];
  });
  return localReplay('test/replay-q1c-mse.test.ts', {
    framework: ['Input', 'NDArray', 'mse'],
    name: 'Q1c mse: the failing case of the hidden check',
    about: [
      "The case on which the grader's hidden check of mse failed, built with your code. The expected",
      "values are the reference solution's, compared within the grader's tolerance (gradientTolerance).",
      "The grader differentiated the graph your mse builds with the reference's operations; this test",
      'uses your Tensor.backward and your ops too, so a mistake in Q1(a) or Q1(b) can also make it fail.',
    ],
    build: [
      withTensorArgument('const prediction = new Input(', prediction.value, ');'),
      withTensorArgument('const target = new Input(', target.value, ');'),
      'const loss = mse(prediction, target);',
    ],
    check: [assertClose('loss.value', loss.value, 'loss.value'), 'loss.backward();', ...gradientChecks],
  });
}
