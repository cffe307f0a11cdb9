/**
 * `npm run demos`: writes the demo submissions of submissions/ from the reference and the demo
 * variants; `--check` fails when submissions/ is out of date.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { variantFiles, writeSubmission } from './make-submission.js';
import { DEMO_VARIANTS } from './variants.js';

const SUBMISSIONS = fileURLToPath(new URL('../../submissions', import.meta.url));

if (process.argv.includes('--check')) {
  const stale: string[] = [];
  for (const variant of DEMO_VARIANTS) {
    for (const [file, text] of variantFiles(variant)) {
      const path = join(SUBMISSIONS, variant.id, file);
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(`submissions/${variant.id}/${file}`);
    }
  }
  const known = new Set(DEMO_VARIANTS.map((v) => v.id));
  const extra = readdirSync(SUBMISSIONS, { withFileTypes: true }).filter((e) => e.isDirectory() && !known.has(e.name));
  if (stale.length > 0) {
    process.stderr.write(`demo submissions out of date:\n${stale.map((s) => `  ${s}`).join('\n')}\nrun \`npm run demos\`\n`);
    process.exit(1);
  }
  process.stdout.write(`demo submissions up to date (${DEMO_VARIANTS.length}${extra.length ? `, plus ${extra.length} hand-made` : ''})\n`);
} else {
  for (const variant of DEMO_VARIANTS) writeSubmission(variant, join(SUBMISSIONS, variant.id));
  process.stdout.write(`wrote ${DEMO_VARIANTS.length} demo submissions to submissions/\n`);
}
