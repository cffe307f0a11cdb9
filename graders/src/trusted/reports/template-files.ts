/**
 * The report pages' templates, styles and scripts, read from `templates/` next to this file
 * (the Gradescope bundle copies that folder beside its code).
 */
import { readFileSync } from 'node:fs';

/** The text of `templates/<name>`, e.g. "class.hbs" or "report.css". */
export function templateFile(name: string): string {
  return readFileSync(new URL(`./templates/${name}`, import.meta.url), 'utf8');
}
