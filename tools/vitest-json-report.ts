/** The part of vitest's JSON reporter output (`--reporter=json`) that the project's runners read. */

/** What vitest's JSON reporter writes for one test. */
export interface TestOutcome {
  ancestorTitles: string[];
  title: string;
  status: string;
  failureMessages: string[];
}

/** What vitest's JSON reporter writes for one run. */
export interface JsonReport {
  testResults: Array<{ name: string; status: string; message?: string; assertionResults: TestOutcome[] }>;
}
