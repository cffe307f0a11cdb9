/**
 * An unknown option on the command line, and the option that was probably meant: `--fresj` gets
 * "did you mean --fresh?" (the closest name by edit distance, or the only option the typed name
 * begins), instead of Node's own message about positional arguments.
 */
import { closestName } from '../trusted/closest-name.js';

/** The options as node:util's parseArgs takes them (only what is needed here). */
export type OptionTable = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** The first option in `argv` that `options` does not have, as written (without any "=value"); null when there is none. */
export function unknownOption(argv: readonly string[], options: OptionTable): string | null {
  const shorts = new Map(Object.entries(options).flatMap(([name, option]) => (option.short ? [[option.short, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return null;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0];
      if (!Object.hasOwn(options, name)) return `--${name}`;
      // The value of "--out DIR" is not an option, whatever it starts with.
      if (options[name].type === 'string' && !arg.includes('=')) i++;
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (const letter of arg.slice(1)) if (!shorts.has(letter)) return `-${letter}`;
    }
  }
  return null;
}

/** The option meant by `typed` (e.g. "--fresj"), or undefined when none is close. */
export function suggestedOption(typed: string, options: OptionTable): string | undefined {
  const name = typed.replace(/^-+/, '');
  const names = Object.keys(options);
  const closest = closestName(name, names);
  if (closest !== undefined) return `--${closest}`;
  const starting = name.length >= 2 ? names.filter((option) => option.startsWith(name)) : [];
  return starting.length === 1 ? `--${starting[0]}` : undefined;
}

/** "unknown option --fresj; did you mean --fresh?" for the first unknown option in `argv`, or null when every option is known. */
export function unknownOptionMessage(argv: readonly string[], options: OptionTable): string | null {
  const typed = unknownOption(argv, options);
  if (typed === null) return null;
  const meant = suggestedOption(typed, options);
  return `unknown option ${typed}${meant === undefined ? '' : `; did you mean ${meant}?`}`;
}
