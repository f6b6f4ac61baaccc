import { describe, expect, it } from 'vitest';
import { londonOffsetMinutes } from './londonTime.js';
import { busiestHours, congestion, CONGESTION_LEVEL_TEXT, CONGESTION_LEVELS, freeFlowSpeed, motorFlow, trafficSummary, type TrafficHour } from './traffic.js';

const HOUR = 3_600_000;

/** A traffic hour with no data unless overridden. */
function trafficHour(overrides: Partial<TrafficHour> & Pick<TrafficHour, 'start'>): TrafficHour {
  return { flow: {}, speedKmh: null, ...overrides };
}

/** Hours at the same UTC time of day on consecutive days from `firstDay` (UTC), one speed each. */
function dailyAt(firstDay: string, utcHour: number, speeds: readonly (number | null)[]): TrafficHour[] {
  const startMs = Date.parse(`${firstDay}T00:00:00Z`) + utcHour * HOUR;
  return speeds.map((speedKmh, i) => trafficHour({ start: new Date(startMs + i * 24 * HOUR).toISOString(), speedKmh }));
}

/** Consecutive hours from `start` (UTC), one speed each. */
function run(start: string, speeds: readonly (number | null)[]): TrafficHour[] {
  const startMs = Date.parse(start);
  return speeds.map((speedKmh, i) => trafficHour({ start: new Date(startMs + i * HOUR).toISOString(), speedKmh }));
}

/** One hour's motor-vehicle flow, all cars, at `start`. */
const cars = (start: string, cars_and_taxis: number): TrafficHour => trafficHour({ start, flow: { cars_and_taxis } });

describe('motorFlow', () => {
  it('adds every class but pedal cycles', () => {
    // 300 cars + 40 LGVs + 10 HGVs = 350; the 50 pedal cycles are not motor vehicles.
    expect(motorFlow({ pedal_cycles: 50, cars_and_taxis: 300, lgvs: 40, all_hgvs: 10 })).toBe(350);
  });

  it('is undefined without a motor class, and zero when one was counted as zero', () => {
    expect(motorFlow({ pedal_cycles: 50 })).toBeUndefined();
    expect(motorFlow({})).toBeUndefined();
    expect(motorFlow({ cars_and_taxis: 0 })).toBe(0);
  });
});

