import { linearScale, niceStep } from '../chartGeometry.js';
import type { CompareResponse, Comparison } from './compareResponse.js';
import { decimalsFor, formatNumber, formatSigned, withUnit } from './format.js';
import { escapeHtml } from '../shared/html.js';

/**
 * The server's comparisons as it words them, each with, when it could be worked out, a small picture
 * of the difference and its 95% interval against a zero line. Every picture shares one scale, so
 * their widths can be compared by eye.
 */

type Supported = Comparison & { difference: number; low: number; high: number };

function supported(comparison: Comparison): comparison is Supported {
  return comparison.supported && comparison.difference !== null && comparison.low !== null && comparison.high !== null;
}

/** A scale symmetric about zero that holds every interval, ending on a round number. */
export function intervalDomain(comparisons: readonly Comparison[]): [number, number] {
  const reach = Math.max(0, ...comparisons.filter(supported).flatMap((item) => [Math.abs(item.low), Math.abs(item.high), Math.abs(item.difference)]));
  if (reach === 0) return [-1, 1];
  const step = niceStep(reach, 2);
  const end = Math.ceil(reach / step - 1e-9) * step;
  return [-end, end];
}

/** Whether the interval leaves zero out: then the difference is unlikely to be chance. */
export function excludesZero(comparison: Pick<Supported, 'low' | 'high'>): boolean {
  return comparison.low > 0 || comparison.high < 0;
}

export function intervalLabel(comparison: Supported, nameA: string, nameB: string, response: Pick<CompareResponse, 'metric' | 'unit'>): string {
  const decimals = decimalsFor(response.metric);
  const difference = withUnit(formatSigned(comparison.difference, decimals), response.unit);
  const interval = `${formatNumber(comparison.low, decimals)} to ${formatNumber(comparison.high, decimals)}`;
  const zero = excludesZero(comparison) ? 'the interval does not include zero' : 'the interval includes zero, so the two may not differ';
  return `${nameA} minus ${nameB}: ${difference}, 95% interval ${interval}; ${zero}.`;
}

export function intervalSvg(comparison: Supported, domain: [number, number], label: string, unit: string, metric: CompareResponse['metric'], width = 320): string {
  const height = 56;
  const x = linearScale(domain, [12, width - 12]);
  const round = (value: number) => Math.round(value * 10) / 10;
  const mid = 22;
  const ticks = [domain[0], 0, domain[1]]
    .map((tick) => {
      const at = round(x(tick));
      const text = tick === 0 ? '0' : withUnit(formatSigned(tick, Number.isInteger(tick) ? 0 : decimalsFor(metric)), unit);
      const anchor = tick < 0 ? 'start' : tick > 0 ? 'end' : 'middle';
      const tx = tick < 0 ? at - 10 : tick > 0 ? at + 10 : at;
      return `<line x1="${at}" x2="${at}" y1="${mid + 12}" y2="${mid + 17}" stroke="#0b0c0c"/><text x="${tx}" y="${height - 4}" font-size="13" text-anchor="${anchor}" fill="#0b0c0c">${escapeHtml(text)}</text>`;
    })
    .join('');
  const [low, high, point] = [round(x(comparison.low)), round(x(comparison.high)), round(x(comparison.difference))];
  return (
    `<svg class="app-interval" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}" font-family="inherit">` +
    `<line x1="${round(x(domain[0]))}" x2="${round(x(domain[1]))}" y1="${mid + 12}" y2="${mid + 12}" stroke="#0b0c0c"/>` +
    `<line x1="${round(x(0))}" x2="${round(x(0))}" y1="4" y2="${mid + 12}" stroke="#505a5f" stroke-dasharray="3 2"/>` +
    `<line x1="${low}" x2="${high}" y1="${mid}" y2="${mid}" stroke="#0b0c0c" stroke-width="3"/>` +
    `<line x1="${low}" x2="${low}" y1="${mid - 7}" y2="${mid + 7}" stroke="#0b0c0c" stroke-width="2"/><line x1="${high}" x2="${high}" y1="${mid - 7}" y2="${mid + 7}" stroke="#0b0c0c" stroke-width="2"/>` +
    `<circle cx="${point}" cy="${mid}" r="6" fill="#1d70b8" stroke="#0b0c0c" stroke-width="1.5"/>` +
    ticks +
    `</svg>`
  );
}

export function comparisonsHtml(response: CompareResponse): string {
  if (response.comparisons.length === 0) return '';
  const names = new Map(response.wards.map((ward) => [ward.code, ward.name]));
  const domain = intervalDomain(response.comparisons);
  const items = response.comparisons.map((comparison, i) => {
    const graphic = supported(comparison)
      ? `<div class="app-interval-wrap">${intervalSvg(comparison, domain, intervalLabel(comparison, names.get(comparison.a) ?? comparison.a, names.get(comparison.b) ?? comparison.b, response), response.unit, response.metric)}</div>`
      : '';
    return `<div class="govuk-inset-text app-comparison" id="comparison-${i}" data-a="${escapeHtml(comparison.a)}" data-b="${escapeHtml(comparison.b)}" data-supported="${comparison.supported}"><p class="govuk-body app-comparison__sentence">${escapeHtml(comparison.sentence)}</p>${graphic}</div>`;
  });
  const explain = response.comparisons.some(supported)
    ? '<p class="govuk-body-s">In each picture the dot is the difference (first ward minus the other) and the bar its 95% interval; the dashed line is no difference. When the bar crosses it, the two wards may not really differ.</p>'
    : '';
  return items.join('') + explain;
}
