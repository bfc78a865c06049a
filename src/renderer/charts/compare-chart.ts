/**
 * Runs overlaid, aligned at their start (x = minutes since each run began), one line per run:
 *   const chart = createCompareChart(canvas); chart.draw([{ label: 'Run 1', minutes: [0, 0.02, …], values }], '°C')
 */
import type { Chart } from 'chart.js';
import { chartClass, LINE_CHART_BASE, linePlugins, themeColours, valueAxis } from './setup';

export interface CompareRun {
  label: string;
  minutes: number[];
  values: (number | null)[];
}

const PALETTE = ['#4c9aff', '#f5a524', '#36b37e', '#e5534b', '#a371f7', '#2ec4b6'];

export function createCompareChart(canvas: HTMLCanvasElement) {
  const colours = themeColours();
  const chart: Chart<'line', { x: number; y: number | null }[]> = new (chartClass())(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      ...LINE_CHART_BASE,
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: 'minutes since the run started', color: colours.text },
          ticks: { color: colours.text },
          grid: { color: colours.grid },
        },
        y: valueAxis(colours),
      },
      plugins: linePlugins(colours),
    },
  });
  return {
    draw(runs: CompareRun[], unit: string): void {
      chart.data.datasets = runs.map((run, i) => ({
        label: run.label,
        data: run.minutes.map((x, k) => ({ x, y: run.values[k] ?? null })),
        borderColor: PALETTE[i % PALETTE.length]!,
        borderWidth: 1.5,
        pointRadius: 0,
      }));
      (chart.options.scales!.y as { title: { text: string } }).title.text = unit || 'value';
      chart.update('none');
      canvas.dataset.runs = String(runs.length);
    },
    destroy: () => chart.destroy(),
  };
}
