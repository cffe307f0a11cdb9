/**
 * Q2's failing cases as the student runs them: their Conv2d on an image V and a kernel K with the
 * case's stride, its value and the one gradient the check is about (kernelGradient or
 * imageGradient of the upstream gradient), compared with the reference solution's.
 */
import { Conv2d } from '@assignment-11/reference/src/conv.js';
import { Input } from '@assignment-11/reference/src/tensor.js';
import type { WireArray } from '../../../../shared/protocol.js';
import type { LocalReplay } from '../../../../trusted/result.js';
import { perCase } from '../expected-cache.js';
import { arrayOfWire, assertClose, localReplay, numberSource, replayOrNone, withArray, withTensorArgument } from './source-text.js';

/** One case of a Q2 check. */
export interface ConvReplayCase {
  image: WireArray;
  kernel: WireArray;
  upstream: WireArray;
  stride: number;
}

const replayOf = {
  kernel: perCase((c: ConvReplayCase) => replayOrNone(() => makeReplay(c, 'kernel'))),
  image: perCase((c: ConvReplayCase) => replayOrNone(() => makeReplay(c, 'image'))),
};

/** The replay of a Q2 case for one of the two gradients (made once per case and gradient), if one can be written. */
export function convReplay(c: ConvReplayCase, which: 'kernel' | 'image'): LocalReplay | undefined {
  return replayOf[which](c);
}

function makeReplay(c: ConvReplayCase, which: 'kernel' | 'image'): LocalReplay {
  const image = arrayOfWire(c.image);
  const kernel = arrayOfWire(c.kernel);
  const upstream = arrayOfWire(c.upstream);
  const reference = new Conv2d(new Input(image), new Input(kernel), c.stride);
  const method = which === 'kernel' ? 'kernelGradient' : 'imageGradient';
  const gradient = which === 'kernel' ? 'dK' : 'dV';
  const expected = which === 'kernel' ? reference.kernelGradient(upstream) : reference.imageGradient(upstream);
  return localReplay(`test/replay-q2-${which}-gradient-stride-${c.stride}.test.ts`, {
    framework: ['Conv2d', 'Input', 'NDArray'],
    name: `Q2 Conv2d.${method}, stride ${c.stride}: the failing case of the hidden check`,
    about: [
      `The case on which the grader's hidden check of Conv2d.${method} (stride ${c.stride}) failed, built`,
      "with your conv.ts. The expected values are the reference solution's, compared within the grader's",
      `tolerance (gradientTolerance): the test fails until your ${method} gives them.`,
    ],
    build: [
      withTensorArgument('const V = new Input(', image, ');'),
      withTensorArgument('const K = new Input(', kernel, ');'),
      `const conv = new Conv2d(V, K, ${numberSource(c.stride)});`,
      withArray('const upstream = ', upstream, ';'),
      `const ${gradient} = conv.${method}(upstream);`,
    ],
    check: [
      assertClose('conv.value', reference.value, 'conv.value'),
      assertClose(gradient, expected, `dL/d${which === 'kernel' ? 'K' : 'V'}`),
    ],
  });
}
