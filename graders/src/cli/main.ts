/**
 * `grade <submission folders...>`: grades every submission and writes the reports (grade-command.ts);
 * `grade merge <shard outputs...>`: joins the outputs of `grade --shard K/N` runs (merge-command.ts).
 * Both take their options from one table (grade-options.ts), which also gives `--help`.
 * Exit codes: 0 when grading completed (whatever the scores), 2 for a usage error or input that does
 * not fit (printed with its code, command-failure.ts), 1 when the harness itself failed.
 */
import { gradeCommand } from './grade-command.js';
import { mergeCommand } from './merge-command.js';

export async function main(argv: string[]): Promise<number> {
  return argv[0] === 'merge' ? mergeCommand(argv.slice(1)) : gradeCommand(argv);
}
