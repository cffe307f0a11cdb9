/**
 * Text from a submission (its folder name, an error about it) as the command line prints it:
 * control characters and line separators are shown as escapes, so a name can neither move the
 * cursor nor start a line of its own (where a CI runner would read `::command::` from it).
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
