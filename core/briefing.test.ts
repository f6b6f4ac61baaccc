import { describe, expect, it } from 'vitest';
import { briefingText, periodLabel, type BriefingFacts, type BriefingText } from './briefing.js';

/**
 * Golden tests of the briefing's words for hand-built situations: clean data, missing data,
 * exceedances, no sensors on the street (the nearest used, with their distance), nothing at all.
 * The headline and caveats are written out here; the whole text of each is kept in
 * core/__golden__/ and any change to it shows as a diff to review.
 */

const february = { from: '2026-02-01', to: '2026-02-28', days: 28 };

const clean: BriefingFacts = {
  place: { kind: 'ward', name: 'Altrincham', wardName: null, uprnCount: 5321 },
  period: february,
  no2: { mean: 30, highestDay: { date: '2026-02-10', value: 34.2 }, ukExceedances: 0, whoExceedances: 28, capture: 100, devices: 2, previousMean: 25 },
  pm25: null,
  daqiDays: { Low: 28, Moderate: 0, High: 0, 'Very High': 0 },
  traffic: { meanFlow: 300, busiestHour: { hour: 8, flow: 512 }, congestion: 60.4, previousFlow: null, devices: 1 },
  devices: [{ kind: 'air_quality', distanceM: null }, { kind: 'air_quality', distanceM: null }, { kind: 'traffic', distanceM: null }],
  nearest: false,
};

const missing: BriefingFacts = {
  ...clean,
  place: { kind: 'street', name: 'Railway Street', wardName: 'Altrincham', uprnCount: 35 },
  no2: { mean: 22, highestDay: { date: '2026-02-03', value: 31.5 }, ukExceedances: 0, whoExceedances: 4, capture: 60.2, devices: 1, previousMean: null },
  pm25: { mean: 8, highestDay: { date: '2026-02-05', value: 17.2 }, ukExceedances: null, whoExceedances: 1, capture: 60.2, devices: 1, previousMean: null },
  daqiDays: { Low: 10, Moderate: 0, High: 0, 'Very High': 0 },
  traffic: null,
  devices: [{ kind: 'air_quality', distanceM: null }],
};

const exceedances: BriefingFacts = {
  ...clean,
  place: { kind: 'street', name: 'Manchester Road', wardName: 'Altrincham', uprnCount: 140 },
  no2: { mean: 45.26, highestDay: { date: '2026-02-10', value: 88.4 }, ukExceedances: 25, whoExceedances: 28, capture: 92, devices: 1, previousMean: 47.1 },
  daqiDays: { Low: 24, Moderate: 3, High: 1, 'Very High': 0 },
  traffic: null,
  devices: [{ kind: 'air_quality', distanceM: null }],
};

const nearest: BriefingFacts = {
  ...clean,
  place: { kind: 'street', name: 'Stamford Street', wardName: 'Altrincham', uprnCount: 60 },
  traffic: null,
  devices: [{ kind: 'air_quality', distanceM: 120.4 }, { kind: 'air_quality', distanceM: 340 }],
  nearest: true,
};

const nothing: BriefingFacts = { ...clean, place: { kind: 'ward', name: 'Broadheath', wardName: null, uprnCount: null }, no2: null, pm25: null, daqiDays: null, traffic: null, devices: [] };

const situations = { clean, missing, exceedances, nearest, nothing };

