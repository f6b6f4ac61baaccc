import type { MqttClient } from 'mqtt';
import type { Device } from '../core/device.js';
import type { NativePayload } from '../core/reading.js';
import type { Topics } from '../core/topics.js';
import { airQualityValues, initialState, trafficValues, type DeviceModelState } from './models.js';

/**
 * Publishes demo readings for every device over MQTT, in the native payload format, exactly as a
 * real device would: one message per device per interval, QoS 1. Devices are staggered across the
 * interval so the broker sees a steady stream rather than bursts, and each publishes once straight
 * away so a fresh map has colours within a second of start-up.
 */

export interface SimulatorDeps {
  mqtt: MqttClient;
  topics: Topics;
  devices: readonly Device[];
  /** How often air-quality devices publish; traffic counters publish every expectedIntervalS (their count period). */
  intervalMs: number;
  log: { warn(object: object, message: string): void };
  now?: () => Date;
}

export class Simulator {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly states = new Map<string, DeviceModelState>();

  constructor(private readonly deps: SimulatorDeps) {
    for (const device of deps.devices) this.states.set(device.id, initialState(device));
  }

  intervalMsOf(device: Device): number {
    switch (device.kind) {
      case 'air_quality':
        return this.deps.intervalMs;
      case 'traffic':
        return device.expectedIntervalS * 1000;
    }
  }

  /** The payload a device sends at `time` (advances that device's model state). */
  payloadFor(device: Device, time: Date): NativePayload {
    const state = this.states.get(device.id) ?? initialState(device);
    this.states.set(device.id, state);
    const stepSeconds = this.intervalMsOf(device) / 1000;
    switch (device.kind) {
      case 'air_quality':
        return { time: time.toISOString(), values: airQualityValues(state, time, stepSeconds) };
      case 'traffic':
        return { time: time.toISOString(), values: trafficValues(state, time, device.expectedIntervalS), period_s: device.expectedIntervalS };
    }
  }

  start(): void {
    const { devices } = this.deps;
    devices.forEach((device, index) => {
      this.publish(device);
      // The second message comes within one interval, spread across it; then one per interval.
      const intervalMs = this.intervalMsOf(device);
      const offset = Math.round(((index + 1) / devices.length) * intervalMs);
      const starter = setTimeout(() => {
        this.publish(device);
        this.timers.push(setInterval(() => this.publish(device), intervalMs));
      }, offset);
      this.timers.push(starter);
    });
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
  }

  private publish(device: Device): void {
    const now = this.deps.now?.() ?? new Date();
    const payload = this.payloadFor(device, now);
    this.deps.mqtt.publish(this.deps.topics.readings(device.id), JSON.stringify(payload), { qos: 1 }, (error) => {
      if (error) this.deps.log.warn({ err: error, device: device.id }, 'simulator: publish failed');
    });
  }
}
