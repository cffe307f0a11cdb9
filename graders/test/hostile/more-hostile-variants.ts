/**
 * More hostile submissions: output floods, disk fills, native addons and the inspector, and
 * gradients that change when read. Each attacks from Add's backward rule, as in hostile-variants.ts.
 */
import type { Variant } from '../../../tools/submissions/variants.js';

function inAdd(id: string, mistake: string, attack: string, imports = '', answer = 'return [upstream, upstream];'): Variant {
  return {
    id,
    mistake,
    patches: [
      {
        file: 'src/ops.ts',
        find: 'return [sumToShape(upstream, this.a.shape), sumToShape(upstream, this.b.shape)];',
        replace: `${attack}\n    ${answer}`,
      },
      ...(imports
        ? [
            {
              file: 'src/ops.ts',
              find: "import { Tensor } from './tensor.js';",
              replace: `import { Tensor } from './tensor.js';\n${imports}`,
            },
          ]
        : []),
    ],
    expectedPoints: { 'Q1b.Add': 0, Q1d: 0 },
  };
}

export const MORE_HOSTILE_VARIANTS: Variant[] = [
  inAdd(
    'output-flood',
    'prints 64 MiB per call, from a rule the regression calls 200 times',
    `const line = 'x'.repeat(1 << 20); for (let i = 0; i < 64; i++) process.stdout.write(line);`,
  ),
  inAdd(
    'fills-the-disk',
    'writes a large file next to itself and in /tmp (at most 256 MiB each)',
    `for (const path of ['./fill.bin', '/tmp/grade-fill.bin']) { try { writeFileSync(path, Buffer.alloc(256 << 20)); } catch (error) { console.log(String(error)); } }`,
    "import { writeFileSync } from 'node:fs';",
  ),
  inAdd(
    'native-and-inspector',
    'loads a native addon and opens the inspector',
    `try { process.dlopen({ exports: {} } as never, '/usr/lib/x86_64-linux-gnu/libc.so.6'); } catch (error) { console.log(String(error)); }
    try { inspector.open(0); } catch (error) { console.log(String(error)); }`,
    "import inspector from 'node:inspector';",
  ),
  inAdd(
    'shape-shifting-gradients',
    'returns gradients whose contents change each time they are read (getters and a proxy)',
    `let reads = 0;
    const shifty = new Proxy(upstream, { get: (target, key) => (key === 'data' ? (reads++ % 2 ? target.data : new Float64Array(target.size)) : Reflect.get(target, key)) });`,
    '',
    'return [shifty as NDArray, Object.defineProperty(upstream.map((x) => x), "data", { get: () => new Float64Array(upstream.size).map(() => Math.random()) })];',
  ),
];
