/**
 * One sensor over time on a Chart.js line chart (the Charts view stacks several on one time axis):
 *   const chart = createSensorChart(canvas, { onZoom: (from, to) => reload(from, to), onHover: (t) => sync(t) })
 *   chart.draw(panel, range, { timeAxis: isLast })   rows → one line; rollups → min–max band + avg line
 *   chart.crosshair(t)                                 a vertical line and the tooltip at time t (null: none)
 * Nulls break the line (spanGaps false), so gaps between logging sessions stay visible. The y axis is
 * titled with the unit. Decimation (min-max, keeps peaks) thins dense row data to the canvas width.
 */
import type { Chart, ChartDataset, Plugin } from 'chart.js';
import { axisTimeUnit, formatAxisTime } from '../../shared/time-format';
import { formatSeriesName } from '../format';
import type { Panel } from './charts-model';
import { chartClass, LINE_CHART_BASE, linePlugins, themeColours, valueAxis } from './setup';

/** Rows: values. Rollups: avg with min and max for the band. */
export type SeriesToDraw = Omit<Panel, 'key' | 'stats'>;

type Point = { x: number; y: number | null };

export interface SensorChart {
  draw(series: SeriesToDraw, range: { from: number; to: number }, options?: { timeAxis?: boolean }): void;
  /** Shows the crosshair and tooltip at time t (another chart of the stack is hovered); null hides them. */
  crosshair(t: number | null): void;
  destroy(): void;
}

export function createSensorChart(
  canvas: HTMLCanvasElement,
  options: { onZoom(from: number, to: number): void; onDrawn(): void; onHover?(t: number | null): void },
): SensorChart {
  const ChartJs = chartClass();
  const colours = themeColours();
  let crosshairAt: number | null = null;
  const crosshairPlugin: Plugin<'line'> = {
    id: 'gpuz-crosshair',
    afterDatasetsDraw(c) {
      if (crosshairAt === null) return;
      const x = c.scales.x!.getPixelForValue(crosshairAt);
      if (x < c.chartArea.left || x > c.chartArea.right) return;
      const { ctx } = c;
      ctx.save();
      ctx.strokeStyle = colours.text;
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(x, c.chartArea.top);
      ctx.lineTo(x, c.chartArea.bottom);
      ctx.stroke();
      ctx.restore();
    },
  };
  const chart: Chart<'line', Point[]> = new ChartJs(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      ...LINE_CHART_BASE,
      onHover: (event) => {
        if (event.x === null || !options.onHover) return;
        options.onHover(Math.round(chart.scales.x!.getValueForPixel(event.x) ?? 0));
      },
      scales: {
        x: {
          type: 'time',
          time: { unit: false },
          ticks: {
            color: colours.text,
            maxRotation: 0,
            autoSkipPadding: 24,
            // The one time format of every view (src/shared/time-format.ts), not the adapter's own.
            // Ticking in hours, midnight is a major tick, which the auto-skip keeps (set per range below).
            major: { enabled: false },
            callback(value) {
              return formatAxisTime(Number(value), this.max - this.min);
            },
          },
          grid: { color: colours.grid },
        },
        y: {
          // One width for every chart of a stack, so their time axes line up pixel for pixel.
          afterFit: (scale) => {
            scale.width = 64;
          },
          ...valueAxis(colours),
        },
      },
      plugins: {
        ...linePlugins(colours),
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
    plugins: [
      { id: 'gpuz-drawn', afterRender: () => options.onDrawn() },
      crosshairPlugin,
      {
        id: 'gpuz-leave',
        afterEvent: (_c, args) => {
          if (args.event.type === 'mouseout') options.onHover?.(null);
        },
      } satisfies Plugin<'line'>,
    ],
  });

  function report({ chart: c }: { chart: Chart }): void {
    const x = c.scales.x!;
    options.onZoom(Math.round(x.min), Math.round(x.max));
  }

  function nearestIndex(t: number): number {
    const data = chart.data.datasets.at(-1)?.data ?? [];
    let best = -1;
    let distance = Number.POSITIVE_INFINITY;
    for (let i = 0; i < data.length; i++) {
      const point = data[i]!;
      if (point.y === null) continue;
      const d = Math.abs(point.x - t);
      if (d < distance) {
        distance = d;
        best = i;
      }
    }
    return best;
  }

  return {
    crosshair(t) {
      crosshairAt = t;
      const index = t === null ? -1 : nearestIndex(t);
      const datasetIndex = chart.data.datasets.length - 1;
      const active = index >= 0 && datasetIndex >= 0 ? [{ datasetIndex, index }] : [];
      chart.setActiveElements(active);
      chart.tooltip?.setActiveElements(active, { x: 0, y: 0 });
      chart.update('none');
    },
    draw(series, range, drawOptions = {}) {
      const points = (values: (number | null)[]): Point[] =>
        series.t.map((x, i) => ({ x, y: values[i] ?? null }));
      const datasets: ChartDataset<'line', Point[]>[] = [];
      const label = formatSeriesName(series.name, series.unit);
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
      const unit = axisTimeUnit(range.to - range.from);
      (x as { time: { unit: typeof unit } }).time.unit = unit;
      (x.ticks as { major: { enabled: boolean } }).major.enabled = unit === 'hour';
      (x.ticks as { display: boolean }).display = drawOptions.timeAxis ?? true;
      const y = chart.options.scales!.y as { title: { text: string } };
      y.title.text = series.unit || 'value';
      chart.update('none');
    },
    destroy: () => chart.destroy(),
  };
}
