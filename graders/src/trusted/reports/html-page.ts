/**
 * What every page of the HTML report shares: the templates (compiled once per process), the
 * Content-Security-Policy each page carries, and the stand-in page that replaces a page that cannot
 * be drawn, built without templates.
 */
import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { cutText } from '../cut-text.js';
import { templateFile } from './template-files.js';

/** The compiled templates of the class page and of a submission's page, and what they embed raw. */
export interface HtmlTemplates {
  classPage: Handlebars.TemplateDelegate;
  submissionPage: Handlebars.TemplateDelegate;
  css: string;
  sortScript: string;
}

let templates: HtmlTemplates | undefined;

/** The templates next to this file, compiled on first use. */
export function htmlTemplates(): HtmlTemplates {
  if (templates) return templates;
  const handlebars = Handlebars.create();
  handlebars.registerPartial('layout', templateFile('layout.hbs'));
  // strict: a name the view model lacks is a bug in the view model, not an empty string on a page.
  const options = { strict: true } as const;
  templates = {
    classPage: handlebars.compile(templateFile('class.hbs'), options),
    submissionPage: handlebars.compile(templateFile('submission.hbs'), options),
    css: templateFile('report.css').trim(),
    sortScript: templateFile('sort-table.js').trim(),
  };
  return templates;
}

/** Allows inline styles (the CSS, the SVGs) and, if given, exactly one inline script; nothing else. */
export function contentSecurityPolicy(script: string | null): string {
  const scriptSource = script === null ? "'none'" : `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
  return `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${scriptSource}; base-uri 'none'; form-action 'none'`;
}

/** Why something could not be drawn, in words a page can show (cut to a bounded length). */
export function reasonOf(error: unknown): string {
  return cutText(error instanceof Error ? error.message : String(error), 2000);
}

/** A line of a stand-in page: plain text, a link when `href` is given. */
export interface StandInLine {
  text: string;
  href?: string;
}

/**
 * `draw()`'s page, or, when it throws or its page would be larger than `maxBytes`, a stand-in page
 * with `title`, the reason and `lines`, built here without templates.
 */
export async function pageOrWhyNot(
  title: string,
  css: string,
  lines: readonly StandInLine[],
  maxBytes: number,
  draw: () => Promise<string>,
): Promise<string> {
  let reason: string;
  try {
    const content = await draw();
    const bytes = Buffer.byteLength(content);
    if (bytes <= maxBytes) return content;
    reason = `it would be ${(bytes / 1024 / 1024).toFixed(1)} MiB, more than the ${maxBytes / 1024 / 1024} MiB a page may be`;
  } catch (error) {
    reason = reasonOf(error);
  }
  const text = (value: string) => Handlebars.escapeExpression(value);
  const line = ({ text: words, href }: StandInLine) =>
    href === undefined ? `<p>${text(words)}</p>` : `<p><a href="${text(href)}">${text(words)}</a></p>`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(null)}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${text(title)}</title>`,
    `<style>\n${css}\n</style>`,
    '</head>',
    '<body>',
    '<main id="main">',
    `<h1>${text(title)}</h1>`,
    `<p class="callout callout--error">This page could not be drawn: ${text(reason)}</p>`,
    ...lines.map(line),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
