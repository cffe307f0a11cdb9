/**
 * The options of a command line as Markdown, for docs/cli.md: a table of every option (label, the
 * commands that take it, default, description), then a table of the values of each option that
 * has a fixed set. Rendered from the option table the parser and `--help` come from
 * (option-table.ts), so the reference cannot list an option the command does not take.
 */
import { descriptionOf, optionLabel, type OptionSpec, type OptionTable } from './option-table.js';

/** Text in a Markdown table cell: no pipe ends the cell, no `<id>` is read as HTML. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The default as the reference shows it: a value in code, a default in words as it is, a dash for none. */
function defaultCell(option: OptionSpec): string {
  if (option.defaultText !== undefined) return cell(option.defaultText);
  return option.default === undefined ? '–' : `\`${option.default}\``;
}

/** What the option does, with its note. */
function descriptionCell(option: OptionSpec, example: string): string {
  const description = descriptionOf(option, example);
  return cell(option.note === undefined ? description : `${description}; ${option.note}`);
}

/** The Markdown reference of `table`; `example` is the part id shown by descriptions that show one. */
export function optionReference(table: OptionTable, example: string): string {
  const lines = ['| Option | Taken by | Default | What it does |', '| --- | --- | --- | --- |'];
  for (const [name, option] of Object.entries(table)) {
    const commands = option.commands.map((command) => `\`${command}\``).join(', ');
    lines.push(`| \`${optionLabel(name, option)}\` | ${commands} | ${defaultCell(option)} | ${descriptionCell(option, example)} |`);
  }
  for (const [name, option] of Object.entries(table)) {
    if (option.choices === undefined) continue;
    lines.push('', `\`--${name}\` takes:`, '', '| Value | What it means |', '| --- | --- |');
    for (const [value, meaning] of Object.entries(option.choices)) lines.push(`| \`${value}\` | ${cell(meaning)} |`);
  }
  return `${lines.join('\n')}\n`;
}
