/**
 * The plot of Q1(d), given: the points with the true and the fitted line, next to the loss curve.
 *
 * A Vega-Lite specification is compiled to Vega and rendered to SVG text in Node with the `none`
 * renderer, which needs no browser and no canvas. The same inputs give the same SVG.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { View, parse, resetSVGDefIds } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { RegressionData, TrainingResult } from './regression-data.js';

const PANEL = { width: 440, height: 320 };
// Translucent colours rather than mark opacity: the legend symbols then match the marks.
const COLORS = { data: 'rgba(110, 110, 110, 0.6)', truth: 'rgba(242, 142, 43, 0.5)', fit: '#1f4e99', reference: '#8c8c8c' };

function describeLine(weight: number, bias: number): string {
  return `y = ${weight.toFixed(3)}x ${bias < 0 ? '-' : '+'} ${Math.abs(bias).toFixed(3)}`;
}

/** The mean squared error of the true line on these points: the level no fit can go much below. */
function noiseLoss(data: RegressionData): number {
  let total = 0;
  data.x.forEach((x, i) => (total += (data.y[i] - (data.trueWeight * x + data.trueBias)) ** 2));
  return total / data.x.length;
}

/** Smallest and largest of the numbers that pass `keep`, or undefined if none does. (No spread: arrays may be long.) */
function extent(values: readonly number[], keep: (value: number) => boolean): [number, number] | undefined {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (!keep(value)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  return low <= high ? [low, high] : undefined;
}

/** At most about `limit` points of the loss curve, always with the first and the last epoch. */
function lossCurve(losses: readonly number[], limit = 1000): Array<{ epoch: number; loss: number }> {
  const every = Math.max(1, Math.ceil(losses.length / limit));
  const points: Array<{ epoch: number; loss: number }> = [];
  losses.forEach((loss, i) => {
    // A log scale cannot show zero, negative or non-finite losses: leave them out.
    if ((i % every === 0 || i === losses.length - 1) && Number.isFinite(loss) && loss > 0) points.push({ epoch: i + 1, loss });
  });
  return points;
}

/** Axis ticks at 1, 2 and 5 times the powers of ten inside [low, high] (only powers of ten over a wide range). */
function logTicks([low, high]: [number, number]): number[] {
  const first = Math.floor(Math.log10(low));
  const last = Math.ceil(Math.log10(high));
  // An axis past the range of numbers (a loss near the largest one, or one so small it rounds to
  // 0) has no ticks to show, and counting powers of ten to infinity would never end.
  if (!Number.isFinite(first) || !Number.isFinite(last)) return [];
  const mantissas = last - first > 4 ? [1] : [1, 2, 5];
  const step = Math.max(1, Math.ceil((last - first) / 10));
  const ticks: number[] = [];
  for (let power = first; power <= last; power += step) {
    for (const mantissa of mantissas) {
      const tick = Number((mantissa * 10 ** power).toPrecision(1));
      if (tick >= low && tick <= high) ticks.push(tick);
    }
  }
  return ticks;
}

/** The Vega-Lite specification of the plot. */
function regressionSpec(data: RegressionData, result: TrainingResult): TopLevelSpec {
  const [xMin, xMax] = extent(data.x, Number.isFinite) ?? [-1, 1];
  const lineThrough = (weight: number, bias: number) => [xMin, xMax].map((x) => ({ x, y: weight * x + bias }));
  const trueLabel = `true line, ${describeLine(data.trueWeight, data.trueBias)}`;
  const fitLabel = `fitted line, ${describeLine(result.weight, result.bias)}`;
  const lossLabel = 'training loss';
  const noiseLabel = 'loss of the true line (noise)';
  const finalLoss = result.losses[result.losses.length - 1];
  const isData = "datum.value === 'data'";
  const noise = noiseLoss(data);
  const curve = lossCurve(result.losses);
  const [lowestLoss, highestLoss] = extent([...curve.map((point) => point.loss), noise], (loss) => Number.isFinite(loss) && loss > 0) ?? [0.01, 1];
  // Room below the lowest loss, so that the flat end of the curve does not lie on the axis.
  const lossDomain: [number, number] = [lowestLoss / 3, highestLoss * 1.5];
  // The axes follow the data, not the fitted line, so that a wrong fit cannot squeeze the points
  // into a corner (the lines are clipped to the frame instead). The padding keeps the ends of the thick
  // true line inside the frame.
  const yDomain = extent(data.y, Number.isFinite) ?? [-1, 1];
  const x = { field: 'x', type: 'quantitative' as const, title: 'x', scale: { domain: [xMin, xMax], padding: 10 } };
  const y = { field: 'y', type: 'quantitative' as const, title: 'y', scale: { domain: yDomain, padding: 10 } };

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Linear regression with the autograd framework',
      subtitle: `${data.x.length} points, ${result.losses.length} epochs of gradient descent, final loss ${finalLoss?.toPrecision(3) ?? 'none'}`,
      anchor: 'start',
      fontSize: 16,
    },
    background: 'white',
    padding: 12,
    config: {
      view: { stroke: '#dddddd' },
      title: { offset: 10 },
      legend: { title: null, labelFontSize: 12, labelLimit: 320, symbolSize: 90, symbolStrokeWidth: 3, padding: 8 },
    },
    spacing: 40,
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    hconcat: [
      {
        ...PANEL,
        title: 'Data, true line and fitted line',
        encoding: {
          color: {
            type: 'nominal',
            scale: { domain: ['data', trueLabel, fitLabel], range: [COLORS.data, COLORS.truth, COLORS.fit] },
            legend: {
              orient: 'top-left',
              // A dot for the points, a stroke for each line.
              symbolType: 'stroke',
              encoding: {
                symbols: {
                  shape: { condition: { test: isData, value: 'circle' }, value: 'stroke' },
                  opacity: { value: 1 },
                },
              },
            },
          },
        },
        layer: [
          {
            data: { values: data.x.map((xi, i) => ({ x: xi, y: data.y[i] })) },
            mark: { type: 'circle', size: 28, opacity: 1 }, // translucent through its colour
            encoding: { x, y, color: { datum: 'data' } },
          },
          {
            // Drawn wide and pale so that the fitted line stays visible on top of it.
            data: { values: lineThrough(data.trueWeight, data.trueBias) },
            mark: { type: 'line', strokeWidth: 7, clip: true },
            encoding: { x, y, color: { datum: trueLabel } },
          },
          {
            data: { values: lineThrough(result.weight, result.bias) },
            mark: { type: 'line', strokeWidth: 2, strokeDash: [7, 4], clip: true },
            encoding: { x, y, color: { datum: fitLabel } },
          },
        ],
      },
      {
        ...PANEL,
        title: 'Loss per epoch',
        encoding: {
          color: {
            type: 'nominal',
            scale: { domain: [lossLabel, noiseLabel], range: [COLORS.fit, COLORS.reference] },
            legend: { orient: 'top-right', symbolType: 'stroke' },
          },
        },
        layer: [
          {
            data: { values: curve },
            mark: { type: 'line', strokeWidth: 2 },
            encoding: {
              x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { format: 'd', tickMinStep: 1 } },
              y: {
                field: 'loss',
                type: 'quantitative',
                scale: { type: 'log', domain: lossDomain, nice: false },
                axis: { values: logTicks(lossDomain), format: '~g' },
                title: 'mean squared error (log scale)',
              },
              color: { datum: lossLabel },
            },
          },
          {
            data: { values: [{ loss: noise }] },
            mark: { type: 'rule', strokeDash: [5, 4], strokeWidth: 1.5 },
            encoding: { y: { field: 'loss', type: 'quantitative' }, color: { datum: noiseLabel } },
          },
        ],
      },
    ],
  };
}

/** The plot of Q1(d) as SVG text. */
export async function renderRegressionPlot(data: RegressionData, result: TrainingResult): Promise<string> {
  const vegaSpec = compile(regressionSpec(data, result)).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    // Clip paths get ids from a counter shared by the whole process; restart it so that every
    // rendering of the same inputs gives the same text.
    resetSVGDefIds();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders the plot and writes it to `path`, creating its folder if needed. */
export async function writeRegressionPlot(path: string, data: RegressionData, result: TrainingResult): Promise<void> {
  const svg = await renderRegressionPlot(data, result);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, svg);
}
