import { METRIC_INFO, type Metric } from './metrics.js';

/**
 * The names and units that devices, network servers and standards use for what Smartplace stores,
 * mapped to Smartplace metrics and units (core/metrics.ts). Pure and free of zod: the payload
 * decoders use it, and the browser may.
 */

/** µg/m³ per ppb at 20 °C and 1013 hPa, the factors Defra converts with. */
export const UGM3_PER_PPB = { no2: 1.91, o3: 2.0, so2: 2.66 } as const satisfies Partial<Record<Metric, number>>;

/** What a name says: the metric, and the unit when the name carries one (`no2_ppb`). */
export interface NamedMetric {
  metric: Metric;
  unit?: string;
}

export type Converted = { ok: true; value: number } | { ok: false; detail: string };

/** A named value in Smartplace's terms, or why its unit cannot be converted. */
export type Quantity = { ok: true; metric: Metric; value: number } | { ok: false; metric: Metric; detail: string };

/** Names after normalising (see normaliseName). Each metric's own name comes first. */
const METRIC_NAMES: Readonly<Record<Metric, readonly string[]>> = {
  no2: ['no2', 'nitrogen_dioxide'],
  pm25: ['pm25', 'pm2_5', 'pm_2_5', 'pm_25'],
  pm10: ['pm10', 'pm_10'],
  o3: ['o3', 'ozone'],
  so2: ['so2', 'sulphur_dioxide', 'sulfur_dioxide'],
  temperature: ['temperature', 'temp', 'air_temperature', 'ambient_temperature'],
  humidity: ['humidity', 'relative_humidity', 'rh', 'hum', 'air_humidity'],
  pedal_cycles: ['pedal_cycles', 'cycles', 'bicycles'],
  two_wheeled_motor_vehicles: ['two_wheeled_motor_vehicles', 'motorcycles'],
  cars_and_taxis: ['cars_and_taxis', 'cars'],
  buses_and_coaches: ['buses_and_coaches', 'buses'],
  lgvs: ['lgvs', 'lgv'],
  all_hgvs: ['all_hgvs', 'hgvs', 'hgv'],
  speed_kmh: ['speed_kmh', 'speed', 'mean_speed', 'average_speed', 'avg_speed'],
};

const METRIC_BY_NAME: ReadonlyMap<string, Metric> = new Map(
  (Object.entries(METRIC_NAMES) as [Metric, readonly string[]][]).flatMap(([metric, names]) => names.map((name) => [name, metric] as const)),
);

/** A unit written at the end of a field name: `no2_ppb`, `temperature_c`, `speed_mph`. */
const UNIT_SUFFIXES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    ppb: 'ppb',
    ppm: 'ppm',
    ugm3: 'ug/m3',
    ug_m3: 'ug/m3',
    mgm3: 'mg/m3',
    mg_m3: 'mg/m3',
    c: 'Cel',
    degc: 'Cel',
    celsius: 'Cel',
    k: 'K',
    kelvin: 'K',
    pct: '%',
    percent: '%',
    rh: '%RH',
    kmh: 'km/h',
    km_h: 'km/h',
    kph: 'km/h',
    ms: 'm/s',
    m_s: 'm/s',
    mps: 'm/s',
    mph: 'mph',
  }),
);

const LATITUDE_NAMES = new Set(['lat', 'latitude']);
const LONGITUDE_NAMES = new Set(['lon', 'lng', 'long', 'longitude']);

type Unit = 'ugm3' | 'mgm3' | 'ngm3' | 'ppb' | 'ppm' | 'celsius' | 'kelvin' | 'fahrenheit' | 'percent' | 'count' | 'kmh' | 'ms' | 'mph';

/** Units after normaliseUnit. UCUM (`Cel`, `ug/m3`), SenML (`%RH`, `count`) and everyday spellings. */
const UNITS: ReadonlyMap<string, Unit> = new Map([
  ['ug/m3', 'ugm3'],
  ['ugm3', 'ugm3'],
  ['mcg/m3', 'ugm3'],
  ['mg/m3', 'mgm3'],
  ['ng/m3', 'ngm3'],
  ['ppb', 'ppb'],
  ['ppm', 'ppm'],
  ['cel', 'celsius'],
  ['°c', 'celsius'],
  ['c', 'celsius'],
  ['degc', 'celsius'],
  ['celsius', 'celsius'],
  ['k', 'kelvin'],
  ['kelvin', 'kelvin'],
  ['°f', 'fahrenheit'],
  ['degf', 'fahrenheit'],
  ['fahrenheit', 'fahrenheit'],
  ['%rh', 'percent'],
  ['%', 'percent'],
  ['percent', 'percent'],
  ['pct', 'percent'],
  ['count', 'count'],
  ['counts', 'count'],
  ['1', 'count'],
  ['vehicles', 'count'],
  ['vehicle', 'count'],
  ['veh', 'count'],
  ['{vehicles}', 'count'],
  ['{count}', 'count'],
  ['km/h', 'kmh'],
  ['kmh', 'kmh'],
  ['kph', 'kmh'],
  ['km/hr', 'kmh'],
  ['m/s', 'ms'],
  ['mps', 'ms'],
  ['mph', 'mph'],
]);

