/**
 * The class overview's two charts, drawn with Vega-Lite and rendered to SVG strings in Node
 * (renderer "none": no canvas, no DOM, no network), so the HTML stays self-contained and the same
 * data always gives the same SVG.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { PartRate } from './class-summary.js';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
const BAR_COLOUR = '#2f5d8a';
const CONFIG = {
  font: FONT,
  background: '#ffffff',
  view: { stroke: null },
  axis: {
    labelColor: '#374151',
    titleColor: '#1f2937',
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 600,
    gridColor: '#e5e7eb',
    domainColor: '#9ca3af',
    tickColor: '#9ca3af',
  },
} as const;

async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Histogram of the totals: one bar per point (or per few points when the maximum is large), the
 * last bin closed so that full marks count.
 */
export function scoreHistogramSvg(totals: readonly number[], max: number): Promise<string> {
  const step = max <= 40 ? 1 : Math.ceil(max / 20);
  const binCount = Math.max(1, Math.ceil(max / step));
  const bins = Array.from({ length: binCount }, (_, index) => ({ start: index * step, end: Math.min((index + 1) * step, max), students: 0 }));
  for (const total of totals) {
    const index = Math.min(binCount - 1, Math.max(0, Math.floor(total / step)));
    bins[index].students += 1;
  }
  const mostStudents = Math.max(1, ...bins.map((bin) => bin.students));
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `Histogram of total points: ${bins.filter((bin) => bin.students > 0).map((bin) => `${bin.students} with ${bin.start} to ${bin.end}`).join(', ') || 'no graded submissions'}.`,
    width: 520,
    height: 170,
    config: CONFIG,
    data: { values: bins },
    mark: { type: 'bar', color: BAR_COLOUR, stroke: '#ffffff', strokeWidth: 1 },
    encoding: {
      x: {
        field: 'start',
        bin: { binned: true, step },
        type: 'quantitative',
        title: 'Total points',
        scale: { domain: [0, max] },
        axis: { tickMinStep: step, format: 'd', grid: false },
      },
      x2: { field: 'end' },
      y: {
        field: 'students',
        type: 'quantitative',
        title: 'Students',
        scale: { domain: [0, mostStudents] },
        axis: { tickMinStep: 1, format: 'd' },
      },
    },
  });
}

/** Share of graded submissions that passed each part, hardest first. */
export function passRateChartSvg(rates: readonly PartRate[]): Promise<string> {
  // Sorted here (stable, so ties keep rubric order) and drawn in data order: a sort in the shared
  // encoding of a layered chart makes Vega-Lite warn and fall back to alphabetical order.
  const values = [...rates]
    .sort((a, b) => a.passRate - b.passRate)
    .map((rate) => ({ part: rate.id, passRate: rate.passRate, label: `${Math.round(rate.passRate * 100)}%` }));
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `Pass rate per part: ${values.map((value) => `${value.part} ${value.label}`).join(', ')}.`,
    width: 420,
    height: { step: 20 },
    config: CONFIG,
    data: { values },
    encoding: {
      y: { field: 'part', type: 'nominal', title: null, sort: null, axis: { labelFontSize: 12, labelColor: '#1f2937' } },
      x: { field: 'passRate', type: 'quantitative', title: 'Passed every check', scale: { domain: [0, 1] }, axis: { format: '.0%', tickCount: 5 } },
    },
    layer: [
      { mark: { type: 'bar', color: BAR_COLOUR, height: { band: 0.7 } } },
      { mark: { type: 'text', align: 'left', dx: 4, color: '#1f2937', fontSize: 11 }, encoding: { text: { field: 'label' } } },
    ],
  });
}
