import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alerts.js';
import { alertTimeline, announcement, mergeAlerts, orderAlerts } from './alertsPanel.js';

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 1,
    kind: 'daqi_high',
    deviceId: 'aq-001',
    message: 'Air quality High at High Street: DAQI 8 from NO₂ (indicative, from a single reading).',
    value: 8,
    since: '2026-11-22T14:01:00.000Z',
    raisedAt: '2026-11-22T14:02:00.000Z',
    clearedAt: null,
    occurrences: 1,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    ...overrides,
  };
}

describe('alerts on the page', () => {
  it('keeps the most advanced copy of each alert, whichever order the broadcasts arrive in', () => {
    const acknowledged = alert({ acknowledgedAt: '2026-11-22T14:05:00.000Z' });
    const late = mergeAlerts(mergeAlerts(new Map(), [acknowledged]), [alert()]);
    expect(late.get(1)).toBe(acknowledged);
    const ended = alert({ clearedAt: '2026-11-22T14:09:00.000Z' });
    expect(mergeAlerts(new Map([[1, alert()]]), [ended]).get(1)).toBe(ended);
  });

  it('orders open before acknowledged before resolved, newest first', () => {
    const alerts = [
      alert({ id: 1, resolvedAt: '2026-11-22T15:00:00.000Z' }),
      alert({ id: 2, acknowledgedAt: '2026-11-22T15:00:00.000Z' }),
      alert({ id: 3, raisedAt: '2026-11-22T13:00:00.000Z' }),
      alert({ id: 4 }),
    ];
    expect(orderAlerts(alerts).map((a) => a.id)).toEqual([4, 3, 2, 1]);
  });

  it('says in UK time when it was raised, ended, acknowledged and resolved', () => {
    expect(alertTimeline(alert())).toBe('Raised 14:02 · still holding');
    // 22 November is GMT; a July alert reads in BST.
    expect(alertTimeline(alert({ raisedAt: '2026-07-01T09:30:00.000Z', clearedAt: '2026-07-01T09:45:00.000Z', occurrences: 3, acknowledgedAt: '2026-07-01T09:40:00.000Z' }))).toBe(
      'Raised 10:30 · ended 10:45 · happened 3 times · acknowledged 10:40',
    );
  });

  it('announces only alerts that are new', () => {
    const known = new Map([[1, alert()]]);
    expect(announcement(known, [alert({ acknowledgedAt: '2026-11-22T14:05:00.000Z' })])).toBeNull();
    expect(announcement(known, [alert({ id: 2, message: 'Station Road monitor has sent nothing for over 30 min.' })])).toBe(
      'New alert: Station Road monitor has sent nothing for over 30 min.',
    );
  });
});
