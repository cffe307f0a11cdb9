/**
 * The rules by which a student's answer becomes HTML for the review page (render-answer.ts), on the
 * renderer itself, and the worker that holds it to its time and memory (rendered-answers.ts). The
 * attacks graded through the command and opened in a browser are in
 * graders/test/hostile/answer-rendering.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ANSWER_RENDER_BOUNDS, cutAnswer } from '../../src/trusted/reports/answer-bounds.js';
import { renderAnswer } from '../../src/trusted/reports/render-answer.js';
import { renderAnswers } from '../../src/trusted/reports/rendered-answers.js';

describe('renderAnswer', () => {
  it('renders Markdown, and math through KaTeX, inline and displayed', () => {
    const html = renderAnswer('# Fit\n\nThe line $y = 2x$ fits **well**:\n\n$$\\frac{\\partial L}{\\partial w} = 0$$\n');
    expect(html).toContain('<h4>Fit</h4>');
    expect(html).toContain('<strong>well</strong>');
    expect(html).toMatch(/<span class="katex">.*<annotation encoding="application\/x-tex">y = 2x<\/annotation>/s);
    expect(html).toContain('<span class="katex-display">');
  });

  it('keeps no HTML of the student: tags are text, and a comment is left out', () => {
    const html = renderAnswer('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)"> <b>b</b>\n<!-- BEGIN SOLUTION -->\nkept');
    expect(html).not.toMatch(/<(script|img|b)\b/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).not.toContain('BEGIN SOLUTION');
    expect(html).toContain('kept');
  });

  it('links only to http, https and mailto addresses, with no referrer; any other link stays text', () => {
    const html = renderAnswer(
      '[a](https://example.org) [b](mailto:ta@example.org) [c](javascript:alert(1)) [d](data:text/html,x) [e](vbscript:x) [f](../secret.md) [g](file:///etc/passwd) <javascript:alert(1)>',
    );
    expect([...html.matchAll(/<a href="([^"]*)" rel="nofollow noopener noreferrer">/g)].map((match) => match[1])).toEqual(['https://example.org', 'mailto:ta@example.org']);
    expect(html).toContain('[c](javascript:alert(1))');
    expect(html).toContain('[f](../secret.md)');
  });

  it('loads no image: one at a web address becomes a link to it, any other stays text', () => {
    const html = renderAnswer('![plot](https://example.org/p.png) ![local](plots/p.svg) ![inline](data:image/png;base64,AAAA)');
    expect(html).not.toContain('<img');
    expect(html).toContain('<a class="answer-image" href="https://example.org/p.png" rel="nofollow noopener noreferrer">image: plot</a>');
    expect(html).toContain('![local](plots/p.svg)');
  });

  it('runs KaTeX without trust and within its bounds, showing a formula it refuses as marked source', () => {
    const href = renderAnswer('$\\href{javascript:alert(1)}{x}$ $\\url{https://example.org}$');
    expect(href).not.toMatch(/<a\s|href=/);
    const bomb = renderAnswer('$\\def\\a{\\a\\a}\\a$');
    expect(bomb).toMatch(/<span class="katex-error" title="ParseError: KaTeX parse error: Too many expansions[^"]*"[^>]*>\\def\\a\{\\a\\a\}\\a<\/span>/);
    const size = renderAnswer('$\\rule{100000em}{100000em}$');
    expect(size).toContain(`border-right-width:${ANSWER_RENDER_BOUNDS.katexMaxSize}em`);
    expect(size).not.toContain('100000em;');
  });

  it('shows a formula that KaTeX fails on (not a parse error) as escaped source', () => {
    const deep = `${'{'.repeat(100_000)}<x>${'}'.repeat(100_000)}`;
    const html = renderAnswer(`$${deep}$`);
    expect(html).toMatch(/<code class="math-error" title="RangeError: [^"]*">\{+&lt;x&gt;\}+<\/code>/);
  });

  it('keeps a macro an answer defines with \\gdef within that answer', () => {
    // KaTeX shows an undefined command in the error colour.
    expect(renderAnswer('$\\gdef\\answerMacro{42}$ $\\answerMacro$')).not.toContain('color:#b91c1c');
    expect(renderAnswer('$\\answerMacro$')).toContain('color:#b91c1c');
  });
});

describe('cutAnswer', () => {
  it('keeps an answer within the bound, and cuts a longer one at a line end near the bound', () => {
    expect(cutAnswer('short')).toEqual({ text: 'short', cutChars: 0 });
    const lines = `${'a'.repeat(99)}\n`.repeat(20);
    expect(cutAnswer(lines, 1000)).toEqual({ text: lines.slice(0, 999), cutChars: lines.length - 999 });
    expect(cutAnswer('b'.repeat(2000), 1000)).toEqual({ text: 'b'.repeat(1000), cutChars: 1000 });
    // Never between the halves of a character outside the BMP.
    expect(cutAnswer(`${'c'.repeat(999)}😀x`, 1000)).toEqual({ text: 'c'.repeat(999), cutChars: 3 });
  });
});

describe('renderAnswers (the worker)', () => {
  it('renders each answer in order, and an answer that needs too much memory or time costs only itself', async () => {
    const bomb = `$\\def\\b{${'x'.repeat(15_000)}}${'\\b'.repeat(1_000)}$`;
    const answers = await renderAnswers(['$x$', bomb, '**after**']);
    expect(answers).toHaveLength(3);
    expect(answers[0]).toEqual({ html: renderAnswer('$x$') });
    expect(answers[1]).toEqual({ problem: expect.stringMatching(/^(it needed more than \d+ MiB of memory|it took longer than \d+ s to render)$/) });
    expect(answers[2]).toEqual({ html: '<p><strong>after</strong></p>\n' });
  });

  it('says when an answer renders to more HTML than an answer may take', async () => {
    const [answer] = await renderAnswers([`$${'\\sqrt{x}'.repeat(3_000)}$`]);
    expect(answer).toEqual({ problem: expect.stringMatching(/^its HTML would be [\d.]+ MiB, more than the 1 MiB an answer may take$/) });
  });
});
