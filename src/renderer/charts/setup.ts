/**
 * Chart.js with only what the dashboard uses (tree-shaken), the date-fns time adapter, decimation and
 * zoom/pan (hammerjs gives pan on touch screens). Registered once per page by the first chart.
 */
import 'chartjs-adapter-date-fns';
import 'hammerjs';
import {
  Chart,
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

/** Colours from the CSS theme, so charts follow dark/light. */
export function themeColours(): { text: string; grid: string; line: string; band: string } {
  const css = getComputedStyle(document.documentElement);
  const read = (name: string) => css.getPropertyValue(name).trim();
  return { text: read('--muted'), grid: read('--border'), line: read('--accent'), band: read('--band') };
}
