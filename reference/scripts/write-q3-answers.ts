/**
 * Writes answers/q3.json, the results of Q3, computed with the framework's own correlate2d.
 * Run from the reference package: `tsx scripts/write-q3-answers.ts`.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { NDArray, correlate2d } from '../src/index.js';
import { Q3_IMAGE, Q3_KERNELS } from '../src/q3-image.js';

const answersFile = new URL('../answers/q3.json', import.meta.url);

function convolve(name: keyof typeof Q3_KERNELS): number[][] {
  const { kernel, stride } = Q3_KERNELS[name];
  return correlate2d(NDArray.from(Q3_IMAGE), NDArray.from(kernel), stride).toNested() as number[][];
}

/** JSON with one matrix row per line, so that the file reads like the matrices. */
function formatAnswers(answers: Record<string, number[][]>): string {
  const entries = Object.entries(answers).map(([name, rows]) => {
    const lines = rows.map((row) => `    [${row.join(', ')}]`).join(',\n');
    return `  "${name}": [\n${lines}\n  ]`;
  });
  return `{\n${entries.join(',\n')}\n}\n`;
}

const text = formatAnswers({ k1: convolve('k1'), k2: convolve('k2') });
JSON.parse(text); // fail here rather than write a file that is not JSON
await writeFile(answersFile, text);
process.stdout.write(text);
console.log(`written to ${fileURLToPath(answersFile)}`);