describe('freeFlowSpeed', () => {
  it('takes the median of night speeds (odd count), so outliers do not move it', () => {
    // January: GMT, so 00:00–04:00 UTC are London's night hours 00:00–05:00. Three nights of five:
    //   night 1: 42, 38, 45, 40, 41   night 2: 39, 44, 12 (roadworks), 43, 40   night 3: 41, 90 (one fast driver), 37, 42, 40
    // Sorted: 12, 37, 38, 39, 40, 40, 40, 41, 41, 42, 42, 43, 44, 45, 90 → 15 values, the 8th is 41.
    // (The mean would be 634 / 15 = 42.27, pulled up by the 90.)
    const hours = [
      ...run('2026-01-12T00:00:00Z', [42, 38, 45, 40, 41]),
      ...run('2026-01-13T00:00:00Z', [39, 44, 12, 43, 40]),
      ...run('2026-01-14T00:00:00Z', [41, 90, 37, 42, 40]),
      // Not night: 05:00 and 08:00 London, and a night hour without a speed.
      ...run('2026-01-12T05:00:00Z', [20]),
      ...run('2026-01-12T08:00:00Z', [15]),
      ...run('2026-01-15T02:00:00Z', [null]),
    ];
    expect(freeFlowSpeed(hours)).toEqual({ speedKmh: 41, nightHours: 15 });
  });

  it('takes the mean of the two middle values for an even count', () => {
    // 12 nights at 03:00 UTC (03:00 GMT): 28, 29, 30, 31, 32, 33, 35, 36, 37, 38, 39, 40.
    // The 6th and 7th are 33 and 35 → (33 + 35) / 2 = 34.
    const hours = dailyAt('2026-01-01', 3, [40, 28, 39, 29, 38, 30, 37, 31, 36, 32, 35, 33]);
    expect(freeFlowSpeed(hours)).toEqual({ speedKmh: 34, nightHours: 12 });
  });

  it('uses London time in winter: 00:00 UTC is night, 23:00 UTC is not', () => {
    // GMT: 00:00 UTC = 00:00 London (night); 23:00 UTC = 23:00 London (evening).
    expect(freeFlowSpeed(dailyAt('2026-01-01', 0, Array<number>(12).fill(45)))).toEqual({ speedKmh: 45, nightHours: 12 });
    expect(freeFlowSpeed(dailyAt('2026-01-01', 23, Array<number>(12).fill(45)))).toBeNull();
  });

  it('uses London time in summer: 23:00 UTC is night, 04:00 UTC is not', () => {
    // BST = UTC+1: 23:00 UTC the day before = 00:00 London (night starts);
    // 04:00 UTC = 05:00 London (night has ended).
    expect(londonOffsetMinutes('2026-06-10T23:00:00Z')).toBe(60);
    expect(freeFlowSpeed(dailyAt('2026-06-01', 23, Array<number>(12).fill(45)))).toEqual({ speedKmh: 45, nightHours: 12 });
    expect(freeFlowSpeed(dailyAt('2026-06-01', 4, Array<number>(12).fill(45)))).toBeNull();
    // 03:00 UTC = 04:00 London, the last night hour.
    expect(freeFlowSpeed(dailyAt('2026-06-01', 3, Array<number>(12).fill(45)))).toEqual({ speedKmh: 45, nightHours: 12 });
  });

  it('needs minNightHours night hours with a speed', () => {
    // 11 nights with a speed and one without: 11 < 12.
    const hours = dailyAt('2026-01-01', 1, [...Array<number>(11).fill(45), null]);
    expect(freeFlowSpeed(hours)).toBeNull();
    expect(freeFlowSpeed(hours, { minNightHours: 11 })).toEqual({ speedKmh: 45, nightHours: 11 });
    expect(freeFlowSpeed([])).toBeNull();
  });

  it('takes another night, wrapping past midnight', () => {
    // 22:00–05:00 London: 22:00 and 04:00 GMT are in it, 05:00 and 21:00 are not.
    const hours = [...dailyAt('2026-01-01', 22, [30, 30]), ...dailyAt('2026-01-01', 4, [40]), ...dailyAt('2026-01-01', 5, [99]), ...dailyAt('2026-01-01', 21, [99])];
    // Night speeds 30, 30, 40 → median 30.
    expect(freeFlowSpeed(hours, { nightStartHour: 22, nightEndHour: 5, minNightHours: 3 })).toEqual({ speedKmh: 30, nightHours: 3 });
  });

  it('refuses nonsense options', () => {
    expect(() => freeFlowSpeed([], { nightStartHour: 24 })).toThrow(RangeError);
    expect(() => freeFlowSpeed([], { nightEndHour: 0 })).toThrow(RangeError);
    expect(() => freeFlowSpeed([], { nightStartHour: 2, nightEndHour: 2 })).toThrow(RangeError);
    expect(() => freeFlowSpeed([], { nightStartHour: 1.5 })).toThrow(RangeError);
    expect(() => freeFlowSpeed([], { minNightHours: 0 })).toThrow(RangeError);
  });
});

