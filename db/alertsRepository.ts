import type { Alert, AlertCheck, AlertKind } from '../core/alerts.js';
import type { Queryable } from './pool.js';

/**
 * The alerts table (migration 0009). Each statement decides in the database, so several server
 * processes that see the same reading raise, re-open or end an alert once between them: whichever
 * statement changes the row gets it back, the others get nothing.
 */

interface AlertRow {
  id: string;
  kind: AlertKind;
  device_id: string;
  message: string;
  value: number | null;
  since: Date;
  raised_at: Date;
  cleared_at: Date | null;
  occurrences: number;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
}

/** The newest alert of a condition (a device and kind): whether its condition still holds. */
export interface ConditionState {
  kind: AlertKind;
  deviceId: string;
  /** The condition had started and not ended when last seen. */
  holds: boolean;
}

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

function toAlert(row: AlertRow): Alert {
  return {
    id: Number(row.id),
    kind: row.kind,
    deviceId: row.device_id,
    message: row.message,
    value: row.value,
    since: row.since.toISOString(),
    raisedAt: row.raised_at.toISOString(),
    clearedAt: iso(row.cleared_at),
    occurrences: row.occurrences,
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: iso(row.resolved_at),
    resolvedBy: row.resolved_by,
  };
}

export type AlertChangeResult = { outcome: 'changed'; alert: Alert } | { outcome: 'not_found' } | { outcome: 'already'; alert: Alert };

export class AlertsRepository {
  constructor(private readonly db: Queryable) {}

  /** Every condition's state, from its newest alert. */
  async conditions(): Promise<ConditionState[]> {
    const result = await this.db.query<{ kind: AlertKind; device_id: string; holds: boolean }>(
      `SELECT DISTINCT ON (kind, device_id) kind, device_id, cleared_at IS NULL AS holds FROM alerts ORDER BY kind, device_id, id DESC`,
    );
    return result.rows.map((row) => ({ kind: row.kind, deviceId: row.device_id, holds: row.holds }));
  }

  /**
   * The condition has started: raise an alert, or re-open the unresolved one whose condition had
   * ended. Nothing happens while the condition is already known to hold (even if an operator has
   * resolved its alert meanwhile). Returns the alert only if this call changed it.
   */
  async start(check: AlertCheck): Promise<Alert | undefined> {
    const result = await this.db.query<AlertRow>(
      `WITH latest AS (
         SELECT id, cleared_at, resolved_at FROM alerts WHERE kind = $1 AND device_id = $2 ORDER BY id DESC LIMIT 1
       ), reopened AS (
         UPDATE alerts a SET cleared_at = NULL, occurrences = a.occurrences + 1, since = $5, value = $4, message = $3
         FROM latest WHERE a.id = latest.id AND latest.resolved_at IS NULL AND a.cleared_at IS NOT NULL AND a.resolved_at IS NULL
         RETURNING a.*
       ), raised AS (
         INSERT INTO alerts (kind, device_id, message, value, since)
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM latest WHERE cleared_at IS NULL OR resolved_at IS NULL)
         ON CONFLICT (kind, device_id) WHERE resolved_at IS NULL DO NOTHING
         RETURNING *
       )
       SELECT * FROM reopened UNION ALL SELECT * FROM raised`,
      [check.kind, check.deviceId, check.message, check.value, check.at],
    );
    return result.rows[0] ? toAlert(result.rows[0]) : undefined;
  }

  /** The condition has ended: record when on its newest alert. Returns the alert if this call did. */
  async end(kind: AlertKind, deviceId: string, at: string): Promise<Alert | undefined> {
    const result = await this.db.query<AlertRow>(
      `UPDATE alerts SET cleared_at = greatest($3::timestamptz, since)
       WHERE id = (SELECT id FROM alerts WHERE kind = $1 AND device_id = $2 ORDER BY id DESC LIMIT 1) AND cleared_at IS NULL
       RETURNING *`,
      [kind, deviceId, at],
    );
    return result.rows[0] ? toAlert(result.rows[0]) : undefined;
  }

  async get(id: number): Promise<Alert | undefined> {
    const result = await this.db.query<AlertRow>(`SELECT * FROM alerts WHERE id = $1`, [id]);
    return result.rows[0] ? toAlert(result.rows[0]) : undefined;
  }

  /** Unresolved alerts and those resolved since `resolvedSince`, newest first, at most `limit`. */
  async current(resolvedSince: Date, limit: number): Promise<Alert[]> {
    const result = await this.db.query<AlertRow>(
      `SELECT * FROM alerts WHERE resolved_at IS NULL OR resolved_at >= $1 ORDER BY (resolved_at IS NULL) DESC, raised_at DESC, id DESC LIMIT $2`,
      [resolvedSince, limit],
    );
    return result.rows.map(toAlert);
  }

  /** An operator has seen it. Only an unresolved, unacknowledged alert can be acknowledged. */
  acknowledge(id: number, by: string | null): Promise<AlertChangeResult> {
    return this.change(id, `acknowledged_at = now(), acknowledged_by = $2`, `acknowledged_at IS NULL AND resolved_at IS NULL`, by);
  }

  /** An operator has dealt with it. */
  resolve(id: number, by: string | null): Promise<AlertChangeResult> {
    return this.change(id, `resolved_at = now(), resolved_by = $2`, `resolved_at IS NULL`, by);
  }

  private async change(id: number, set: string, when: string, by: string | null): Promise<AlertChangeResult> {
    const result = await this.db.query<AlertRow>(`UPDATE alerts SET ${set} WHERE id = $1 AND ${when} RETURNING *`, [id, by]);
    if (result.rows[0]) return { outcome: 'changed', alert: toAlert(result.rows[0]) };
    const alert = await this.get(id);
    return alert ? { outcome: 'already', alert } : { outcome: 'not_found' };
  }
}
