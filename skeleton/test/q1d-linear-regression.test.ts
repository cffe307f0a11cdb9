/**
 * Q1(d): the regression script trains with the framework and draws its plot. The training tests
 * need Q1(a)-(c): until those are written they fail with "not implemented".
 */
import { describe, expect, test } from 'vitest';
import { makeRegressionData, trainLinearRegression } from '../src/linear-regression.js';
import { renderRegressionPlot } from '../src/plot.js';

describe('Q1d linear regression', () => {
  const data = makeRegressionData();

  test('training reaches a loss near the noise level and recovers the line', () => {
    const { weight, bias, losses } = trainLinearRegression(data);
    const finalLoss = losses[losses.length - 1];
    // The noise has standard deviation 0.1, so the best possible loss is about 0.01.
    expect(finalLoss, 'final loss').toBeLessThan(0.02);
    expect(Math.abs(weight - data.trueWeight), `fitted weight ${weight}, true ${data.trueWeight}`).toBeLessThan(0.1);
    expect(Math.abs(bias - data.trueBias), `fitted bias ${bias}, true ${data.trueBias}`).toBeLessThan(0.1);
  });

  test('the loss never goes up and ends far below where it started', () => {
    const { losses } = trainLinearRegression(data, { epochs: 50 });
    expect(losses).toHaveLength(50);
    losses.slice(1).forEach((loss, i) => {
      expect(loss, `loss of epoch ${i + 2} compared with epoch ${i + 1}`).toBeLessThanOrEqual(losses[i] + 1e-12);
    });
    expect(losses[49]).toBeLessThan(losses[0] / 10);
  });

  // The plot is given code: it is tested with made-up numbers, so that it does not wait for Q1(a)-(c).
  const madeUp = { weight: 2.4, bias: -0.9, losses: [3, 1, 0.3, 0.1, 0.03, 0.012] };

  test('the plot is an SVG with both panels, their axis titles and the legend', async () => {
    const svg = await renderRegressionPlot(data, madeUp);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['Data, true line and fitted line', 'Loss per epoch', '>x<', '>y<', '>epoch<', 'mean squared error (log scale)', 'true line', 'fitted line']) {
      expect(svg, `the SVG should contain ${text}`).toContain(text);
    }
  });

  test('the same numbers give the same SVG', async () => {
    expect(await renderRegressionPlot(data, madeUp)).toBe(await renderRegressionPlot(data, madeUp));
  });
});
