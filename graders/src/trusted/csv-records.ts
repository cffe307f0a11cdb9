/**
 * Reads a CSV file that people edit (RFC 4180: fields separated by commas, a field in double
 * quotes may hold commas, line breaks and `""` for a quote), keeping for each record the line it
 * starts on, so that a message about a row can name it. A UTF-8 byte order mark (which spreadsheets
 * write) is skipped; blank lines are skipped.
 */

export interface CsvRecord {
  /** The 1-based line the record starts on. */
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export function csvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let quotedSince = 0;
  let line = 1;
  let start = 1;
  const endRecord = (): void => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '') records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
      quotedSince = line;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || (ch === '\r' && source[i + 1] === '\n')) {
      if (ch === '\r') i++;
      endRecord();
      line++;
      start = line;
    } else cell += ch;
  }
  if (quoted) throw new CsvSyntaxError(quotedSince, 'a quoted field is not closed (a " is missing)');
  endRecord();
  return records;
}
