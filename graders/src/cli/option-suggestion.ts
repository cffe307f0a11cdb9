/**
 * An unknown option on the command line, and the option that was probably meant: `--fresj` gets
 * "did you mean --fresh?" (the closest name by edit distance, or the only option the typed name
 * begins), instead of Node's own message about positional arguments. The names come from the
 * option table the parser is built from (option-table.ts); an option of another command of the
 * same program (`grade merge --seed`) is named as such.
 */
import { closestName } from '../trusted/closest-name.js';
import { optionsOf, type OptionTable } from './option-table.js';

/** The first option in `argv` that `command` does not take, as written (without any "=value"); null when there is none. */
export function unknownOption(argv: readonly string[], table: OptionTable, command: string): string | null {
  const options = new Map(optionsOf(table, command));
  const shorts = new Set([...options.values()].flatMap((option) => (option.short ? [option.short] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return null;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0];
      const option = options.get(name);
      if (option === undefined) return `--${name}`;
      // The value of "--out DIR" is not an option, whatever it starts with.
      if (option.type === 'string' && !arg.includes('=')) i++;
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (const letter of arg.slice(1)) if (!shorts.has(letter)) return `-${letter}`;
    }
  }
  return null;
}

/** The option of `command` meant by `typed` (e.g. "--fresj"), or undefined when none is close. */
export function suggestedOption(typed: string, table: OptionTable, command: string): string | undefined {
  const name = typed.replace(/^-+/, '');
  const names = optionsOf(table, command).map(([option]) => option);
  const closest = closestName(name, names);
  if (closest !== undefined) return `--${closest}`;
  const starting = name.length >= 2 ? names.filter((option) => option.startsWith(name)) : [];
  return starting.length === 1 ? `--${starting[0]}` : undefined;
}

/**
 * "unknown option --fresj; did you mean --fresh?" for the first option in `argv` that `command`
 * does not take, "unknown option --seed (an option of grade, not of grade merge)" for one another
 * command takes; null when `command` takes every option given.
 */
export function unknownOptionMessage(argv: readonly string[], table: OptionTable, command: string): string | null {
  const typed = unknownOption(argv, table, command);
  if (typed === null) return null;
  const name = typed.startsWith('--') ? typed.slice(2) : '';
  if (Object.hasOwn(table, name)) return `unknown option ${typed} (an option of ${table[name].commands.join(' and ')}, not of ${command})`;
  const meant = suggestedOption(typed, table, command);
  return `unknown option ${typed}${meant === undefined ? '' : `; did you mean ${meant}?`}`;
}
