import { HEALTH_TEXT, formatSilence, type DeviceHealth } from '../../core/deviceHealth.js';
import { HOUR_MS } from '../../core/londonTime.js';

/**
 * The selected device's health now and its data completeness over the last 24 hours, from the
 * store's quality API (docs/api.md, Data quality): how much of what it should have sent arrived,
 * and how much of that arrived on time. Fetched when the selection changes and every 5 minutes; an
 * answer for an earlier selection is dropped.
 */

interface Share {
  received: number;
  percent: number | null;
}

/** What the panel reads of `GET /api/v1/devices/{id}/quality`. */
export interface QualityAnswer {
  completeness: Share & { expected: number };
  timeliness: Share & { onTime: number };
}

const REFRESH_MS = 5 * 60_000;
const WHOLE = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const PERCENT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** "92 % of expected readings (1,325 of 1,440); 98 % arrived within 15 minutes." */
export function completenessText(answer: QualityAnswer): string {
  const { completeness, timeliness } = answer;
  if (completeness.expected === 0) return 'Nothing was expected in the last 24 hours.';
  const share = `${PERCENT.format(completeness.percent ?? 0)} % of expected readings (${WHOLE.format(completeness.received)} of ${WHOLE.format(completeness.expected)})`;
  const onTime = timeliness.percent === null ? '' : `; ${PERCENT.format(timeliness.percent)} % arrived within 15 minutes`;
  return `${share}${onTime}.`;
}

/** "Reporting", "Late: silent 4 min (expected every 1 min)", "Offline: silent 2 h". */
export function healthText(health: DeviceHealth | undefined, expectedIntervalS: number): string {
  if (!health || health.state === 'no_data') return HEALTH_TEXT.no_data;
  if (health.state === 'reporting' || health.silentForS === null) return HEALTH_TEXT.reporting;
  return `${HEALTH_TEXT[health.state]}: silent ${formatSilence(health.silentForS)} (expected every ${formatSilence(expectedIntervalS)})`;
}

export interface DeviceQuality {
  element: HTMLElement;
  show(device: { id: string; expectedIntervalS: number } | undefined, health: DeviceHealth | undefined): void;
}

export function createDeviceQuality(): DeviceQuality {
  const element = document.createElement('dl');
  element.className = 'details device-quality';
  const healthValue = document.createElement('dd');
  const completenessValue = document.createElement('dd');
  const healthTerm = Object.assign(document.createElement('dt'), { textContent: 'Reporting now' });
  const completenessTerm = Object.assign(document.createElement('dt'), { textContent: 'Data completeness, last 24 hours' });
  element.append(healthTerm, healthValue, completenessTerm, completenessValue);
  let shownId: string | undefined;
  let fetchedAt = 0;
  let controller: AbortController | undefined;

  const load = (id: string) => {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    fetchedAt = Date.now();
    const to = Math.ceil(Date.now() / HOUR_MS) * HOUR_MS;
    const query = new URLSearchParams({ from: new Date(to - 24 * HOUR_MS).toISOString(), to: new Date(to).toISOString() });
    completenessValue.textContent = 'Loading…';
    fetch(`/api/v1/devices/${encodeURIComponent(id)}/quality?${query}`, { headers: { accept: 'application/json' }, signal: mine.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return (await response.json()) as QualityAnswer;
      })
      .then(
        (answer) => {
          if (shownId === id) completenessValue.textContent = completenessText(answer);
        },
        (error: unknown) => {
          if (!mine.signal.aborted && shownId === id) completenessValue.textContent = `Not available (${(error as Error).message}).`;
        },
      );
  };

  return {
    element,
    show(device, health) {
      if (!device) {
        shownId = undefined;
        controller?.abort();
        return;
      }
      const text = healthText(health, device.expectedIntervalS);
      if (healthValue.textContent !== text) healthValue.textContent = text;
      if (device.id !== shownId || Date.now() - fetchedAt > REFRESH_MS) {
        shownId = device.id;
        load(device.id);
      }
    },
  };
}
