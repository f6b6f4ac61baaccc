import { ALERT_KIND_TEXT, alertState, type Alert, type AlertState } from '../../core/alerts.js';

/**
 * The operators' alert list: unresolved alerts first (open before acknowledged, newest first), each
 * with what happened, when, whether the condition still holds, and buttons to acknowledge, resolve
 * and show the device. Resolved alerts of the last day sit in a collapsed list underneath.
 */

const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
const STATE_TEXT: Readonly<Record<AlertState, string>> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };
const STATE_ORDER: Readonly<Record<AlertState, number>> = { open: 0, acknowledged: 1, resolved: 2 };

/** Newest-wins merge of alerts by id: an older copy (a late broadcast) never replaces a newer one. */
export function mergeAlerts(current: ReadonlyMap<number, Alert>, incoming: readonly Alert[]): Map<number, Alert> {
  const next = new Map(current);
  for (const alert of incoming) {
    const known = next.get(alert.id);
    if (!known || progress(alert) >= progress(known)) next.set(alert.id, alert);
  }
  return next;
}

// How far an alert has gone: resolved beats acknowledged beats open; among equals, the later change.
function progress(alert: Alert): number {
  const latest = Math.max(...[alert.raisedAt, alert.clearedAt, alert.acknowledgedAt, alert.resolvedAt, alert.since].map((t) => (t === null ? 0 : Date.parse(t))));
  return STATE_ORDER[alertState(alert)] * 1e15 + latest;
}

export function orderAlerts(alerts: Iterable<Alert>): Alert[] {
  return [...alerts].sort((a, b) => STATE_ORDER[alertState(a)] - STATE_ORDER[alertState(b)] || Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || b.id - a.id);
}

/** "Raised 14:02 · still holding", "Raised 14:02 · ended 14:10 · happened 3 times". */
export function alertTimeline(alert: Alert): string {
  const parts = [`Raised ${TIME.format(new Date(alert.raisedAt))}`];
  parts.push(alert.clearedAt === null ? 'still holding' : `ended ${TIME.format(new Date(alert.clearedAt))}`);
  if (alert.occurrences > 1) parts.push(`happened ${alert.occurrences} times`);
  if (alert.acknowledgedAt !== null) parts.push(`acknowledged ${TIME.format(new Date(alert.acknowledgedAt))}${alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : ''}`);
  if (alert.resolvedAt !== null) parts.push(`resolved ${TIME.format(new Date(alert.resolvedAt))}${alert.resolvedBy ? ` by ${alert.resolvedBy}` : ''}`);
  return parts.join(' · ');
}

export interface AlertActions {
  acknowledge(id: number): void;
  resolve(id: number): void;
  showDevice(deviceId: string): void;
}

function button(text: string, label: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.setAttribute('aria-label', label);
  element.addEventListener('click', onClick);
  return element;
}

function alertItem(alert: Alert, actions: AlertActions, deviceName: string): HTMLLIElement {
  const state = alertState(alert);
  const item = document.createElement('li');
  item.className = 'alert';
  item.dataset.state = state;
  item.dataset.alertId = String(alert.id);
  const title = document.createElement('p');
  title.className = 'alert-title';
  const kind = document.createElement('strong');
  kind.textContent = ALERT_KIND_TEXT[alert.kind];
  const badge = document.createElement('span');
  badge.className = 'alert-state';
  badge.textContent = STATE_TEXT[state];
  title.append(kind, ' ', badge);
  const message = document.createElement('p');
  message.textContent = alert.message;
  const timeline = document.createElement('p');
  timeline.className = 'alert-timeline';
  timeline.textContent = alertTimeline(alert);
  const buttons = document.createElement('div');
  buttons.className = 'alert-actions';
  const what = `${ALERT_KIND_TEXT[alert.kind]} at ${deviceName}`;
  if (state === 'open') buttons.append(button('Acknowledge', `Acknowledge: ${what}`, () => actions.acknowledge(alert.id)));
  if (state !== 'resolved') buttons.append(button('Resolve', `Resolve: ${what}`, () => actions.resolve(alert.id)));
  buttons.append(button('Show device', `Show device: ${deviceName}`, () => actions.showDevice(alert.deviceId)));
  item.append(title, message, timeline, buttons);
  return item;
}

/**
 * Redraws the list. The element that had the keyboard focus is focused again afterwards if it still
 * exists (by alert and button text), so acknowledging from the keyboard does not lose the place.
 */
export function renderAlerts(container: HTMLElement, alerts: ReadonlyMap<number, Alert>, actions: AlertActions, deviceName: (id: string) => string): void {
  const focused = document.activeElement instanceof HTMLButtonElement && container.contains(document.activeElement)
    ? { id: document.activeElement.closest<HTMLElement>('[data-alert-id]')?.dataset.alertId, text: document.activeElement.textContent }
    : undefined;
  const ordered = orderAlerts(alerts.values());
  const unresolved = ordered.filter((alert) => alert.resolvedAt === null);
  const resolved = ordered.filter((alert) => alert.resolvedAt !== null);
  const summary = document.createElement('p');
  summary.className = 'alert-summary';
  const open = unresolved.filter((alert) => alert.acknowledgedAt === null).length;
  summary.textContent = unresolved.length === 0 ? 'No unresolved alerts.' : `${unresolved.length} unresolved (${open} not yet acknowledged).`;
  const list = document.createElement('ul');
  list.className = 'alert-list';
  for (const alert of unresolved) list.append(alertItem(alert, actions, deviceName(alert.deviceId)));
  const parts: HTMLElement[] = [summary, list];
  if (resolved.length > 0) {
    const details = document.createElement('details');
    const title = document.createElement('summary');
    title.textContent = `Resolved in the last day (${resolved.length})`;
    const done = document.createElement('ul');
    done.className = 'alert-list';
    for (const alert of resolved) done.append(alertItem(alert, actions, deviceName(alert.deviceId)));
    const wasOpen = container.querySelector('details')?.open ?? false;
    details.open = wasOpen;
    details.append(title, done);
    parts.push(details);
  }
  container.replaceChildren(...parts);
  if (focused?.id !== undefined) {
    const again = [...container.querySelectorAll<HTMLButtonElement>(`[data-alert-id="${focused.id}"] button`)].find((b) => b.textContent === focused.text)
      ?? container.querySelector<HTMLButtonElement>(`[data-alert-id="${focused.id}"] button`);
    again?.focus();
  }
}

/** A sentence for the screen-reader announcement of newly raised alerts, or null if none is new. */
export function announcement(before: ReadonlyMap<number, Alert>, incoming: readonly Alert[]): string | null {
  const fresh = incoming.filter((alert) => !before.has(alert.id) && alert.resolvedAt === null);
  if (fresh.length === 0) return null;
  return fresh.length === 1 ? `New alert: ${(fresh[0] as Alert).message}` : `${fresh.length} new alerts. The first: ${(fresh[0] as Alert).message}`;
}
