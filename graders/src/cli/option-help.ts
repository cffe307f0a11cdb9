/**
 * The "Options:" section of a `--help`, rendered from an option table (option-table.ts): each
 * option's label, then its description, default and note, wrapped to the width of a terminal;
 * the values an option accepts are listed below it.
 */
import { defaultOf, descriptionOf, optionLabel, optionsOf, type OptionSpec, type OptionTable } from './option-table.js';

/** The column a line of the help is wrapped before. */
export const HELP_WIDTH = 100;
/** Where the descriptions start: after two spaces and the label (a longer label has its description on the next line). */
const DESCRIPTION_COLUMN = 19;
/** Where a choice's name starts, and its description. */
const CHOICE_COLUMN = 21;
const CHOICE_DESCRIPTION_COLUMN = 33;

/** `text` in lines of at most `width` characters (a longer word stays whole), each after `indent` spaces, the first after `first`. */
export function wrapped(text: string, indent: number, first = ' '.repeat(indent), width = HELP_WIDTH): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = ' '.repeat(indent);
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** What the help says of an option: its description, "(default: ...)", and its note after a semicolon. */
export function optionSentence(option: OptionSpec, example: string): string {
  const fallback = defaultOf(option);
  const withDefault = `${descriptionOf(option, example)}${fallback === undefined ? '' : ` (default: ${fallback})`}`;
  return option.note === undefined ? withDefault : `${withDefault}; ${option.note}`;
}

/** The help's lines for one option, with the values it accepts below it. */
function optionLines(name: string, option: OptionSpec, example: string): string[] {
  const label = `  ${optionLabel(name, option)}`;
  const sentence = optionSentence(option, example);
  const lines =
    label.length < DESCRIPTION_COLUMN
      ? wrapped(sentence, DESCRIPTION_COLUMN, label.padEnd(DESCRIPTION_COLUMN))
      : [label, ...wrapped(sentence, DESCRIPTION_COLUMN)];
  if (option.choices !== undefined) {
    lines[lines.length - 1] += ':';
    for (const [value, meaning] of Object.entries(option.choices)) {
      const start = `${' '.repeat(CHOICE_COLUMN)}${value}`.padEnd(CHOICE_DESCRIPTION_COLUMN - 1);
      lines.push(...wrapped(meaning, CHOICE_DESCRIPTION_COLUMN, `${start} `));
    }
  }
  return lines;
}

/** The "Options:" lines of every option in `table`, in its order; `example` is a part id for the descriptions that show one. */
export function optionHelp(table: OptionTable, example: string): string[] {
  return Object.entries(table).flatMap(([name, option]) => optionLines(name, option, example));
}

/** `[--out DIR] [--json] ...`: a usage line's options, every option of `command` but `except`. */
export function usageOptions(table: OptionTable, command: string, except: readonly string[] = ['help']): string {
  return optionsOf(table, command)
    .filter(([name]) => !except.includes(name))
    .map(([name, option]) => `[--${name}${option.value === undefined ? '' : ` ${option.value}`}]`)
    .join(' ');
}
