/**
 * Reads the YAML of this repository's workflows into plain values, so that the tests can look up
 * a job's steps, its `env` and its `run` script by structure rather than by pattern. It reads the
 * subset those files use (block mappings and sequences, plain and quoted scalars, flow sequences
 * of scalars, `|` block scalars, comments) and throws on anything else, so a workflow it cannot
 * read fails the test instead of being read wrong. Plain scalars follow YAML's core schema for
 * integers and booleans (`on` stays a key, as GitHub reads it).
 */

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  indent: number;
  text: string;
  /** 1-based, for error messages. */
  number: number;
}

class Reader {
  private index = 0;
  constructor(private readonly raw: string[]) {}

  /** The next line that is not blank or a comment, without consuming it. */
  peek(): Line | undefined {
    for (let i = this.index; i < this.raw.length; i++) {
      const text = this.raw[i];
      if (text.trim() === '' || text.trim().startsWith('#')) continue;
      if (text.includes('\t')) throw new Error(`line ${i + 1}: a tab in the indentation or a value`);
      return { indent: text.search(/\S/), text: text.trim(), number: i + 1 };
    }
    return undefined;
  }

  /** Consumes lines up to and including `line`. */
  take(line: Line): void {
    this.index = line.number;
  }

  /** The raw lines of a block scalar under a key at `indent`: every following line indented deeper, or blank. */
  blockLines(indent: number): string[] {
    const lines: string[] = [];
    while (this.index < this.raw.length) {
      const text = this.raw[this.index];
      if (text.trim() !== '' && text.search(/\S/) <= indent) break;
      lines.push(text);
      this.index++;
    }
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    return lines;
  }
}

/** A line's text without a trailing comment (a `#` after a space, outside quotes). */
function withoutComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || text[i - 1] === ' ')) return text.slice(0, i).trimEnd();
  }
  return text;
}

function scalar(text: string, where: number): YamlValue {
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw new Error(`line ${where}: an unclosed single-quoted scalar`);
    return text.slice(1, -1).replaceAll("''", "'");
  }
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2) throw new Error(`line ${where}: an unclosed double-quoted scalar`);
    if (text.slice(1, -1).includes('\\')) throw new Error(`line ${where}: escapes in double quotes are not read here`);
    return text.slice(1, -1);
  }
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw new Error(`line ${where}: a flow sequence on more than one line`);
    const inner = text.slice(1, -1).trim();
    return inner === '' ? [] : inner.split(',').map((item) => scalar(item.trim(), where));
  }
  if (/^[{&*!|>%@`]/.test(text)) throw new Error(`line ${where}: "${text}" is YAML this reader does not read`);
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === '' || text === '~' || text === 'null') return null;
  return text;
}

/** `key: value` or `key:`; the value's text, '' when it is on the lines below. */
function keyValue(text: string, where: number): [string, string] {
  const match = /^([A-Za-z0-9_.-]+):(?:\s+(.*))?$/.exec(text);
  if (!match) throw new Error(`line ${where}: expected "key: value", found "${text}"`);
  return [match[1], withoutComment(match[2] ?? '')];
}

function node(reader: Reader, indent: number): YamlValue {
  const first = reader.peek();
  if (!first || first.indent < indent) return null;
  return first.text.startsWith('- ') || first.text === '-' ? sequence(reader, first.indent) : mapping(reader, first.indent);
}

function value(reader: Reader, rest: string, indent: number, where: number): YamlValue {
  if (rest === '|') {
    const lines = reader.blockLines(indent);
    const body = lines.filter((l) => l.trim() !== '');
    const margin = Math.min(...body.map((l) => l.search(/\S/)));
    return `${lines.map((l) => l.slice(margin)).join('\n')}\n`;
  }
  if (rest !== '') return scalar(rest, where);
  const next = reader.peek();
  // A sequence may sit at its key's own indentation.
  if (next && (next.indent > indent || (next.indent === indent && next.text.startsWith('- ')))) return node(reader, next.indent);
  return null;
}

/** A mapping at `indent`; `first` is its first entry when it opens a sequence item ("- key: value"). */
function mapping(reader: Reader, indent: number, first?: { text: string; number: number }): { [key: string]: YamlValue } {
  const result: { [key: string]: YamlValue } = {};
  let pendingFirst = first;
  for (;;) {
    let text: string;
    let where: number;
    if (pendingFirst !== undefined) {
      ({ text, number: where } = pendingFirst);
      pendingFirst = undefined;
    } else {
      const line = reader.peek();
      if (!line || line.indent < indent || line.text.startsWith('- ')) break;
      if (line.indent > indent) throw new Error(`line ${line.number}: unexpected indentation`);
      reader.take(line);
      text = line.text;
      where = line.number;
    }
    const [key, rest] = keyValue(text, where);
    if (key in result) throw new Error(`line ${where}: the key "${key}" twice`);
    result[key] = value(reader, rest, indent, where);
  }
  return result;
}

function sequence(reader: Reader, indent: number): YamlValue[] {
  const items: YamlValue[] = [];
  for (;;) {
    const line = reader.peek();
    if (!line || line.indent !== indent || !(line.text.startsWith('- ') || line.text === '-')) break;
    reader.take(line);
    const content = line.text.slice(1).trim();
    // "- key: value" opens a mapping whose keys sit two columns in.
    if (/^[A-Za-z0-9_.-]+:(\s|$)/.test(content)) items.push(mapping(reader, indent + 2, { text: content, number: line.number }));
    else if (content === '') items.push(node(reader, indent + 1));
    else items.push(scalar(withoutComment(content), line.number));
  }
  return items;
}

export function parseWorkflowYaml(text: string): { [key: string]: YamlValue } {
  const reader = new Reader(text.split('\n'));
  const result = node(reader, 0);
  const rest = reader.peek();
  if (rest) throw new Error(`line ${rest.number}: not read ("${rest.text}")`);
  if (typeof result !== 'object' || result === null || Array.isArray(result)) throw new Error('a workflow is a mapping');
  return result;
}