describe('congestion', () => {
  it('bands the speed ratio, boundaries inclusive', () => {
    // Free flow 50 km/h: 40 / 50 = 0.8, 30 / 50 = 0.6, 20 / 50 = 0.4.
    expect(congestion(40, 50)).toEqual({ ratio: 0.8, level: 'free_flowing' });
    expect(congestion(39.5, 50)).toEqual({ ratio: 0.79, level: 'busy' });
    expect(congestion(30, 50)).toEqual({ ratio: 0.6, level: 'busy' });
    expect(congestion(29.5, 50)).toEqual({ ratio: 0.59, level: 'congested' });
    expect(congestion(20, 50)).toEqual({ ratio: 0.4, level: 'congested' });
    expect(congestion(19.5, 50)).toEqual({ ratio: 0.39, level: 'severe' });
    expect(congestion(0, 50)).toEqual({ ratio: 0, level: 'severe' });
  });

  it('caps the ratio at 1 when traffic is faster than free flow', () => {
    // 60 / 50 = 1.2 → 1: a street is not emptier than empty.
    expect(congestion(60, 50)).toEqual({ ratio: 1, level: 'free_flowing' });
  });

  it('has a plain-English label for every level', () => {
    expect(CONGESTION_LEVELS.map((level) => CONGESTION_LEVEL_TEXT[level])).toEqual(['Free-flowing', 'Busy', 'Congested', 'Severely congested']);
  });

  it('refuses a free-flow speed that is not positive and a speed that is negative or not finite', () => {
    expect(() => congestion(30, 0)).toThrow(RangeError);
    expect(() => congestion(30, -5)).toThrow(RangeError);
    expect(() => congestion(30, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => congestion(-1, 50)).toThrow(RangeError);
    expect(() => congestion(Number.NaN, 50)).toThrow(RangeError);
    expect(() => congestion(Number.POSITIVE_INFINITY, 50)).toThrow(RangeError);
  });
});

describe('busiestHours', () => {
  // Two January days (GMT, so UTC = London):
  //   07:00  400, 600                          → mean 500 (2 hours)
  //   08:00  500 cars + 100 LGVs (+ 200 cycles, not counted) = 600; 600 → mean 600 (2)
  //   12:00  300; then pedal cycles only (no motor flow, left out) → mean 300 (1)
  //   17:00  550, 650                          → mean 600 (2)
  // 08:00 and 17:00 tie at 600: the earlier first.
  const hours: TrafficHour[] = [
    cars('2026-01-13T07:00:00Z', 400),
    trafficHour({ start: '2026-01-13T08:00:00Z', flow: { cars_and_taxis: 500, lgvs: 100, pedal_cycles: 200 } }),
    cars('2026-01-13T12:00:00Z', 300),
    cars('2026-01-13T17:00:00Z', 550),
    cars('2026-01-14T07:00:00Z', 600),
    cars('2026-01-14T08:00:00Z', 600),
    trafficHour({ start: '2026-01-14T12:00:00Z', flow: { pedal_cycles: 80 } }),
    cars('2026-01-14T17:00:00Z', 650),
  ];

  it('ranks London hours by mean motor flow, ties to the earlier hour', () => {
    expect(busiestHours(hours)).toEqual([
      { hour: 8, label: '08:00–09:00', meanFlow: 600, hoursCounted: 2 },
      { hour: 17, label: '17:00–18:00', meanFlow: 600, hoursCounted: 2 },
      { hour: 7, label: '07:00–08:00', meanFlow: 500, hoursCounted: 2 },
    ]);
    expect(busiestHours(hours, 1).map((busy) => busy.hour)).toEqual([8]);
    expect(busiestHours(hours, 10).at(-1)).toEqual({ hour: 12, label: '12:00–13:00', meanFlow: 300, hoursCounted: 1 });
  });

  it('labels the last hour of the day to midnight', () => {
    expect(busiestHours([cars('2026-01-13T23:00:00Z', 10)])).toEqual([{ hour: 23, label: '23:00–00:00', meanFlow: 10, hoursCounted: 1 }]);
  });

  it('counts the repeated 01:00 twice on the autumn change day (2026-10-25)', () => {
    // 00:00 UTC is 01:00 BST; 01:00 UTC is 01:00 GMT: both are London's 01:00–02:00.
    expect(londonOffsetMinutes('2026-10-25T00:00:00Z')).toBe(60);
    expect(londonOffsetMinutes('2026-10-25T01:00:00Z')).toBe(0);
    // 23:00Z (24th) = 00:00 BST: 100 → hour 0
    // 00:00Z = 01:00 BST: 80 and 01:00Z = 01:00 GMT: 60 → hour 1, (80 + 60) / 2 = 70 over 2 hours
    // 02:00Z = 02:00 GMT: 50 → hour 2
    const day = [cars('2026-10-24T23:00:00Z', 100), cars('2026-10-25T00:00:00Z', 80), cars('2026-10-25T01:00:00Z', 60), cars('2026-10-25T02:00:00Z', 50)];
    expect(busiestHours(day, 24)).toEqual([
      { hour: 0, label: '00:00–01:00', meanFlow: 100, hoursCounted: 1 },
      { hour: 1, label: '01:00–02:00', meanFlow: 70, hoursCounted: 2 },
      { hour: 2, label: '02:00–03:00', meanFlow: 50, hoursCounted: 1 },
    ]);
  });

  it('has no 01:00 on the spring change day (2026-03-29)', () => {
    // 00:00Z = 00:00 GMT: 40; 01:00Z = 02:00 BST: 30; 02:00Z = 03:00 BST: 20. London's 01:00 never happens.
    expect(londonOffsetMinutes('2026-03-29T01:00:00Z')).toBe(60);
    const day = [cars('2026-03-29T00:00:00Z', 40), cars('2026-03-29T01:00:00Z', 30), cars('2026-03-29T02:00:00Z', 20)];
    expect(busiestHours(day, 24)).toEqual([
      { hour: 0, label: '00:00–01:00', meanFlow: 40, hoursCounted: 1 },
      { hour: 2, label: '02:00–03:00', meanFlow: 30, hoursCounted: 1 },
      { hour: 3, label: '03:00–04:00', meanFlow: 20, hoursCounted: 1 },
    ]);
  });

  it('uses London time in summer', () => {
    // 07:00 UTC in June is 08:00 BST.
    expect(busiestHours([cars('2026-06-15T07:00:00Z', 900)])[0]?.label).toBe('08:00–09:00');
  });

  it('refuses a top that is not a whole number ≥ 1', () => {
    expect(() => busiestHours(hours, 0)).toThrow(RangeError);
    expect(() => busiestHours(hours, 1.5)).toThrow(RangeError);
  });
});

describe('trafficSummary', () => {
  // A January day (GMT, so UTC = London), free flow 50 km/h.
  //          cycles cars buses LGVs HGVs | motor | speed  ratio           level
  //   03:00     0    60    –     –    –  |   60  |  52    52/50 → 1       free_flowing
  //   08:00    60   800   30   120    –  |  950  |  18    0.36            severe
  //   09:00    40   600   20   100    –  |  720  |  25    0.5             congested
  //   12:00     –   400    –    80   20  |  500  |  35    0.7             busy
  //   13:00     –     –    –     –    –  |    –  |   –    (a row without data)
  //   17:00    80   700   10    90    –  |  800  |   –    (speed sensor silent)
  // Mean flows: cycles (0 + 60 + 40 + 80) / 4 = 45; cars (60 + 800 + 600 + 400 + 700) / 5 = 512;
  //   buses (30 + 20 + 10) / 3 = 20; LGVs (120 + 100 + 80 + 90) / 4 = 97.5; HGVs 20 / 1 = 20;
  //   motor (60 + 950 + 720 + 500 + 800) / 5 = 3030 / 5 = 606.
  // Mean speed (52 + 18 + 25 + 35) / 4 = 32.5 → 32.5 / 50 = 0.65, busy. Congested hours: 08:00, 09:00.
  // Busiest: 08:00 (950), 17:00 (800), 09:00 (720).
  const day: TrafficHour[] = [
    trafficHour({ start: '2026-01-14T17:00:00Z', flow: { pedal_cycles: 80, cars_and_taxis: 700, buses_and_coaches: 10, lgvs: 90 } }),
    trafficHour({ start: '2026-01-14T03:00:00Z', flow: { pedal_cycles: 0, cars_and_taxis: 60 }, speedKmh: 52 }),
    trafficHour({ start: '2026-01-14T08:00:00Z', flow: { pedal_cycles: 60, cars_and_taxis: 800, buses_and_coaches: 30, lgvs: 120 }, speedKmh: 18 }),
    trafficHour({ start: '2026-01-14T09:00:00Z', flow: { pedal_cycles: 40, cars_and_taxis: 600, buses_and_coaches: 20, lgvs: 100 }, speedKmh: 25 }),
    trafficHour({ start: '2026-01-14T12:00:00Z', flow: { cars_and_taxis: 400, lgvs: 80, all_hgvs: 20 }, speedKmh: 35 }),
    trafficHour({ start: '2026-01-14T13:00:00Z' }),
  ];
  const busiest = [
    { hour: 8, label: '08:00–09:00', meanFlow: 950, hoursCounted: 1 },
    { hour: 17, label: '17:00–18:00', meanFlow: 800, hoursCounted: 1 },
    { hour: 9, label: '09:00–10:00', meanFlow: 720, hoursCounted: 1 },
  ];

  it('summarises a hand-built day', () => {
    expect(trafficSummary(day, 50)).toEqual({
      period: { start: '2026-01-14T03:00:00.000Z', end: '2026-01-14T18:00:00.000Z' },
      hoursWithData: 5,
      meanFlow: { pedal_cycles: 45, cars_and_taxis: 512, buses_and_coaches: 20, lgvs: 97.5, all_hgvs: 20 },
      meanMotorFlow: 606,
      meanSpeedKmh: 32.5,
      hoursWithSpeed: 4,
      freeFlowKmh: 50,
      congestion: { ratio: 0.65, level: 'busy' },
      congestedHours: 2,
      busiestHours: busiest,
    });
  });

  it('says nothing about congestion without a free-flow speed', () => {
    const summary = trafficSummary(day, null);
    expect(summary.congestion).toBeNull();
    expect(summary.congestedHours).toBeNull();
    expect(summary.meanSpeedKmh).toBe(32.5);
    expect(summary.busiestHours).toEqual(busiest);
  });

  it('is empty for no hours', () => {
    expect(trafficSummary([], 50)).toEqual({
      period: null,
      hoursWithData: 0,
      meanFlow: {},
      meanMotorFlow: null,
      meanSpeedKmh: null,
      hoursWithSpeed: 0,
      freeFlowKmh: 50,
      congestion: null,
      congestedHours: 0,
      busiestHours: [],
    });
  });

  it('refuses a free-flow speed that is not positive', () => {
    expect(() => trafficSummary(day, 0)).toThrow(RangeError);
  });
});

describe('input checks', () => {
  it('wants hours on a whole hour, and names the bad one', () => {
    const off = [trafficHour({ start: '2026-01-14T08:30:00Z', speedKmh: 30 })];
    expect(() => busiestHours(off)).toThrow(RangeError);
    expect(() => freeFlowSpeed(off)).toThrow(/2026-01-14T08:30:00Z/);
    expect(() => trafficSummary(off, null)).toThrow(/whole hour/);
    // +05:30 turns a whole local hour into 03:30 UTC.
    expect(() => busiestHours([trafficHour({ start: '2026-01-14T09:00:00+05:30' })])).toThrow(RangeError);
    // An offset that keeps it on the UTC hour is fine: 09:00+01:00 = 08:00Z.
    expect(busiestHours([cars('2026-06-15T09:00:00+01:00', 5)])).toEqual([{ hour: 9, label: '09:00–10:00', meanFlow: 5, hoursCounted: 1 }]);
    // A wall time without an offset is not an instant.
    expect(() => busiestHours([trafficHour({ start: '2026-01-14T08:00:00' })])).toThrow(RangeError);
  });

  it('refuses the same hour twice, however written', () => {
    const twice = [cars('2026-06-15T08:00:00Z', 5), cars('2026-06-15T09:00:00+01:00', 6)];
    expect(() => busiestHours(twice)).toThrow(/two traffic hours/);
    expect(() => trafficSummary(twice, null)).toThrow(RangeError);
  });

  it('refuses negative or non-finite flows and speeds', () => {
    expect(() => busiestHours([cars('2026-01-14T08:00:00Z', -1)])).toThrow(RangeError);
    expect(() => trafficSummary([trafficHour({ start: '2026-01-14T08:00:00Z', flow: { lgvs: Number.NaN } })], null)).toThrow(RangeError);
    expect(() => freeFlowSpeed([trafficHour({ start: '2026-01-14T02:00:00Z', speedKmh: -3 })])).toThrow(RangeError);
  });
});
