/**
 * GitHub Actions workflow commands, written so that no text from a submission can ever issue one.
 *
 * The runner reads a command from any line of a step's output that starts with `::name ...::`
 * (after leading spaces) and, in its older syntax, from `##[name]` anywhere in a line. So:
 * - our own commands escape their data (`%`, CR, LF) and their properties (also `:` and `,`), as
 *   the runner's parser expects, so a value can neither end the command nor start another line;
 *   other control characters (a terminal's escape sequences, which the log would draw as colours)
 *   are shown as `\uXXXX`, so an annotation built from a student's text is plain, inert text;
 * - any other text that may come from a submission (its output, its folder name, the grader's log
 *   about it) is printed only between `::stop-commands::<token>` and `::<token>::`, with a fresh
 *   random token that does not occur in the text: the runner ignores every command in between,
 *   and the submission cannot end the block early without knowing the token.
 */
import { randomBytes } from 'node:crypto';

/** A command's data (the text after the second `::`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property's value (`file=...`, `title=...`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Control characters other than tabs and line breaks, and Unicode's line separators, as `\uXXXX` escapes. */
export function visibleControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g;
  return text.replace(controls, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One command line, e.g. `::error file=a.ts,line=3,title=PART::message`. */
export function workflowCommand(name: string, properties: Record<string, string | number | undefined>, data: string): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(visibleControls(String(value)))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(visibleControls(data))}`;
}

/**
 * `text` between a stop-commands line and its resume line, ready to print (ends with a newline).
 * The token is 128 random bits, drawn again in the (astronomically unlikely) case that it occurs
 * in the text.
 */
export function withoutCommands(text: string): string {
  let token: string;
  do token = randomBytes(16).toString('hex');
  while (text.includes(token));
  const body = text.endsWith('\n') || text === '' ? text : `${text}\n`;
  return `::stop-commands::${token}\n${body}::${token}::\n`;
}
