/**
 * A student's written answer (Markdown with `$…$` and `$$…$$` math) as HTML for the review page:
 * Markdown through markdown-it, math through KaTeX, both in Node at report time, so the page needs
 * no script and no network to show it.
 *
 * The text is the student's, so the rendering is held to what a TA needs to read it:
 * - raw HTML is not HTML: markdown-it runs with `html: false`, so `<script>` or `<img onerror>` is
 *   shown as the text it is; an HTML comment (`<!-- … -->`), which every Markdown viewer hides,
 *   is left out;
 * - a link keeps its target only for `http:`, `https:` and `mailto:` (`validateLink`); any other
 *   (`javascript:`, `data:`, `vbscript:`, a relative path into the student's folder) stays the
 *   text it was written as. A link opens with no referrer;
 * - an image is never loaded: it becomes a link to its address (or its text, as above);
 * - headings start at `<h4>`, below the page's own (the page is h1, a part h2, a student h3);
 * - KaTeX runs with `trust: false` (no `\href`, `\url`, `\includegraphics`, `\htmlClass`…), at most
 *   `maxExpand` macro expansions and sizes of at most `maxSize` em per formula, and a formula it
 *   cannot read is shown as its source, escaped and marked (`throwOnError: false`; any other error
 *   of KaTeX too). Macros a formula defines with `\gdef` last for the rest of that answer only.
 *
 * These bounds keep ordinary attacks cheap, but a few short lines can still ask KaTeX for millions
 * of tokens (a long macro expanded `maxExpand` times), so this module runs in a worker thread with
 * a memory and a time limit (rendered-answers.ts), never in the grader's own thread.
 */
import { tex } from '@mdit/plugin-tex';
import katex, { type KatexOptions } from 'katex';
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { ANSWER_RENDER_BOUNDS } from './answer-bounds.js';

const SAFE_LINK = /^(?:https?|mailto):/i;

/** Per answer: the macros its formulas define with `\gdef`, shared by its formulas and no one else's. */
interface AnswerEnv {
  macros: NonNullable<KatexOptions['macros']>;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);

/** A displayed formula scrolls sideways on its own when it is wider than the answer (focusable, so a keyboard can scroll it). */
function renderMath(source: string, displayMode: boolean, env: AnswerEnv): string {
  const html = formulaHtml(source, displayMode, env);
  return displayMode ? `<div class="math-display" tabindex="0">${html}</div>\n` : html;
}

function formulaHtml(source: string, displayMode: boolean, env: AnswerEnv): string {
  try {
    return katex.renderToString(source, {
      displayMode,
      throwOnError: false,
      errorColor: '#b91c1c',
      trust: false,
      strict: 'ignore',
      maxExpand: ANSWER_RENDER_BOUNDS.katexMaxExpand,
      maxSize: ANSWER_RENDER_BOUNDS.katexMaxSize,
      output: 'htmlAndMathml',
      macros: env.macros,
    });
  } catch (error) {
    // Not a parse error (those are rendered by KaTeX itself): a nesting too deep for the stack, a bug.
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return `<code class="math-error" title="${escapeHtml(why.slice(0, 200))}">${escapeHtml(source)}</code>`;
  }
}

function answerMarkdown(): MarkdownIt {
  const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false });
  md.validateLink = (url) => SAFE_LINK.test(url);
  md.use(tex, { delimiters: 'dollars', render: (content: string, displayMode: boolean, env: unknown) => renderMath(content, displayMode, env as AnswerEnv) });

  // Headings below the page's own; an HTML comment's text left out (html: false keeps it as text).
  md.core.ruler.push('answer_headings_and_comments', (state) => {
    for (const token of state.tokens) {
      if (token.type === 'heading_open' || token.type === 'heading_close') token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 3)}`;
      if (token.type !== 'inline' || !token.children) continue;
      const kept: Token[] = [];
      let afterComment = false;
      for (const child of token.children) {
        if (child.type === 'text' && child.content.includes('<!--')) {
          child.content = child.content.replace(/<!--[\s\S]*?-->/g, '');
          // A comment on a line of its own: the line goes, and the line break after it.
          afterComment = child.content.trim() === '';
          if (afterComment) continue;
        }
        if (child.type === 'softbreak' && (afterComment || kept.length === 0)) continue;
        afterComment = false;
        kept.push(child);
      }
      token.children = kept;
    }
  });

  md.renderer.rules.link_open = (tokens, index, options, _env, self) => {
    tokens[index].attrSet('rel', 'nofollow noopener noreferrer');
    return self.renderToken(tokens, index, options);
  };
  md.renderer.rules.image = (tokens, index, options, env, self) => {
    const token = tokens[index];
    const source = token.attrGet('src') ?? '';
    const alt = self.renderInlineAsText(token.children ?? [], options, env);
    return `<a class="answer-image" href="${escapeHtml(source)}" rel="nofollow noopener noreferrer">image: ${escapeHtml(alt || source)}</a>`;
  };
  return md;
}

let markdown: MarkdownIt | undefined;

/** The answer as HTML (the whole text given: cut it first with `cutAnswer`, answer-bounds.ts). */
export function renderAnswer(text: string): string {
  markdown ??= answerMarkdown();
  const env: AnswerEnv = { macros: {} };
  return markdown.render(text, env);
}
