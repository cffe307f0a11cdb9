/**
 * The HTML report: `index.html` (the class) and one `<page>.html` per submission, rendered with
 * Handlebars from the templates next to this file (html-page.ts) and the view models of the class
 * page (class-page-view.ts) and of a submission's page (submission-page-view.ts).
 *
 * Every value a template prints goes through Handlebars' escaping ({{ }}), so student text (ids,
 * output, review answers, messages, counterexample values) can never become markup. The only raw
 * values ({{{ }}}) are named `trusted…`: the CSS and the sort script from this folder, the charts
 * drawn here from numbers, and the assignment's plots drawn by the trusted parent (checked again:
 * trusted-svg.ts). On top of that, each page carries a Content-Security-Policy that allows no
 * network and no script but its own.
 *
 * Pages are self-contained (styles, script and charts inline) and deterministic: no dates or
 * timings, so the same ClassResult gives the same bytes.
 *
 * Each page is drawn on its own: a page that cannot be drawn (its rendering throws, or it would be
 * larger than HTML_PAGE_MAX_BYTES) is replaced by a short page saying why, and every other page is
 * still written. A plot that cannot be drawn is left out of its page, which says why.
 */
import type { ClassResult } from '../result.js';
import { classIndexLines, classPageView } from './class-page-view.js';
import { sortedSubmissions } from './class-summary.js';
import { formatPoints } from './format-points.js';
import { contentSecurityPolicy, htmlTemplates, pageOrWhyNot } from './html-page.js';
import { pageNames } from './page-names.js';
import type { ReportFile } from './report-file.js';
import type { ReportOptions } from './report-formats.js';
import { shownViews, submissionView } from './submission-page-view.js';

export const HTML_INDEX_NAME = 'index.html';

/** The largest page written (docs/security.md, "Bounds"); a larger one is replaced by a page saying why. */
export const HTML_PAGE_MAX_BYTES = 4 * 1024 * 1024;

/** The class page and each submission's page, the class page first. */
export async function renderHtmlReport(result: ClassResult, options: ReportOptions = {}): Promise<ReportFile[]> {
  const { classPage, submissionPage, css, sortScript } = htmlTemplates();
  const submissions = sortedSubmissions(result);
  const names = pageNames(submissions.map((submission) => submission.id));
  const page = {
    assignment: result.rubric.name,
    seed: result.seed,
    rubricVersion: result.rubric.version,
    trustedCss: css,
  };

  // The assignment's views of its parts (a plot drawn from a training run's numbers, a note for the TA).
  const views = await shownViews(submissions, options);

  const classTitle = `${result.rubric.name}: class results (seed ${result.seed}, rubric version ${result.rubric.version})`;
  // The class page grows with the class (a row per submission), so only its drawing can fail it, not its size.
  const index = await pageOrWhyNot(classTitle, css, classIndexLines(submissions, names), Number.POSITIVE_INFINITY, async () =>
    classPage({
      ...page,
      title: classTitle,
      pageClass: 'page-class',
      csp: contentSecurityPolicy(sortScript),
      trustedScript: sortScript,
      ...(await classPageView(result, submissions, names)),
    }),
  );

  const files: ReportFile[] = [{ name: HTML_INDEX_NAME, content: index }];
  for (const submission of submissions) {
    const title = `${submission.id}: ${result.rubric.name} results`;
    const points = `${formatPoints(submission.total)} / ${formatPoints(submission.max)} points`;
    const summary = `${points} (${submission.status}); results.json holds the whole result.`;
    const content = await pageOrWhyNot(title, css, [{ text: summary }], HTML_PAGE_MAX_BYTES, async () =>
      submissionPage({
        ...page,
        title,
        pageClass: 'page-submission',
        csp: contentSecurityPolicy(null),
        trustedScript: null,
        ...submissionView(submission, views),
      }),
    );
    files.push({ name: names.get(submission.id)!, content });
  }
  return files;
}
