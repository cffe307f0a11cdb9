/**
 * How the programs that read the reports would read them, for the hostile tests: the GitHub
 * Actions runner (workflow commands in a step's output), GitHub's Markdown (what it links by
 * itself) and a spreadsheet (its cells, with `,` or `;` between them).
 */
import { spawnSync } from 'node:child_process';

export interface RunnerCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
}

const unescapeData = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (text: string) => unescapeData(text.replace(/%3A/g, ':').replace(/%2C/g, ','));
const REGISTERED = [
  ...['error', 'warning', 'notice', 'debug', 'group', 'endgroup', 'add-mask', 'set-output'],
  ...['save-state', 'set-env', 'add-path', 'echo', 'add-matcher', 'remove-matcher', 'stop-commands'],
];

/**
 * The commands the GitHub Actions runner would act on in `output`, following its parser: `::name
 * props::data` at the start of a line (after spaces), or `##[name props]data` anywhere in a line;
 * nothing between `::stop-commands::TOKEN` and `::TOKEN::`.
 */
export function runnerCommands(output: string): RunnerCommand[] {
  const commands: RunnerCommand[] = [];
  let stopToken: string | null = null;
  for (const line of output.split('\n')) {
    let parsed: RunnerCommand | null = null;
    const trimmed = line.trimStart();
    const end = trimmed.startsWith('::') ? trimmed.indexOf('::', 2) : -1;
    if (end > 0) {
      const info = trimmed.slice(2, end);
      const space = info.indexOf(' ');
      const name = space < 0 ? info : info.slice(0, space);
      const properties = Object.fromEntries(
        (space < 0 ? '' : info.slice(space + 1))
          .split(',')
          .filter(Boolean)
          .map((p) => [p.split('=')[0], unescapeProperty(p.slice(p.indexOf('=') + 1))]),
      );
      parsed = { name, properties, data: unescapeData(trimmed.slice(end + 2)) };
    } else {
      const v1 = /##\[([^\] ]+)[^\]]*\](.*)/.exec(line);
      if (v1 && (REGISTERED.includes(v1[1]) || v1[1] === stopToken)) parsed = { name: v1[1], properties: {}, data: v1[2] };
    }
    if (!parsed) continue;
    if (stopToken !== null) {
      if (parsed.name === stopToken) stopToken = null;
      continue;
    }
    if (parsed.name === 'stop-commands') stopToken = parsed.data;
    commands.push(parsed);
  }
  return commands;
}

/** Markdown's inline text as it reads once backslash escapes and character references are resolved. */
function resolvedText(markdown: string): string {
  return markdown
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/**
 * What GitHub would link in `markdown` by itself, by the rules of GFM's autolinks extension
 * (`http://`, `https://`, `ftp://` and `www.` followed by a domain; an e-mail address) and of
 * GitHub's references (an @mention, an #issue or GH-issue). It looks at the text after escapes are
 * resolved, as GitHub does for addresses, mentions and references; one match per finding.
 */
export function autolinks(markdown: string): string[] {
  const text = resolvedText(markdown);
  const patterns = [
    /(?:https?|ftp):\/\/[A-Za-z0-9_-]/gi,
    /www\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]/gi,
    /[A-Za-z0-9._+-]@[A-Za-z0-9_-]+\.[A-Za-z0-9_-]/g,
    /(?:^|[^A-Za-z0-9_`])@[A-Za-z0-9]/gm,
    /(?:^|[^A-Za-z0-9_&])(?:#|GH-)\d/gim,
  ];
  return patterns.flatMap((pattern) => text.match(pattern) ?? []);
}

/** `markdown` as HTML by cmark-gfm, GitHub's own renderer, with GitHub's extensions; null where it is not installed. */
export function cmarkGfm(markdown: string): string | null {
  const extensions = ['autolink', 'table', 'strikethrough', 'tagfilter'].flatMap((name) => ['-e', name]);
  const run = spawnSync('cmark-gfm', extensions, { input: markdown, encoding: 'utf8' });
  return run.error || run.status !== 0 ? null : run.stdout;
}

/**
 * The cells of `csv` as a spreadsheet reads them with `separator` between cells: a cell that
 * starts with a quote runs to the closing quote (`""` is one quote), and what follows it up to the
 * next separator is added as it is; any other cell runs to the next separator. Rows end at CRLF.
 */
export function spreadsheetCells(csv: string, separator: ',' | ';'): string[][] {
  const rows: string[][] = [];
  let i = 0;
  while (i < csv.length) {
    const row: string[] = [];
    for (;;) {
      let cell = '';
      if (csv[i] === '"') {
        i++;
        while (i < csv.length && !(csv[i] === '"' && csv[i + 1] !== '"')) {
          cell += csv[i];
          i += csv[i] === '"' ? 2 : 1;
        }
        i++;
      }
      while (i < csv.length && csv[i] !== separator && !csv.startsWith('\r\n', i)) cell += csv[i++];
      row.push(cell);
      if (csv[i] === separator) {
        i++;
        continue;
      }
      i += 2;
      break;
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Cells a spreadsheet could run as a formula: = + - or @ first, after any whitespace and quotes
 * some spreadsheets skip, or a tab, carriage return or NUL first. A leading apostrophe makes a
 * cell text. Numbers (ours) are not formulas.
 */
export function formulaCells(rows: string[][]): string[] {
  return rows.flat().filter((cell) => !/^-?\d+(\.\d+)?$/.test(cell) && /^(?:[\t\r\0]|[\s"]*[=+\-@])/.test(cell));
}
