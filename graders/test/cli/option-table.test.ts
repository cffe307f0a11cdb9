/**
 * One table of options (graders/src/cli/grade-options.ts) makes `grade`'s parser and its `--help`:
 * the real `grade --help` shows every option of the table with its description, default and
 * values; the parser takes each option for the commands the table names and refuses any other,
 * with "did you mean" from the same table; an option added to a table appears in the parser, the
 * help and the reference at once. The same holds for `grade:pr` (pr-options.ts).
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/command-line.js';
import { DEFAULT_ASSIGNMENT } from '../../src/cli/default-assignment.js';
import { exampleParts, gradeHelp } from '../../src/cli/grade-help.js';
import { GRADE_OPTIONS } from '../../src/cli/grade-options.js';
import { HELP_WIDTH, optionHelp, optionSentence } from '../../src/cli/option-help.js';
import { optionReference } from '../../src/cli/option-reference.js';
import { optionLabel, type OptionSpec, type OptionTable } from '../../src/cli/option-table.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { PR_OPTIONS, prHelp } from '../../src/integrations/pr-options.js';
import { loadAssignment } from '../../src/trusted/load-assignment.js';
import { ROOT } from './run-grade.js';

const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');
const squeezed = (text: string): string => text.replace(/\s+/g, ' ').trim();
const grade = (args: string[]) =>
  execa(process.execPath, [GRADE, ...args], { cwd: ROOT, reject: false, stripFinalNewline: false, env: { NO_COLOR: '1' } });

/** The UsageError `run` throws (fails when it throws none or another error). */
function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}

/** A command line that gives `name` a value fitting its type. */
const given = (name: string, option: OptionSpec): string[] => (option.type === 'string' ? [`--${name}`, 'x'] : [`--${name}`]);

describe('grade --help', () => {
  let help = '';
  let example = '';

  beforeAll(async () => {
    const run = await grade(['--help']);
    expect(run.exitCode, run.stderr).toBe(0);
    help = run.stdout;
    [example] = exampleParts(await loadAssignment(DEFAULT_ASSIGNMENT));
  });

  it('shows every option of the table with its description, default, note and values', () => {
    const text = squeezed(help);
    for (const [name, option] of Object.entries(GRADE_OPTIONS) as [string, OptionSpec][]) {
      expect(help, name).toContain(`  ${optionLabel(name, option)} `.trimEnd());
      expect(text, name).toContain(squeezed(optionSentence(option, example)));
      for (const [value, meaning] of Object.entries(option.choices ?? {})) {
        expect(text, `${name} ${value}`).toContain(squeezed(`${value} ${meaning}`));
      }
    }
  });

  it('is rendered from the table, as grade merge --help is, within the width of a terminal', async () => {
    expect(help).toBe(gradeHelp(await loadAssignment(DEFAULT_ASSIGNMENT)));
    expect(help).toContain(optionHelp(GRADE_OPTIONS, example).join('\n'));
    const merge = await grade(['merge', '--help']);
    expect(merge.stdout).toBe(help);
    for (const line of help.split('\n')) expect(line.length, line).toBeLessThanOrEqual(HELP_WIDTH);
  });

  it('lists in the usage of grade merge exactly the options the table gives it', () => {
    const usage = squeezed(help.slice(help.indexOf('grade merge'), help.indexOf('<shard output folder>')));
    const taken = Object.entries(GRADE_OPTIONS).filter(([, option]) => (option.commands as readonly string[]).includes('grade merge'));
    const shown = [...usage.matchAll(/\[--([a-z-]+)/g)].map((match) => match[1]);
    expect(shown).toEqual(taken.map(([name]) => name).filter((name) => name !== 'help'));
  });
});

describe('the parser built from the table', () => {
  it('takes each option for the commands the table names, and refuses it for the others', () => {
    for (const [name, option] of Object.entries(GRADE_OPTIONS) as [string, OptionSpec][]) {
      for (const command of ['grade', 'grade merge'] as const) {
        const parse = () => parseCommandLine(GRADE_OPTIONS, command, given(name, option));
        const refusal = `unknown option --${name} (an option of grade, not of ${command})`;
        if (option.commands.includes(command)) expect(parse, `${command} --${name}`).not.toThrow();
        else expect(usageError(parse).message, `${command} --${name}`).toBe(refusal);
      }
    }
  });

  it('gives the defaults of the table, false for a flag, and every value of a repeated option', () => {
    const { values } = parseCommandLine(GRADE_OPTIONS, 'grade', ['--only', 'Q1a', '--only', 'Q3.k1', '--force']);
    expect(values).toMatchObject({ out: 'reports', manual: 'manual-grades.csv', only: ['Q1a', 'Q3.k1'], force: true, fresh: false });
    expect(values.seed).toBeUndefined();
  });

  it('refuses an option that is not in the table with E_USAGE_UNKNOWN_OPTION and the option meant', () => {
    expect(Object.hasOwn(GRADE_OPTIONS, 'colour')).toBe(false);
    const unknown = usageError(() => parseCommandLine(GRADE_OPTIONS, 'grade', ['--colour', 'submissions/complete']));
    expect([unknown.code, unknown.message]).toEqual(['E_USAGE_UNKNOWN_OPTION', 'unknown option --colour']);
    const typo = usageError(() => parseCommandLine(GRADE_OPTIONS, 'grade', ['--seeed', '3']));
    expect(typo.message).toBe('unknown option --seeed; did you mean --seed?');
    const missing = usageError(() => parseCommandLine(GRADE_OPTIONS, 'grade', ['--out']));
    expect(missing.code).toBe('E_USAGE_OPTION_VALUE');
  });

  it('takes, shows and documents an option added to the table', () => {
    const description = 'when to colour the output';
    const colour: OptionSpec = { type: 'string', value: 'WHEN', default: 'auto', description, commands: ['grade'] };
    const table: OptionTable = { ...GRADE_OPTIONS, colour };
    expect(parseCommandLine(table, 'grade', ['--colour', 'never']).values).toMatchObject({ colour: 'never' });
    expect(parseCommandLine(table, 'grade', []).values).toMatchObject({ colour: 'auto' });
    expect(optionHelp(table, 'Q1a')).toContain('  --colour WHEN    when to colour the output (default: auto)');
    expect(optionReference(table, 'Q1a')).toContain('| `--colour WHEN` | `grade` | `auto` | when to colour the output |');
    expect(usageError(() => parseCommandLine(GRADE_OPTIONS, 'grade', ['--colour', 'never'])).code).toBe('E_USAGE_UNKNOWN_OPTION');
  });
});

describe('grade:pr', () => {
  it('shows every option of its table in its help, and parses exactly those', () => {
    const help = squeezed(prHelp());
    for (const [name, option] of Object.entries(PR_OPTIONS) as [string, OptionSpec][]) {
      expect(help, name).toContain(squeezed(`${optionLabel(name, option)} ${optionSentence(option, 'PART')}`));
      expect(() => parseCommandLine(PR_OPTIONS, 'grade:pr', given(name, option), { positionals: false })).not.toThrow();
    }
    const unknown = usageError(() => parseCommandLine(PR_OPTIONS, 'grade:pr', ['--bsae', 'main'], { positionals: false }));
    expect(unknown.message).toBe('unknown option --bsae; did you mean --base?');
    const argument = usageError(() => parseCommandLine(PR_OPTIONS, 'grade:pr', ['main'], { positionals: false }));
    expect(argument.code).toBe('E_USAGE_UNEXPECTED_ARGUMENT');
  });
});