describe('the briefing in words', () => {
  it('clean data: the DAQI, then what matters about NO₂', () => {
    const text = briefingText(clean);
    expect(text.headline).toBe(
      'Air in Altrincham was Low on the Daily Air Quality Index (DAQI 1–3) on all 28 days with data, 1 to 28 February 2026; nitrogen dioxide (NO₂) was above the World Health Organization (WHO) guideline.',
    );
    expect(text.sections.map((s) => s.id)).toEqual(['air', 'daqi', 'traffic', 'data']);
    expect(text.sections[0]?.facts[0]).toEqual({
      label: 'Average nitrogen dioxide (NO₂)',
      value: '30.0 µg/m³',
      detail: 'Below the UK annual objective of 40 µg/m³, above the WHO guideline of 10 µg/m³. Highest day: 34.2 µg/m³ on 10 February. Up 5.0 µg/m³ from the same dates last year (25.0 µg/m³).',
    });
    expect(text.caveats).toEqual([
      "The air-quality sensors are low-cost. Their readings are a good guide, but not as accurate as the government's monitoring stations.",
      'The UK objectives are for a whole year. An average over a shorter time only shows whether the air is near them.',
    ]);
  });

  it('missing data: says how little came in, and the humidity caveat for particles', () => {
    const text = briefingText(missing);
    expect(text.headline).toBe(
      'Air on Railway Street was Low on the Daily Air Quality Index (DAQI 1–3) on all 10 days with data, 1 to 28 February 2026; nitrogen dioxide (NO₂) was above the World Health Organization (WHO) guideline.',
    );
    expect(text.caveats.slice(0, 4)).toEqual([
      'The sensors sent only 60% of the readings expected. The figures may not be typical of the whole period.',
      "The air-quality sensors are low-cost. Their readings are a good guide, but not as accurate as the government's monitoring stations.",
      'In humid weather (above about 85% humidity), low-cost sensors read particles (PM2.5) too high.',
      'There is only one air-quality sensor. It shows the air at one spot, not across the whole street.',
    ]);
  });

  it('exceedances: more hours over 200 µg/m³ than the UK objective allows leads the headline', () => {
    const text = briefingText(exceedances);
    expect(text.headline).toBe(
      'Air on Manchester Road was mostly Low on the Daily Air Quality Index (DAQI 1–3): 24 of 28 days with data, 1 to 28 February 2026; nitrogen dioxide (NO₂) was over 200 µg/m³ for 25 hours, more than the 18 a year the UK objective allows.',
    );
    expect(text.sections[0]?.facts[1]).toEqual({ label: 'Hours with NO₂ over 200 µg/m³', value: '25 hours', detail: 'The UK objective allows 18 such hours a year.' });
    expect(text.sections[1]?.facts.map((f) => `${f.label}: ${f.value}`)).toEqual(['Low (1 to 3): 24 days', 'Moderate (4 to 6): 3 days', 'High (7 to 9): 1 day', 'Very High (10): 0 days']);
  });

  it('no sensors on the street: the nearest are used, and their distance said', () => {
    const text = briefingText(nearest);
    expect(text.headline).toBe(
      'Stamford Street has no sensors of its own. At the nearest sensors, 120 m away, air was Low on the Daily Air Quality Index (DAQI 1–3) on all 28 days with data, 1 to 28 February 2026; nitrogen dioxide (NO₂) was above the World Health Organization (WHO) guideline.',
    );
    expect(text.sections.at(-1)?.facts[1]).toEqual({
      label: 'Nearest sensors',
      value: '2 air-quality sensors',
      detail: 'None on the street; the nearest is 120 m away. They sent 100% of the air-quality readings expected (data capture).',
    });
    expect(text.caveats).toContain('These figures come from the nearest sensors, not from the street itself. The air on the street may be different.');
  });

  it('nothing at all: says so, in one sentence', () => {
    const text = briefingText(nothing);
    expect(text.headline).toBe('There is no sensor data in Broadheath for 1 to 28 February 2026.');
    expect(text.caveats).toEqual(['There are no air-quality sensors in Broadheath, so this briefing cannot say how clean the air is there.']);
    expect(text.glossary).toEqual([]);
  });

  it.each(Object.entries(situations))('%s: the whole text matches its reviewed golden file', async (name, facts) => {
    await expect(JSON.stringify(briefingText(facts), null, 2)).toMatchFileSnapshot(`./__golden__/briefing-${name}.json`);
  });
});

describe('plain English', () => {
  const sentences = (text: BriefingText) =>
    [...text.sections.flatMap((s) => s.facts.flatMap((f) => [f.detail ?? ''])), ...text.caveats, ...text.glossary.map((g) => g.meaning)]
      .flatMap((paragraph) => paragraph.split(/(?<=\.)\s+/))
      .filter((sentence) => sentence.length > 0);

  it.each(Object.entries(situations))('%s: every sentence outside the headline has at most 25 words', (_name, facts) => {
    for (const sentence of sentences(briefingText(facts))) expect(sentence.split(/\s+/).length, sentence).toBeLessThanOrEqual(25);
  });

  it.each(Object.entries(situations))('%s: DAQI and UPRN are spelt out the first time they appear', (_name, facts) => {
    const text = briefingText(facts);
    const all = [text.headline, ...text.sections.flatMap((s) => [s.heading, ...s.facts.flatMap((f) => [f.label, f.value, f.detail ?? ''])])].join(' ');
    for (const [abbreviation, full] of [['DAQI', 'Daily Air Quality Index (DAQI'], ['UPRN', 'Unique Property Reference Number (UPRN)']] as const) {
      const first = all.indexOf(abbreviation);
      if (first >= 0) expect(all.indexOf(full), abbreviation).toBeLessThanOrEqual(first);
    }
  });
});

describe('periods in words', () => {
  it('says a period the short way', () => {
    expect(periodLabel('2026-02-01', '2026-02-28')).toBe('1 to 28 February 2026');
    expect(periodLabel('2026-01-30', '2026-02-28')).toBe('30 January to 28 February 2026');
    expect(periodLabel('2025-12-01', '2026-02-28')).toBe('1 December 2025 to 28 February 2026');
    expect(periodLabel('2026-02-28', '2026-02-28')).toBe('28 February 2026');
  });
});
