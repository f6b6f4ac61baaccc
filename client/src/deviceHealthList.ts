import type { LocatedDevice } from '../../core/device.js';
import { HEALTH_TEXT, deviceHealth, formatSilence, type DeviceHealth, type HealthRules, type HealthState } from '../../core/deviceHealth.js';
import type { LiveState } from './liveState.js';

/**
 * Which devices are silent: each device's health from its newest reading and the clock
 * (core/deviceHealth.ts), and the list of those not reporting, worst first, for operators.
 */

export function healthOf(state: LiveState, rules: HealthRules, nowMs: number): Map<string, DeviceHealth> {
  const health = new Map<string, DeviceHealth>();
  for (const device of state.devices.values()) {
    const reading = state.latest.get(device.id);
    health.set(device.id, deviceHealth(device.expectedIntervalS, reading ? Date.parse(reading.time) : undefined, nowMs, rules));
  }
  return health;
}

const ORDER: Readonly<Record<HealthState, number>> = { offline: 0, late: 1, no_data: 2, reporting: 3 };

export interface SilentDevice {
  device: LocatedDevice;
  health: DeviceHealth;
  /** "Offline: nothing for 42 min", "Late: nothing for 3 min", "No reading yet". */
  text: string;
}

export function silentDevices(state: LiveState, health: ReadonlyMap<string, DeviceHealth>): SilentDevice[] {
  const silent: SilentDevice[] = [];
  for (const device of state.devices.values()) {
    const h = health.get(device.id);
    if (!h || h.state === 'reporting') continue;
    const text = h.silentForS === null ? HEALTH_TEXT[h.state] : `${HEALTH_TEXT[h.state]}: nothing for ${formatSilence(h.silentForS)}`;
    silent.push({ device, health: h, text });
  }
  return silent.sort((a, b) => ORDER[a.health.state] - ORDER[b.health.state] || (b.health.silentForS ?? 0) - (a.health.silentForS ?? 0) || a.device.name.localeCompare(b.device.name));
}

function silentList(entries: readonly SilentDevice[], onSelect: (id: string) => void, withText: boolean): HTMLUListElement {
  const list = document.createElement('ul');
  list.className = 'silent-list';
  for (const { device, health, text } of entries) {
    const item = document.createElement('li');
    item.dataset.health = health.state;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link-button';
    button.textContent = device.name;
    button.addEventListener('click', () => onSelect(device.id));
    item.append(button);
    if (withText) item.append(document.createTextNode(` — ${text}`));
    list.append(item);
  }
  return list;
}

/**
 * The silent devices, each a button that selects it: late and offline ones listed, those that have
 * never reported (a new installation, or the demo before its simulator starts) folded underneath.
 */
export function renderSilentDevices(container: HTMLElement, silent: readonly SilentDevice[], onSelect: (id: string) => void): void {
  const gone = silent.filter((entry) => entry.health.state !== 'no_data');
  const never = silent.filter((entry) => entry.health.state === 'no_data');
  const parts: HTMLElement[] = [];
  if (gone.length === 0) {
    const none = document.createElement('p');
    none.textContent = never.length === 0 ? 'Every device is reporting.' : 'Every device that has reported is reporting.';
    parts.push(none);
  } else {
    parts.push(silentList(gone, onSelect, true));
  }
  if (never.length > 0) {
    const details = document.createElement('details');
    details.open = container.querySelector('details')?.open ?? false;
    const summary = document.createElement('summary');
    summary.textContent = `No reading yet (${never.length} ${never.length === 1 ? 'device' : 'devices'})`;
    details.append(summary, silentList(never, onSelect, false));
    parts.push(details);
  }
  container.replaceChildren(...parts);
}
