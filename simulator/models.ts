import type { Device } from '../core/device.js';
import type { MetricValues } from '../core/metrics.js';
import { gaussian, poisson, seedFrom, seededRandom, type Random } from '../core/random.js';

/**
 * Plausible UK urban sensor readings. The shapes follow what councils' monitors show: NO2 with
 * morning and evening rush-hour peaks and lower weekends, PM2.5 drifting with regional air masses
 * and an evening domestic-burning bump in winter, PM10 tracking PM2.5 plus coarse dust, O3 high in
 * the afternoon and eaten by NO at the roadside, traffic following the DfT weekday profile, and
 * speed falling as flow nears capacity. Occasional local episodes (roadworks, idling queues) push a
 * site into the Moderate DAQI band so the live map has something to show.
 */

/** Share of weekday peak-hour flow for each hour of the day (UK urban profile, rounded). */
const HOURLY_FLOW_SHARE = [
  0.08, 0.05, 0.04, 0.04, 0.07, 0.18, 0.45, 0.85, 1.0, 0.78, 0.66, 0.68, 0.7, 0.7, 0.72, 0.8, 0.92, 1.0, 0.86, 0.62,
  0.46, 0.36, 0.26, 0.15,
];

/** Vehicle class mix on an urban main road (DfT road traffic statistics, rounded). */
const CLASS_SHARE = {
  pedal_cycles: 0.02,
  two_wheeled_motor_vehicles: 0.01,
  cars_and_taxis: 0.77,
  buses_and_coaches: 0.01,
  lgvs: 0.16,
  all_hgvs: 0.03,
} as const;

/** Mean air temperature by month in the English Midlands, °C. */
const MONTHLY_MEAN_TEMPERATURE = [4.5, 4.8, 6.8, 9.0, 12.2, 15.1, 17.2, 16.9, 14.4, 10.9, 7.2, 4.9];

export interface DeviceModelState {
  random: Random;
  /** Slowly varying regional particulate level, µg/m³. */
  regionalPm: number;
  /** Multiplicative local NO2 noise that persists between readings. */
  no2Drift: number;
  /** Remaining readings of a local pollution episode, and its strength. */
  episodeLeft: number;
  episodeFactor: number;
  /** Site character, fixed per device. */
  roadside: boolean;
  capacityPerHour: number;
  freeFlowKmh: number;
}

export function initialState(device: Device): DeviceModelState {
  const random = seededRandom(seedFrom(device.id));
  return {
    random,
    regionalPm: 6 + random() * 4,
    no2Drift: 1,
    episodeLeft: 0,
    episodeFactor: 1,
    roadside: random() < 0.7,
    capacityPerHour: 1400 + Math.round(random() * 800),
    freeFlowKmh: random() < 0.5 ? 48 : 64,
  };
}

function gaussianBump(hour: number, centre: number, width: number): number {
  return Math.exp(-((hour - centre) ** 2) / (2 * width * width));
}

const UK_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
const UK_WEEKDAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short' });

/** UK clock hour (fractional) for a UTC instant, so rush hours follow local time across clock changes. */
export function ukHour(time: Date): number {
  const parts = UK_TIME.formatToParts(time);
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((part) => part.type === 'minute')?.value ?? 0);
  return hour + minute / 60;
}

function isWeekend(time: Date): boolean {
  const day = UK_WEEKDAY.format(time);
  return day === 'Sat' || day === 'Sun';
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

export function airQualityValues(state: DeviceModelState, time: Date, stepSeconds: number): MetricValues {
  const { random } = state;
  const hour = ukHour(time);
  const weekend = isWeekend(time);
  const month = time.getUTCMonth();
  const winter = month <= 1 || month >= 10;

  // Regional PM follows a mean-reverting random walk (hours-long air-mass changes).
  const persistence = Math.exp(-stepSeconds / (6 * 3600));
  state.regionalPm = 8 + (state.regionalPm - 8) * persistence + gaussian(random) * 3 * Math.sqrt(1 - persistence * persistence);
  // Both are Ornstein–Uhlenbeck processes: the noise is scaled to the step so their spread does not
  // depend on how often the device reports.
  const driftPersistence = Math.exp(-stepSeconds / 1800);
  state.no2Drift = 1 + (state.no2Drift - 1) * driftPersistence + gaussian(random) * 0.12 * Math.sqrt(1 - driftPersistence * driftPersistence);

  if (state.episodeLeft > 0) {
    state.episodeLeft--;
  } else if (random() < stepSeconds / (45 * 60)) {
    // About one local episode per site every 45 minutes, lasting a few minutes.
    state.episodeLeft = Math.max(3, Math.round((120 + random() * 360) / stepSeconds));
    state.episodeFactor = 2.5 + random() * 2.5;
  }
  const episode = state.episodeLeft > 0 ? state.episodeFactor : 1;

  const rush = 0.55 + 0.75 * gaussianBump(hour, 8, 1.2) + 0.7 * gaussianBump(hour, 17.5, 1.6) + 0.25 * gaussianBump(hour, 13, 3);
  const traffic = rush * (weekend ? 0.75 : 1);
  const no2 = Math.max(1, (14 + (state.roadside ? 22 : 6) * traffic) * state.no2Drift * episode + gaussian(random) * 2);

  const burning = winter ? 4 * gaussianBump(hour, 20.5, 2) : 0;
  const pm25 = Math.max(0.5, state.regionalPm + burning + (state.roadside ? 2 * traffic : 0.5) * episode + gaussian(random) * 0.8);
  const pm10 = Math.max(pm25, pm25 * 1.45 + 3 + (episode - 1) * 6 + Math.abs(gaussian(random)) * 1.5);

  const sun = Math.max(0, Math.sin(((hour - 6) / 14) * Math.PI));
  const o3 = Math.max(2, 38 + 30 * sun * (winter ? 0.5 : 1) - 0.35 * no2 + gaussian(random) * 3);

  const meanTemperature = MONTHLY_MEAN_TEMPERATURE[month] as number;
  const temperature = meanTemperature + 3.5 * Math.sin(((hour - 9) / 24) * 2 * Math.PI) + gaussian(random) * 0.3;
  const humidity = Math.min(100, Math.max(25, 80 - 3.2 * (temperature - meanTemperature) + gaussian(random) * 2));

  return {
    no2: round1(no2),
    pm25: round1(pm25),
    pm10: round1(pm10),
    o3: round1(o3),
    temperature: round1(temperature),
    humidity: round1(humidity),
  };
}

export function trafficValues(state: DeviceModelState, time: Date, periodSeconds: number): MetricValues {
  const { random } = state;
  const hour = ukHour(time);
  const share = HOURLY_FLOW_SHARE[Math.floor(hour) % 24] as number;
  const flowPerHour = state.capacityPerHour * 0.8 * share * (isWeekend(time) ? 0.7 : 1);
  const expected = (flowPerHour * periodSeconds) / 3600;

  const values: MetricValues = {};
  for (const [metric, fraction] of Object.entries(CLASS_SHARE) as [keyof typeof CLASS_SHARE, number][]) {
    values[metric] = poisson(random, expected * fraction);
  }
  const saturation = Math.min(1, flowPerHour / state.capacityPerHour);
  const speed = state.freeFlowKmh * (1 - 0.55 * saturation ** 2.5) + gaussian(random) * 2;
  values.speed_kmh = round1(Math.max(5, Math.min(state.freeFlowKmh * 1.15, speed)));
  return values;
}
