/**
 * Text from a submission (its folder name, an error about it, what it printed) as the command line
 * prints it: control characters are shown as `\uXXXX` escapes, so that it can neither move the
 * cursor, clear the screen, hide text or set the clipboard (ANSI and OSC escape sequences), nor
 * start a line of its own (where a CI runner would read `::command::` from it).
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

const escaped = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` on one line: every control character, line breaks included, escaped. */
export function printable(text: string): string {
  return text.replace(CONTROLS, escaped);
}

/**
 * `text` as lines: tabs and line feeds kept (a CRLF becomes a line feed), every other control
 * character escaped, a carriage return too (it would let a line overwrite the one shown). For
 * blocks of foreign text that is printed as it is, such as a submission's output.
 */
export function printableLines(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROLS_BUT_LINES, escaped);
}
