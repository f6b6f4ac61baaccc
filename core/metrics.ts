/**
 * The metrics Smartplace stores. Each one is a column of the `readings` hypertable (wide rows, see
 * docs/adr/0003-wide-readings-rows.md), so adding a metric is a migration plus one entry here.
 *
 * Ranges are physical plausibility limits: a value outside them is a faulty sensor or a bad payload,
 * and the message is rejected with `ingest.out_of_range` rather than stored.
 */

export const AIR_QUALITY_METRICS = ['no2', 'pm25', 'pm10', 'o3', 'so2', 'temperature', 'humidity'] as const;

/** DfT count classes (the road traffic statistics' vehicle types) plus mean speed. */
export const TRAFFIC_COUNT_METRICS = [
  'pedal_cycles',
  'two_wheeled_motor_vehicles',
  'cars_and_taxis',
  'buses_and_coaches',
  'lgvs',
  'all_hgvs',
] as const;

export const TRAFFIC_METRICS = [...TRAFFIC_COUNT_METRICS, 'speed_kmh'] as const;

export const METRICS = [...AIR_QUALITY_METRICS, ...TRAFFIC_METRICS] as const;

export type AirQualityMetric = (typeof AIR_QUALITY_METRICS)[number];
export type TrafficCountMetric = (typeof TRAFFIC_COUNT_METRICS)[number];
export type Metric = (typeof METRICS)[number];

export interface MetricInfo {
  label: string;
  unit: string;
  min: number;
  max: number;
  /** Counts must be whole numbers. */
  integer: boolean;
}

export const METRIC_INFO: Readonly<Record<Metric, MetricInfo>> = {
  no2: { label: 'Nitrogen dioxide (NO₂)', unit: 'µg/m³', min: 0, max: 2000, integer: false },
  pm25: { label: 'Fine particles (PM2.5)', unit: 'µg/m³', min: 0, max: 1000, integer: false },
  pm10: { label: 'Particles (PM10)', unit: 'µg/m³', min: 0, max: 2000, integer: false },
  o3: { label: 'Ozone (O₃)', unit: 'µg/m³', min: 0, max: 1000, integer: false },
  so2: { label: 'Sulphur dioxide (SO₂)', unit: 'µg/m³', min: 0, max: 3000, integer: false },
  temperature: { label: 'Temperature', unit: '°C', min: -50, max: 60, integer: false },
  humidity: { label: 'Relative humidity', unit: '%', min: 0, max: 100, integer: false },
  pedal_cycles: { label: 'Pedal cycles', unit: 'vehicles', min: 0, max: 10_000, integer: true },
  two_wheeled_motor_vehicles: { label: 'Motorcycles', unit: 'vehicles', min: 0, max: 10_000, integer: true },
  cars_and_taxis: { label: 'Cars and taxis', unit: 'vehicles', min: 0, max: 10_000, integer: true },
  buses_and_coaches: { label: 'Buses and coaches', unit: 'vehicles', min: 0, max: 10_000, integer: true },
  lgvs: { label: 'Light goods vehicles', unit: 'vehicles', min: 0, max: 10_000, integer: true },
  all_hgvs: { label: 'Heavy goods vehicles', unit: 'vehicles', min: 0, max: 10_000, integer: true },
  speed_kmh: { label: 'Mean speed', unit: 'km/h', min: 0, max: 250, integer: false },
};

/** A partial record of metric values: a reading carries only what its device measures. */
export type MetricValues = Partial<Record<Metric, number>>;

/** Motor vehicles in DfT's sense: every class except pedal cycles. */
export function allMotorVehicles(values: MetricValues): number | undefined {
  let total = 0;
  let any = false;
  for (const metric of TRAFFIC_COUNT_METRICS) {
    if (metric === 'pedal_cycles') continue;
    const value = values[metric];
    if (value === undefined) continue;
    total += value;
    any = true;
  }
  return any ? total : undefined;
}

/** Whether the values hold any traffic count (which then needs the period it was counted over). */
export function hasTrafficCounts(values: MetricValues): boolean {
  return TRAFFIC_COUNT_METRICS.some((metric) => values[metric] !== undefined);
}

/** Vehicles per hour from a count over `periodSeconds`. */
export function hourlyFlow(count: number, periodSeconds: number): number {
  return (count * 3600) / periodSeconds;
}

export interface RangeProblem {
  metric: Metric;
  value: number;
  min: number;
  max: number;
  integer: boolean;
}

/** The first value outside its metric's physical range (or not whole where it must be), if any. */
export function findRangeProblem(values: MetricValues): RangeProblem | undefined {
  for (const [metric, value] of Object.entries(values) as [Metric, number][]) {
    const info = METRIC_INFO[metric];
    const wholeOk = !info.integer || Number.isInteger(value);
    if (!Number.isFinite(value) || value < info.min || value > info.max || !wholeOk) {
      return { metric, value, min: info.min, max: info.max, integer: info.integer };
    }
  }
  return undefined;
}
