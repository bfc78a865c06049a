/**
 * A cost estimate as a plain-text table for terminals (the `estimate` command and `upload --estimate`).
 *
 *   formatEstimateTable(estimateMonthlyCost({ intervalMs: 300_000, regime: 'none' }))
 *   → "service                 usage        allowance  % used  cost\n S3 PUT/COPY/POST/LIST  17,280 …"
 */

import { formatCount } from '../plural';
import { formatDuration } from './duration';
import type { CostEstimate, ServiceLine } from './estimate';
import { smallestIntervalForBudget } from './interval';
import { listPriceSources } from './prices';

export interface FormatOptions {
  /** The PUT-class budget for the "smallest safe interval" line (default 2,000). */
  putBudget?: number;
  /** Extra lines shown above the sources (regime warnings, what the Free Tier API said …). */
  notes?: string[];
  /** The one cost answer's smallest safe interval (answer.ts); without it, estimated from this month's LISTs. */
  smallestIntervalMinutes?: number | null;
}

/** The smallest interval within the budget for this estimate's month, hosts, PUTs per batch and LISTs. */
export function safeIntervalFor(estimate: CostEstimate, putBudget = 2000): number {
  return smallestIntervalForBudget({
    putBudget,
    monthDays: estimate.usage.monthDays,
    putsPerBatch: estimate.usage.putsPerBatch,
    hosts: estimate.usage.hosts,
    // Requests that do not scale with the interval (dashboard LISTs, the daily copy, the day seals) come off first.
    dashboardListsPerMonth: estimate.usage.s3PutClass.lists + estimate.usage.s3PutClass.analytics,
    putsPerDay: estimate.usage.s3PutClass.daySeal / (estimate.usage.hosts * estimate.usage.monthDays),
  });
}

export function formatEstimateTable(estimate: CostEstimate, options: FormatOptions = {}): string {
  const budget = options.putBudget ?? 2000;
  const header = ['service', 'usage', 'allowance', '% used', 'cost'];
  const rows = estimate.services.map(formatLine);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const render = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  const u = estimate.usage;
  const lines = [
    `Monthly estimate: ${estimate.region}, Lambda ${estimate.arch}, regime "${estimate.regime}", ` +
      `${u.monthDays}-day month, ${u.hosts} host(s), ${u.batchesPerHost.toLocaleString('en-US')} batches per host` +
      (u.historyMonths > 0 ? `, storage of ${u.historyMonths} month(s) stored before it` : ''),
    '',
    render(header),
    rule,
    ...rows.map(render),
    rule,
    render(['total after free allowances', '', '', '', usd(estimate.total)]),
  ];
  if (estimate.creditsConsumed !== undefined) {
    lines.push(render(['drawn from credits', '', '', '', usd(estimate.creditsConsumed)]));
    lines.push(render(['billed to the card', '', '', '', usd(estimate.billed)]));
  }
  const safe =
    options.smallestIntervalMinutes === undefined
      ? safeIntervalFor(estimate, budget)
      : (options.smallestIntervalMinutes ?? Number.POSITIVE_INFINITY);
  lines.push(
    '',
    `PUT-class requests: ${count(u.s3PutClass.total)} = ${count(u.batches)} batches × ${u.putsPerBatch} PUTs + ` +
      `${count(u.s3PutClass.daySeal)} for the day seals (LIST + PUT per host and day) + ` +
      `${count(u.s3PutClass.lists)} dashboard LISTs (LIST is billed as PUT-class)`,
    Number.isFinite(safe)
      ? `Smallest interval within ${count(budget)} PUT-class requests this month: ${safe} minutes (${formatDuration(
          safe * 60_000,
        )})`
      : `No interval keeps this month within ${count(budget)} PUT-class requests: the dashboard's LISTs alone use it up.`,
  );
  if (options.notes?.length) lines.push('', ...options.notes);
  lines.push('', 'Prices (USD, list price, first tier):');
  for (const s of listPriceSources(estimate.prices)) {
    const flag = s.unverified > 0 ? ` (${s.unverified} regional figure(s) not re-confirmed that day)` : '';
    lines.push(`  checked ${s.checked}: ${s.source}${flag}`);
  }
  return lines.join('\n');
}

function formatLine(l: ServiceLine): string[] {
  return [
    l.service,
    `${amount(l.usage)} ${l.unit}`,
    l.allowance > 0 ? amount(l.allowance) : '-',
    l.percentUsed === null
      ? '-'
      : `${l.percentUsed < 10 ? l.percentUsed.toFixed(1) : Math.round(l.percentUsed)}%`,
    usd(l.cost),
  ];
}

const count = formatCount;

/** Whole numbers with separators; small fractional quantities (GB, GB-s) with four significant digits. */
function amount(n: number): string {
  if (Number.isInteger(n) || Math.abs(n) >= 1000) return count(n);
  if (n === 0) return '0';
  return Number(n.toPrecision(4)).toString();
}

/**
 * USD as every surface shows it (terminal table, Costs view, Settings hint, tray): four decimals below a dollar so a
 * cent-sized month is not rounded to "$0.00", two above; "$0.00" only for exactly nothing.
 *   formatUsd(0.011) → '$0.0110'   formatUsd(0.00002) → '< $0.0001'   formatUsd(12.345) → '$12.35'   formatUsd(0) → '$0.00'
 */
export function formatUsd(n: number): string {
  if (n === 0) return '$0.00';
  if (n > 0 && n < 0.0001) return '< $0.0001';
  return `$${n.toFixed(Math.abs(n) < 1 ? 4 : 2)}`;
}

/**
 * Hours of logging a day as the Costs view and `gpuz-cloud estimate` say them: to a tenth below 10, whole from 10 —
 * but never a whole 24 short of it (the view calls 23.95 and more "around the clock", beside its price: 23.9 hours
 * said "24 h" stood beside a dearer "around the clock").
 *   formatHours(2.75) → '2.8 h'   formatHours(13.5) → '14 h'   formatHours(23.9) → '23.9 h'
 */
export function formatHours(hours: number): string {
  const whole = hours >= 9.95 && (hours < 23.5 || hours >= 23.95);
  return `${whole ? Math.round(hours) : hours.toFixed(1)} h`;
}

const usd = formatUsd;
