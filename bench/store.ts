import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { AreaGeography } from '../core/area.js';
import { londonDate, londonDay } from '../core/londonTime.js';
import { AggregatesRepository } from '../db/aggregatesRepository.js';
import { DeviceDaysRepository } from '../db/deviceDaysRepository.js';
import { DevicesRepository } from '../db/devicesRepository.js';
import { ReadingsRepository } from '../db/readingsRepository.js';
import { StoreJobsRepository } from '../db/storeJobsRepository.js';
import { DeviceDaysJob } from '../ingest/deviceDaysJob.js';
import { startStoreApp, type StoreApp } from '../test/support/storeApp.js';
import { summarise } from './ingestLoad.js';
import { BENCH_WARDS, openStoreData } from './storeData.js';

/**
 * The time-series store on a generated year (bench/storeData.ts: 300 devices, one reading a minute
 * each, about 158 million readings), in the embedded TimescaleDB, through the product's HTTP API:
 *   A. one ward's hourly NO2 series for a year (8,760 points) — budget p95 ≤ 50 ms;
 *   B. every ward's NO2 figures for the last 30 London days — budget p95 ≤ 50 ms;
 *   C. latest values of every device — budget ≤ 20 ms;
 *   D. what the refresh jobs cost in steady state (after five minutes of new data);
 *   E. compressed against uncompressed size per million readings;
 *   W. comparing every ward for a year (issue 7) — budget p95 ≤ 200 ms; first the ward comparison's
 *      days are worked out (ingest/deviceDaysJob.ts), timed;
 * plus, for reference, a ward's daily DAQI for a year and a device's objectives for a year.
 * Baselines, same run: A and B computed from the raw hypertable instead of the aggregates.
 *
 * BENCH_STORE_DIR keeps the generated database (generating takes ~45 minutes on 2 cores); a later
 * run with the same BENCH_STORE_DEVICES and BENCH_STORE_DAYS reuses it. BENCH_STORE_RUNS (default
 * 50) timed requests per query after 5 warm-up requests; raw baselines run BENCH_STORE_RAW_RUNS (3).
 */

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const DEVICES = env('BENCH_STORE_DEVICES', 300);
const DAYS = env('BENCH_STORE_DAYS', 365);
const RUNS = env('BENCH_STORE_RUNS', 50);
const RAW_RUNS = env('BENCH_STORE_RAW_RUNS', 3);
/** Sections to run: A–E and W as below, R for the reference figures. */
const SECTIONS = new Set((process.env.BENCH_STORE_SECTIONS ?? 'A,B,C,D,E,W,R').split(','));
const WARM_UP = 5;
/** The reference figures (no budget) are slower questions: fewer runs. */
const REFERENCE_RUNS = Math.min(RUNS, 10);
const DAY_MS = 86_400_000;

function benchArea(): AreaGeography {
  return {
    name: 'Bench borough',
    synthetic: true,
    notice: null,
    attribution: 'generated',
    bounds: [-2.4, 53.4, -2.1, 53.5],
    wards: {
      type: 'FeatureCollection',
      features: BENCH_WARDS.map((code, i) => ({
        type: 'Feature',
        properties: { code, name: `Bench ward ${i + 1}` },
        geometry: { type: 'Polygon', coordinates: [[[-2.4, 53.4], [-2.3, 53.4], [-2.3, 53.5], [-2.4, 53.4]]] },
      })),
    },
    streets: { type: 'FeatureCollection', features: [] },
  };
}

async function time(runs: number, work: () => Promise<unknown>): Promise<ReturnType<typeof summarise>> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const began = performance.now();
    await work();
    ms.push(performance.now() - began);
  }
  return summarise(ms);
}

const fmt = (s: ReturnType<typeof summarise>) => `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (${s.count} runs)`;

