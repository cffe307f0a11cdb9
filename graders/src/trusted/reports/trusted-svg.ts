/**
 * The check an SVG passes before a page embeds it raw: a part's plot comes from the trusted parent,
 * but it is drawn from the student's run, so what reaches a page is checked again here.
 */

/**
 * `svg` when it is a bare SVG without scripts, event handlers, embedded documents or links; null
 * otherwise, and the page says the plot could not be shown.
 */
export function trustedSvg(svg: string): string | null {
  const trimmed = svg.trim();
  const unsafe =
    /<\s*(script|foreignObject|iframe|object|embed|a|use|image)\b|\son[a-z]+\s*=|javascript:|\bhref\s*=|url\(\s*['"]?\s*(?!#)/i;
  return /^<svg[\s>]/i.test(trimmed) && /<\/svg>$/i.test(trimmed) && !unsafe.test(trimmed) ? trimmed : null;
}
