/**
 * Where a place in compiled code came from in the student's file, through the source map esbuild
 * writes with it (version 3: per generated line, segments of base64 VLQ deltas). Messages then name
 * the line and column the student wrote, not the compiled one.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The numbers of one segment: generated column, source index, source line, source column, name. */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** A 1-based line and a 1-based column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * The source position of `offset` in `code`: the last mapping at or before it on its generated
 * line (esbuild maps the start of every statement and expression). Null when the line has none.
 */
export function sourcePosition(code: string, mapJson: string, offset: number): SourcePosition | null {
  const before = code.slice(0, offset);
  const line = before.split('\n').length - 1;
  const column = offset - (before.lastIndexOf('\n') + 1);
  const lines = (JSON.parse(mapJson) as { mappings: string }).mappings.split(';');
  // Source line and column carry over from one generated line to the next; the generated column does not.
  let sourceLine = 0;
  let sourceColumn = 0;
  let found: SourcePosition | null = null;
  for (let i = 0; i <= line && i < lines.length; i++) {
    let generatedColumn = 0;
    for (const segment of lines[i].split(',').filter(Boolean)) {
      const [columnDelta, , lineDelta = 0, columnOfSourceDelta = 0] = decodeSegment(segment);
      generatedColumn += columnDelta;
      sourceLine += lineDelta;
      sourceColumn += columnOfSourceDelta;
      if (i === line && generatedColumn <= column) found = { line: sourceLine + 1, column: sourceColumn + 1 };
    }
  }
  return found;
}
