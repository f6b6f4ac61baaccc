import type { PayloadFormat } from '../../core/device.js';
import { decodeChirpstackV4 } from './chirpstackV4.js';
import { decodeSensorCommunity } from './sensorCommunity.js';
import { decodeSensorThings } from './sensorThings.js';
import { decodeSenml } from './senml.js';
import { decodeSmartplace } from './smartplace.js';
import { decodeTtsV3 } from './ttsV3.js';
import type { Decoder } from './types.js';

/** One pure decoder per payload format (docs/payload-formats.md). */
export const DECODERS: Record<PayloadFormat, Decoder> = {
  smartplace: decodeSmartplace,
  'tts-v3': decodeTtsV3,
  'chirpstack-v4': decodeChirpstackV4,
  'sensor-community': decodeSensorCommunity,
  senml: decodeSenml,
  sensorthings: decodeSensorThings,
};

export type { DecodeContext, DecodeInput, DecodeResult, DecodedReading, Decoder } from './types.js';