type Conversion = (value: number) => number;

const same: Conversion = (value) => value;
const MASS_CONCENTRATION: Partial<Record<Unit, Conversion>> = {
  ugm3: same,
  mgm3: (value) => value * 1000,
  ngm3: (value) => value / 1000,
};

/** Gases also come as volume ratios: ppm is 1000 ppb. */
function gas(ugm3PerPpb: number): Partial<Record<Unit, Conversion>> {
  return { ...MASS_CONCENTRATION, ppb: (value) => value * ugm3PerPpb, ppm: (value) => value * 1000 * ugm3PerPpb };
}

/** Which units each metric accepts, and how to turn them into its Smartplace unit. */
const CONVERSIONS: Readonly<Record<Metric, Partial<Record<Unit, Conversion>>>> = {
  no2: gas(UGM3_PER_PPB.no2),
  o3: gas(UGM3_PER_PPB.o3),
  so2: gas(UGM3_PER_PPB.so2),
  pm25: MASS_CONCENTRATION,
  pm10: MASS_CONCENTRATION,
  temperature: { celsius: same, kelvin: (value) => value - 273.15, fahrenheit: (value) => ((value - 32) * 5) / 9 },
  humidity: { percent: same },
  pedal_cycles: { count: same },
  two_wheeled_motor_vehicles: { count: same },
  cars_and_taxis: { count: same },
  buses_and_coaches: { count: same },
  lgvs: { count: same },
  all_hgvs: { count: same },
  speed_kmh: { kmh: same, ms: (value) => value * 3.6, mph: (value) => value * 1.609344 },
};

const SUBSCRIPT_DIGITS = '₀₁₂₃₄₅₆₇₈₉';

/** `PM2.5` → `pm2_5`, `relativeHumidity` → `relative_humidity`, `NO₂` → `no2`. */
export function normaliseName(name: string): string {
  return name
    .replace(/[₀-₉]/g, (digit) => String(SUBSCRIPT_DIGITS.indexOf(digit)))
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** `µg/m³` → `ug/m3`, `Cel` → `cel`, `° C` → `°c`. */
function normaliseUnit(unit: string): string {
  return unit
    .trim()
    .toLowerCase()
    .replace(/[µμ]/g, 'u')
    .replace(/³/g, '3')
    .replace(/º/g, '°')
    .replace(/[\s^]/g, '');
}

/** The metric a field name stands for, with the unit its suffix gives; undefined for other fields (battery, rssi…). */
export function metricForName(name: string): NamedMetric | undefined {
  const normalised = normaliseName(name);
  const metric = METRIC_BY_NAME.get(normalised);
  if (metric) return { metric };
  for (let at = normalised.indexOf('_'); at > 0; at = normalised.indexOf('_', at + 1)) {
    const base = METRIC_BY_NAME.get(normalised.slice(0, at));
    const unit = UNIT_SUFFIXES.get(normalised.slice(at + 1));
    if (base && unit) return { metric: base, unit };
  }
  return undefined;
}

/** Whether a field name holds a latitude or a longitude. */
export function coordinateForName(name: string): 'lat' | 'lon' | undefined {
  const normalised = normaliseName(name);
  if (LATITUDE_NAMES.has(normalised)) return 'lat';
  if (LONGITUDE_NAMES.has(normalised)) return 'lon';
  return undefined;
}

/**
 * A value in `unit` converted to the metric's Smartplace unit. No unit (or an empty one) means the
 * value is in the Smartplace unit already. Converted values are rounded to 12 significant digits so
 * that 20 ppb of NO2 is 38.2 µg/m³, not 38.199999999999996.
 */
export function toSmartplaceUnit(metric: Metric, value: number, unit?: string): Converted {
  if (unit === undefined || unit.trim() === '') return { ok: true, value };
  const known = UNITS.get(normaliseUnit(unit));
  const conversion = known === undefined ? undefined : CONVERSIONS[metric][known];
  if (!conversion) return { ok: false, detail: `${metric} is in "${unit}", which cannot be converted to ${METRIC_INFO[metric].unit}` };
  if (conversion === same) return { ok: true, value };
  return { ok: true, value: Number(conversion(value).toPrecision(12)) };
}

/**
 * A named value in Smartplace terms: undefined when the name is not a Smartplace metric. An explicit
 * unit wins over a unit suffix in the name.
 */
export function quantityOf(name: string, value: number, unit?: string): Quantity | undefined {
  const named = metricForName(name);
  if (!named) return undefined;
  const converted = toSmartplaceUnit(named.metric, value, unit !== undefined && unit.trim() !== '' ? unit : named.unit);
  return converted.ok ? { ok: true, metric: named.metric, value: converted.value } : { ok: false, metric: named.metric, detail: converted.detail };
}
