/**
 * KaTeX's stylesheet and fonts, shipped with the reports (`assets/katex/`) for the review page's
 * math, so that it shows offline, from file://, with no request beyond the reports' folder. Only the
 * WOFF2 fonts are copied (every current browser reads them), and the stylesheet is rewritten to name
 * only those. A file already there with the same bytes is left as it is.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './write-file-atomic.js';

/** The stylesheet, relative to the reports' folder (and so to the review page). */
export const KATEX_STYLESHEET = 'assets/katex/katex.min.css';

const KATEX_DIST = dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'));

interface Asset {
  name: string;
  content: Buffer;
}

let assets: Asset[] | undefined;

function katexAssets(): Asset[] {
  if (assets) return assets;
  // Each font as `url(fonts/X.woff2) format("woff2"),url(fonts/X.woff) format("woff"),url(fonts/X.ttf) format("truetype")`.
  const css = readFileSync(join(KATEX_DIST, 'katex.min.css'), 'utf8').replace(/,url\(fonts\/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)/g, '');
  const fonts = [...new Set([...css.matchAll(/url\((fonts\/[^)]+)\)/g)].map((match) => match[1]))].sort();
  const folder = dirname(KATEX_STYLESHEET);
  assets = [
    { name: KATEX_STYLESHEET, content: Buffer.from(css) },
    ...fonts.map((font) => ({ name: `${folder}/${font}`, content: readFileSync(join(KATEX_DIST, font)) })),
  ];
  return assets;
}

/** Writes the assets into `outDir` (the folders made as needed); returns their paths. */
export async function writeKatexAssets(outDir: string): Promise<string[]> {
  const paths: string[] = [];
  for (const asset of katexAssets()) {
    const path = join(outDir, asset.name);
    const current = await readFile(path).catch(() => null);
    if (current === null || !current.equals(asset.content)) {
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, asset.content);
    }
    paths.push(path);
  }
  return paths;
}
