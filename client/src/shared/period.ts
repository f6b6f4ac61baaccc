/**
 * The periods the store's pages ask for (the ward comparison and the briefings take the same query):
 * the last 7, 30 or 365 whole days, or `custom` with `from` and `to` (YYYY-MM-DD).
 */

export const PERIOD_PRESETS = ['7d', '30d', '365d'] as const;
export const PERIODS = [...PERIOD_PRESETS, 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export type PeriodChoice = (typeof PERIODS)[number];

/** How the period radios name each preset. */
export const PERIOD_LABELS: Readonly<Record<PeriodPreset, string>> = { '7d': 'Last 7 days', '30d': 'Last 30 days', '365d': 'Last 365 days' };
