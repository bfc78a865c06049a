/**
 * One sensor over time on a Chart.js line chart:
 *   const chart = createSensorChart(canvas, { onZoom: (from, to) => reload(from, to) })
 *   chart.draw(seriesOf(chartData, 'gpu_temperature_c'))   rows → one line; rollups → min–max band + avg line
 * Nulls break the line (spanGaps false), so gaps between logging sessions stay visible. The y axis is
 * titled with the unit. Decimation (min-max, keeps peaks) thins dense row data to the canvas width.
 */
import type { Chart, ChartDataset } from 'chart.js';
import { chartClass, themeColours } from './setup';

export interface SeriesToDraw {
  name: string;
  unit: string;
  t: number[];
  /** Rows: values. Rollups: avg with min and max for the band. */
  values: (number | null)[];
  min?: (number | null)[];
  max?: (number | null)[];
}

type Point = { x: number; y: number | null };

export interface SensorChart {
  draw(series: SeriesToDraw, range: { from: number; to: number }): void;
  destroy(): void;
}

export function createSensorChart(
  canvas: HTMLCanvasElement,
  options: { onZoom(from: number, to: number): void; onDrawn(): void },
): SensorChart {
  const ChartJs = chartClass();
  const colours = themeColours();
  const chart: Chart<'line', Point[]> = new ChartJs(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      spanGaps: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'time', ticks: { color: colours.text, maxRotation: 0 }, grid: { color: colours.grid } },
        y: {
          ticks: { color: colours.text },
          grid: { color: colours.grid },
          title: { display: true, color: colours.text },
        },
      },
      plugins: {
        legend: { labels: { color: colours.text } },
        decimation: { enabled: true, algorithm: 'min-max' },
        zoom: {
          zoom: {
            wheel: { enabled: true },
            pinch: { enabled: true },
            drag: { enabled: false },
            mode: 'x',
            onZoomComplete: report,
          },
          pan: { enabled: true, mode: 'x', onPanComplete: report },
        },
      },
    },
    plugins: [{ id: 'gpuz-drawn', afterRender: () => options.onDrawn() }],
  });

  function report({ chart: c }: { chart: Chart }): void {
    const x = c.scales.x!;
    options.onZoom(Math.round(x.min), Math.round(x.max));
  }

  return {
    draw(series, range) {
      const points = (values: (number | null)[]): Point[] =>
        series.t.map((x, i) => ({ x, y: values[i] ?? null }));
      const datasets: ChartDataset<'line', Point[]>[] = [];
      const label = `${series.name}${series.unit ? ` (${series.unit})` : ''}`;
      if (series.min && series.max) {
        datasets.push(
          {
            label: 'min',
            data: points(series.min),
            borderWidth: 0,
            pointRadius: 0,
            borderColor: colours.band,
          },
          {
            label: 'max',
            data: points(series.max),
            borderWidth: 0,
            pointRadius: 0,
            borderColor: colours.band,
            backgroundColor: colours.band,
            fill: '-1',
          },
          {
            label: `${label} avg`,
            data: points(series.values),
            borderColor: colours.line,
            borderWidth: 1.5,
            pointRadius: 0,
          },
        );
      } else {
        datasets.push({
          label,
          data: points(series.values),
          borderColor: colours.line,
          borderWidth: 1.5,
          pointRadius: 0,
        });
      }
      chart.data.datasets = datasets;
      const x = chart.options.scales!.x!;
      x.min = range.from;
      x.max = range.to;
      const y = chart.options.scales!.y as { title: { text: string } };
      y.title.text = series.unit || 'value';
      chart.update('none');
    },
    destroy: () => chart.destroy(),
  };
}