export async function benchStore(): Promise<void> {
  const keep = process.env.BENCH_STORE_DIR;
  const dir = keep ?? (await mkdtemp(`${tmpdir()}/smartplace-bench-store-`));
  const log = (message: string) => console.log(`  ${message}`);
  log(`data: ${DEVICES} devices × ${DAYS} days, one reading a minute, in ${dir}${keep ? '' : ' (deleted afterwards; set BENCH_STORE_DIR to keep it)'}`);
  const data = await openStoreData({ dir, devices: DEVICES, days: DAYS, log });
  let app: StoreApp | undefined;
  try {
    if (data.generateSeconds !== null) log(`generated ${data.readings.toLocaleString('en-GB')} readings in ${data.generateSeconds.toFixed(0)} s (refresh and compression jobs included)`);
    const jobs = new StoreJobsRepository(data.db);
    // Bring the aggregates up to date, as the app's job runner keeps them.
    if (process.env.BENCH_STORE_SKIP_JOBS !== 'true') {
      const caught = await jobs.runAll();
      if (caught.length > 0) log(`caught up ${caught.map((range) => range.view).join(', ')}`);
    }

    const readings = new ReadingsRepository(data.db);
    app = await startStoreApp(data.db, benchArea, { now: () => data.end, log: (object) => console.error(object) });
    const { base } = app;
    const fetchOk = async (path: string) => {
      const response = await fetch(`${base}${path}`);
      const body = await response.text();
      if (!response.ok) throw new Error(`${path}: ${response.status} ${body.slice(0, 300)}`);
      return body;
    };
    const measure = async (label: string, path: string, check: (body: string) => string, runs = RUNS) => {
      for (let i = 0; i < Math.min(WARM_UP, runs); i++) await fetchOk(path);
      const summary = await time(runs, () => fetchOk(path));
      log(`${label}: ${fmt(summary)}; ${check(await fetchOk(path))}`);
      return summary;
    };

    // bench-001's ward (devices go round the wards from the second).
    const ward = BENCH_WARDS[1] as string;
    const yearFrom = new Date(data.end.getTime() - 365 * DAY_MS);
    const endDay = londonDay(londonDate(data.end.getTime() - 1)).start; // today's London midnight
    const monthFrom = new Date(Date.parse(endDay) - 30 * DAY_MS + 12 * 3600_000);
    const monthStart = londonDay(londonDate(monthFrom.getTime())).start;

    if (SECTIONS.has('A')) {
    console.log('\n  A. one ward, hourly NO2 for a year');
    const seriesPath = `/wards/${ward}/series?metric=no2&bucket=hour&from=${yearFrom.toISOString()}&to=${data.end.toISOString()}`;
    const a = await measure('    aggregates (HTTP)', seriesPath, (body) => `${(JSON.parse(body) as { points: unknown[] }).points.length} points, ${(body.length / 1024).toFixed(0)} KiB`);
    const rawA = await time(RAW_RUNS, () =>
      data.db.query(
        `SELECT time_bucket('1 hour', time) AS bucket, avg(no2), min(no2), max(no2), count(no2) FROM readings
         WHERE ward_code = $1 AND time >= $2 AND time < $3 GROUP BY 1 ORDER BY 1`,
        [ward, yearFrom, data.end],
      ),
    );
    log(`    raw hypertable (SQL only): ${fmt(rawA)}; aggregates are ${(rawA.p50 / a.p50).toFixed(0)}× faster at p50`);

    }
    if (SECTIONS.has('B')) {
    console.log('\n  B. every ward, NO2 over the last 30 London days');
    const summaryPath = `/wards/summary?metric=no2&from=${monthStart}&to=${endDay}`;
    const b = await measure('    aggregates (HTTP)', summaryPath, (body) => `${(JSON.parse(body) as { wards: unknown[]; source: string }).wards.length} wards from ${(JSON.parse(body) as { source: string }).source}`);
    const rawB = await time(RAW_RUNS, () =>
      data.db.query(`SELECT ward_code, avg(no2), min(no2), max(no2), count(no2) FROM readings WHERE time >= $1 AND time < $2 GROUP BY ward_code`, [monthStart, endDay]),
    );
    log(`    raw hypertable (SQL only): ${fmt(rawB)}; aggregates are ${(rawB.p50 / b.p50).toFixed(0)}× faster at p50`);

    }
    if (SECTIONS.has('C')) {
    console.log('\n  C. latest values of every device');
    await measure('    /latest (HTTP)', '/latest', (body) => `${(JSON.parse(body) as unknown[]).length} devices`);
    // The way it was answered before device_latest (one probe per device into the hypertable), as the baseline.
    const probe = await time(RUNS, () =>
      data.db.query(`SELECT r.* FROM devices d CROSS JOIN LATERAL (SELECT * FROM readings WHERE device_id = d.id ORDER BY time DESC LIMIT 1) r`),
    );
    log(`    baseline, a probe per device into the hypertable (SQL only): ${fmt(probe)}`);
    const repo = await time(RUNS, () => readings.latestPerDevice());
    log(`    repository alone: ${fmt(repo)}`);

    }
    if (SECTIONS.has('W')) {
    console.log('\n  W. comparing every ward for a year (issue 7) — budget p95 ≤ 200 ms');
    // The days, worked out as the maintenance pass does: a pass at a time until nothing is stale.
    const registry = new DevicesRepository(data.db);
    const job = new DeviceDaysJob({ days: new DeviceDaysRepository(data.db), aggregates: new AggregatesRepository(data.db), devices: () => registry.list() });
    const began = performance.now();
    let passes = 0;
    let rows = 0;
    for (;;) {
      const result = await job.run(data.end);
      passes += 1;
      rows += result.rows;
      if (result.dates.length <= 2) break;
    }
    const stored = (await data.db.query<{ rows: string; size: string }>(`SELECT count(*) AS rows, pg_size_pretty(pg_total_relation_size('device_days')) AS size FROM device_days`)).rows[0];
    log(`    device days: ${rows.toLocaleString('en-GB')} stored in ${((performance.now() - began) / 1000).toFixed(1)} s over ${passes} passes (nothing stale after); table ${Number(stored?.rows).toLocaleString('en-GB')} rows, ${stored?.size}`);
    // Steady state, as every 5 minutes: nothing stale, so today and yesterday again; and the
    // staleness check alone (it reads every device-day of the daily aggregates).
    const steady = await time(3, () => job.run(data.end));
    const check = await time(3, () => new DeviceDaysRepository(data.db).staleDates(60));
    log(`    a steady-state pass (today and yesterday): ${fmt(steady)}; of which the staleness check: ${fmt(check)}`);
    type Answer = { wards: { rank: number | null; mean: number | null }[]; comparisons: { supported: boolean }[] };
    const ranked = (body: string) => {
      const answer = JSON.parse(body) as Answer;
      return `${answer.wards.filter((w) => w.rank !== null).length} of ${answer.wards.length} wards ranked, ${answer.comparisons.length} comparisons, ${(body.length / 1024).toFixed(0)} KiB`;
    };
    const w = await measure('    every ward, NO2, last 365 days (HTTP)', '/wards/compare?metric=no2&period=365d&wards=all', ranked);
    await measure('    every ward, DAQI, last 365 days (HTTP)', '/wards/compare?metric=daqi&period=365d&wards=all', ranked);
    await measure('    every ward, congestion, last 365 days (HTTP)', '/wards/compare?metric=congestion&period=365d&wards=all', ranked);
    const three = BENCH_WARDS.slice(0, 3).join(',');
    await measure('    three wards with trends and two bootstrap comparisons, NO2, 365 days (HTTP)', `/wards/compare?metric=no2&period=365d&wards=${three}`, ranked);
    await measure('    every ward as CSV, NO2, last 365 days (HTTP)', '/wards/compare?metric=no2&period=365d&wards=all&format=csv', (body) => `${body.trim().split('\n').length - 1} rows`);
    // Baseline, same run: the year's objectives for one ward (hours over 200 µg/m³ and the rest),
    // worked out from the hourly aggregates as the objectives API does. All 21 wards that way took
    // the embedded database past its memory on the second ward (300 devices' hours for a year).
    const from = londonDate(Date.parse(endDay) - 365 * DAY_MS);
    const to = londonDate(Date.parse(endDay) - 1);
    const baseline = await time(RAW_RUNS, () => fetchOk(`/wards/${BENCH_WARDS[0]}/objectives?from=${from}&to=${to}`));
    log(`    baseline, one ward's objectives for the same days from the hourly aggregates: ${fmt(baseline)}; the comparison gives all ${BENCH_WARDS.length} wards ${(baseline.p50 / w.p50).toFixed(0)}× faster than that one ward, at p50`);

    }
    if (SECTIONS.has('R')) {
    console.log('\n  Reference figures');
    const dayFrom = londonDate(Date.parse(endDay) - 364 * DAY_MS);
    const dayTo = londonDate(Date.parse(endDay) - 1);
    await measure(`    a ward's daily DAQI for a year (${dayFrom} to ${dayTo})`, `/wards/${ward}/daqi/history?from=${dayFrom}&to=${dayTo}`, (body) => `${(JSON.parse(body) as { days: unknown[] }).days.length} days`, REFERENCE_RUNS);
    await measure(`    a ward's DAQI now`, `/wards/${ward}/daqi`, (body) => `index ${JSON.stringify((JSON.parse(body) as { overall: { index: number } | null }).overall?.index ?? null)}`, REFERENCE_RUNS);
    await measure(`    a device's objectives, ${dayFrom} to ${dayTo}`, `/devices/bench-001/objectives?from=${dayFrom}&to=${dayTo}`, (body) => `${(JSON.parse(body) as { devices: { objectives: unknown[] }[] }).devices[0]?.objectives.length} objectives`, REFERENCE_RUNS);

    }
    if (SECTIONS.has('D')) {
    console.log('\n  D. the refresh jobs in steady state (they hold the embedded database\'s one session)');
    // As after five minutes of live data: every device's last five minutes rewritten (same values),
    // which invalidates those buckets as new readings would. Then each refresh job, timed.
    // The same refresh over the unbounded window the policies had before (start_offset NULL) is the
    // baseline, after the same rewrite.
    const touch = () =>
      data.db.query(`UPDATE readings SET no2 = no2, cars_and_taxis = cars_and_taxis WHERE time >= $1 AND time < $2`, [new Date(data.end.getTime() - 5 * 60_000), data.end]);
    const refreshJobs = (await jobs.jobs()).filter((j) => j.kind === 'refresh');
    const touched = await touch();
    const bounded = new Map<string, number>();
    for (const job of refreshJobs) {
      const began = performance.now();
      await jobs.run(job.id);
      bounded.set(job.target, performance.now() - began);
    }
    const checkBegan = performance.now();
    const behind = await jobs.behindWindow();
    const checkMs = performance.now() - checkBegan;
    await touch();
    for (const job of refreshJobs) {
      const endOffset = (await data.db.query<{ end_offset: string }>(`SELECT config ->> 'end_offset' AS end_offset FROM timescaledb_information.jobs WHERE job_id = $1`, [job.id])).rows[0]?.end_offset;
      const began = performance.now();
      await data.db.query(`CALL refresh_continuous_aggregate($1::regclass, NULL, now() - $2::interval)`, [job.target, endOffset]);
      const unbounded = performance.now() - began;
      const ms = bounded.get(job.target) ?? 0;
      log(`    refresh ${job.target}: ${ms.toFixed(0)} ms; unbounded window (before): ${unbounded.toFixed(0)} ms, ${(unbounded / ms).toFixed(1)}×`);
    }
    log(`    (after rewriting ${touched.rowCount} readings each time)`);
    log(`    catch-up check (aggregates behind their windows): ${checkMs.toFixed(1)} ms, ${behind.length} behind`);
    const checkpointBegan = performance.now();
    await jobs.checkpoint();
    log(`    checkpoint: ${(performance.now() - checkpointBegan).toFixed(0)} ms`);

    }
    if (SECTIONS.has('E')) {
    console.log('\n  E. compression');
    const stats = await jobs.compressionStats();
    // The readings in compressed chunks: all but those in chunks not compressed yet (the last week).
    const rows = Number(
      (
        await data.db.query<{ n: string }>(
          `SELECT count(*) AS n FROM readings WHERE time < coalesce((SELECT min(range_start) FROM timescaledb_information.chunks
             WHERE hypertable_name = 'readings' AND NOT is_compressed), 'infinity')`,
        )
      ).rows[0]?.n ?? 0,
    );
    const perMillion = (bytes: number) => ((bytes / rows) * 1e6) / 2 ** 20;
    log(`    ${stats.compressedChunks} of ${stats.chunks} chunks compressed, holding ${rows.toLocaleString('en-GB')} readings`);
    log(`    before ${(stats.beforeBytes / 2 ** 30).toFixed(2)} GiB, after ${(stats.afterBytes / 2 ** 30).toFixed(2)} GiB: ${(stats.beforeBytes / stats.afterBytes).toFixed(1)}× smaller`);
    log(`    per million readings: ${perMillion(stats.beforeBytes).toFixed(1)} MiB uncompressed, ${perMillion(stats.afterBytes).toFixed(1)} MiB compressed`);
    }
  } finally {
    app?.close();
    await data.db.end();
    await data.database.stop();
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}
