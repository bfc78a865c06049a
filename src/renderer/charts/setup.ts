/**
 * Chart.js with only what the dashboard uses (tree-shaken), the date-fns time adapter, decimation and
 * zoom/pan (hammerjs gives pan on touch screens). Registered once per page by the first chart.
 */
import 'chartjs-adapter-date-fns';
import 'hammerjs';
import {
  Chart,
  type ChartOptions,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  TimeScale,
  Tooltip,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';

let registered = false;

export function chartClass(): typeof Chart {
  if (!registered) {
    Chart.register(
      LineController,
      LineElement,
      PointElement,
      LinearScale,
      TimeScale,
      Filler,
      Tooltip,
      Legend,
      Decimation,
      zoomPlugin,
    );
    registered = true;
  }
  return Chart;
}

export type ThemeColours = { text: string; grid: string; line: string; band: string };

/** Colours from the CSS theme, so charts follow dark/light. */
export function themeColours(): ThemeColours {
  const css = getComputedStyle(document.documentElement);
  const read = (name: string) => css.getPropertyValue(name).trim();
  return { text: read('--muted'), grid: read('--border'), line: read('--accent'), band: read('--band') };
}

/**
 * The options every line chart of the dashboard shares: drawn at once (no animation), data already as {x, y} points,
 * gaps between sessions kept visible, the tooltip on the nearest point along x.
 */
export const LINE_CHART_BASE = {
  animation: false,
  parsing: false,
  normalized: true,
  responsive: true,
  maintainAspectRatio: false,
  spanGaps: false,
  interaction: { mode: 'nearest', axis: 'x', intersect: false },
} as const satisfies ChartOptions<'line'>;

/** The value (y) axis of a line chart in the theme's colours; the chart writes its unit into the title. */
export function valueAxis(colours: ThemeColours) {
  return {
    ticks: { color: colours.text },
    grid: { color: colours.grid },
    title: { display: true, color: colours.text },
  };
}

/** The legend in the theme's colours, and long series thinned to each pixel's min and max (decimation). */
export function linePlugins(colours: ThemeColours) {
  return {
    legend: { labels: { color: colours.text } },
    decimation: { enabled: true, algorithm: 'min-max' },
  } as const;
}
