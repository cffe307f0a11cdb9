/**
 * Parses a command line with node:util's parseArgs, configured from the command's option table
 * (option-table.ts), so the parser takes exactly the options the help lists. What parseArgs
 * refuses becomes a UsageError with a stable code; an unknown option gets "did you mean".
 */
import { parseArgs } from 'node:util';
import { parseArgsOptions, type CommandsOf, type OptionTable, type OptionValues } from './option-table.js';
import { unknownOptionMessage } from './option-suggestion.js';
import { UsageError } from './usage-error.js';

export interface CommandLine<T extends OptionTable, C extends CommandsOf<T>> {
  values: OptionValues<T, C>;
  positionals: string[];
}

/**
 * The options and arguments of `command` in `argv`; throws UsageError E_USAGE_UNKNOWN_OPTION for
 * an option the command does not take, E_USAGE_OPTION_VALUE for a value that is missing or given
 * to a flag, E_USAGE_UNEXPECTED_ARGUMENT for an argument a command without arguments is given.
 */
export function parseCommandLine<T extends OptionTable, C extends CommandsOf<T>>(
  table: T,
  command: C,
  argv: string[],
  { positionals = true }: { positionals?: boolean } = {},
): CommandLine<T, C> {
  try {
    const parsed = parseArgs({ args: argv, allowPositionals: positionals, strict: true, options: parseArgsOptions(table, command) });
    // The options are the table's, so the values have the types the table gives them.
    return { values: parsed.values as OptionValues<T, C>, positionals: parsed.positionals };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw error;
    const unknown = unknownOptionMessage(argv, table, command);
    if (unknown !== null) throw new UsageError('E_USAGE_UNKNOWN_OPTION', unknown);
    const message = (error as Error).message;
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError('E_USAGE_UNEXPECTED_ARGUMENT', message);
    throw new UsageError('E_USAGE_OPTION_VALUE', message);
  }
}
