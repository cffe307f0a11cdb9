/**
 * A command line's options as one table: each option's type, short form, default, value name,
 * description and the commands that take it. node:util's parseArgs gets its options from the
 * table (`parseArgsOptions`), `--help` and docs/cli.md get their text from it (option-help.ts,
 * option-reference.ts), and an unknown option is matched against it (option-suggestion.ts), so
 * none of them can list an option the others lack.
 */
import type { ParseArgsConfig } from 'node:util';

/** The options as node:util's parseArgs takes them. */
type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** One option of a table whose commands are `C`. */
export interface OptionSpec<C extends string = string> {
  /** A string takes a value (`--out DIR`); a boolean is a flag (`--force`), false unless given. */
  type: 'string' | 'boolean';
  /** The one-letter form: "h" for `-h`. */
  short?: string;
  /** A string option that may be given more than once; every value is kept, in order. */
  multiple?: boolean;
  /** The value a string option has when it is not given; without one it is undefined. */
  default?: string;
  /** The name of a string option's value in the help: DIR in `--out DIR`. */
  value?: string;
  /** The default in words, for the help, when it is not `default` as it is (e.g. "the rubric's"). */
  defaultText?: string;
  /** What the option does, in a few words; `example` is a part id of the assignment, for an option that takes one. */
  description: string | ((example: string) => string);
  /** More about the option, shown after its default. */
  note?: string;
  /** The values the option accepts, each with what it means (for the help and the reference). */
  choices?: Readonly<Record<string, string>>;
  /** The commands that take the option. */
  commands: readonly C[];
}

/** The options of a program by long name (without the leading `--`), in the order the help lists them. */
export type OptionTable<C extends string = string> = Readonly<Record<string, OptionSpec<C>>>;

/** The value parseArgs gives an option. */
type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S extends { multiple: true }
    ? string[] | undefined
    : S extends { default: string }
      ? string
      : string | undefined;

/** The commands of a table. */
export type CommandsOf<T extends OptionTable> = T[keyof T]['commands'][number];

/** The values parseArgs gives `command`, typed from the table: `values.out` is a string, `values.force` a boolean. */
export type OptionValues<T extends OptionTable, C extends string> = {
  [K in keyof T as C extends T[K]['commands'][number] ? K : never]: ValueOf<T[K]>;
};

/** The entries of `table` that `command` takes, in the table's order. */
export function optionsOf(table: OptionTable, command: string): [string, OptionSpec][] {
  return Object.entries(table).filter(([, option]) => option.commands.includes(command));
}

/** What node:util's parseArgs needs to parse `command`'s options: type, short form, multiple, default (false for a flag). */
export function parseArgsOptions(table: OptionTable, command: string): ParseArgsOptionsConfig {
  const config: ParseArgsOptionsConfig = {};
  for (const [name, option] of optionsOf(table, command)) {
    config[name] = {
      type: option.type,
      ...(option.short === undefined ? {} : { short: option.short }),
      ...(option.multiple ? { multiple: true } : {}),
      ...(option.type === 'boolean' ? { default: false } : option.default === undefined ? {} : { default: option.default }),
    };
  }
  return config;
}

/** How an option is written in the help: "--out DIR", "-h, --help". */
export function optionLabel(name: string, option: OptionSpec): string {
  const long = `--${name}${option.value === undefined ? '' : ` ${option.value}`}`;
  return option.short === undefined ? long : `-${option.short}, ${long}`;
}

/** The default as the help says it, or undefined when there is none to say (a flag, a string without one). */
export function defaultOf(option: OptionSpec): string | undefined {
  return option.defaultText ?? option.default;
}

/** The description with the example part filled in. */
export function descriptionOf(option: OptionSpec, example: string): string {
  return typeof option.description === 'function' ? option.description(example) : option.description;
}
