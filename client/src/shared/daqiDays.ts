import { number, object, type Decoded } from './decode.js';

/** Days in each DAQI band, as the comparison and the briefings send them. */
export const daqiDays = object({ Low: number, Moderate: number, High: number, 'Very High': number });
export type DaqiDays = Decoded<typeof daqiDays>;
