/** The values of `grade`'s options that are more than a string: report formats and whole numbers. */
import { DEFAULT_REPORT_FORMATS, REPORT_FORMATS, isReportFormat, type ReportFormat } from '../trusted/reports/report-formats.js';
import { UsageError } from './usage-error.js';

/** --format values: comma-separated or repeated; the default set when none is given. */
export function parseFormats(values: string[] | undefined): ReportFormat[] {
  const names = (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((name) => !isReportFormat(name));
  if (unknown.length > 0) {
    throw new UsageError('E_USAGE_FORMAT', `--format ${unknown.join(', ')}: no such report; choose from ${REPORT_FORMATS.join(', ')}`);
  }
  return names.length === 0 ? [...DEFAULT_REPORT_FORMATS] : REPORT_FORMATS.filter((format) => names.includes(format));
}

/** The whole number >= 0 given to `flag` (--jobs, --seed, --timeout), or undefined when it was not given. */
export function wholeNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError('E_USAGE_NUMBER', `${flag} expects a whole number >= 0, got "${text}"`);
  return n;
}

/** The part ids given to --only (repeated or separated by commas). */
export function onlyParts(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
}
