/**
 * The lint's boundary and cycle rules (eslint.config.js) fire: each probe is a module that breaks
 * one rule, linted with the project's ESLint configuration as if it sat at its path in the tree
 * (its text is given, so the tree is never touched), beside a control probe at the same path that
 * keeps the rule and lints clean. `npm run lint` itself runs in `npm test` before vitest.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-grade.js';

interface Probe {
  rule: string;
  /** Where the probe pretends to be. */
  path: string;
  /** A module that breaks the rule there. */
  breaks: string;
  /** The same module, keeping the rule. */
  keeps: string;
}

const PROBES: Probe[] = [
  {
    rule: 'the harness imports no assignment',
    path: 'graders/src/trusted/probe.ts',
    breaks: "import { assignment } from '../assignments/assignment-11/index.js';\nexport const probe = assignment;\n",
    keeps: "import { cutText } from './cut-text.js';\nexport const probe = cutText;\n",
  },
  {
    rule: 'the reports import no checks',
    path: 'graders/src/trusted/reports/probe.ts',
    breaks: "import { checkResult } from '../checks/property.js';\nexport const probe = checkResult;\n",
    keeps: "import { formatPoints } from './format-points.js';\nexport const probe = formatPoints;\n",
  },
  {
    rule: "the child's code imports nothing trusted",
    path: 'graders/src/untrusted/probe.ts',
    breaks: "import { cutText } from '../trusted/cut-text.js';\nexport const probe = cutText;\n",
    keeps: "import type { OracleRequest } from '../shared/protocol.js';\nexport type Probe = OracleRequest;\n",
  },
  {
    rule: "an assignment's child code imports nothing trusted",
    path: 'graders/src/assignments/assignment-11/untrusted/probe.ts',
    breaks: "import { seededRandom } from '../../../trusted/checks/seeded-random.js';\nexport const probe = seededRandom;\n",
    keeps: "import type { OracleRequest } from '../../../shared/protocol.js';\nexport type Probe = OracleRequest;\n",
  },
  {
    rule: 'no import cycle',
    // cut-text.ts as it would be if it imported a report that imports it.
    path: 'graders/src/trusted/cut-text.ts',
    breaks: "import { renderJunitReport } from './reports/junit-report.js';\nexport const cutText = renderJunitReport;\n",
    keeps: 'export const cutText = (text: string): string => text;\n',
  },
];

/** One ESLint for every probe: it reads eslint.config.js and the tsconfig once. */
const eslint = new ESLint({ cwd: ROOT });

/** The rules `source` breaks at `path`, with their messages. */
async function lint(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path });
  return result.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('the lint', () => {
  for (const probe of PROBES) {
    it(`fails when ${probe.rule} is broken, and passes when it is kept`, async () => {
      const broken = await lint(probe.path, probe.breaks);
      const rule = probe.rule === 'no import cycle' ? 'import-x/no-cycle' : 'import-x/no-restricted-paths';
      expect(broken).toEqual([expect.stringMatching(new RegExp(`^${rule}: `))]);
      expect(await lint(probe.path, probe.keeps)).toEqual([]);
    });
  }
});
