import { describe, expect, it } from 'vitest';
import { parseDeviceCsv } from './deviceCsv.js';

const HEADER = 'id,name,kind,lon,lat,expected_interval_s,payload_format,mobile,keys';

describe('parseDeviceCsv', () => {
  it('reads every column, with defaults for the optional ones', () => {
    const text = [
      '\uFEFF' + HEADER,
      'aq-101,"Talbot Road, north side",air_quality,-2.2871,53.4601,900,chirpstack-v4,false,chirpstack-v4:0004A30B001C0530',
      'st-1,SensorThings box,air_quality,-2.3,53.45,60,sensorthings,,sensorthings:17=no2@ppb; sensorthings:18=pm25@ug/m3',
      'bike-1,Cargo bike,air_quality,-2.31,53.44,30,,YES,',
    ].join('\r\n');
    expect(parseDeviceCsv(text)).toEqual({
      ok: true,
      devices: [
        {
          id: 'aq-101',
          name: 'Talbot Road, north side',
          kind: 'air_quality',
          lon: -2.2871,
          lat: 53.4601,
          expectedIntervalS: 900,
          payloadFormat: 'chirpstack-v4',
          mobile: false,
          keys: [{ payloadFormat: 'chirpstack-v4', key: '0004A30B001C0530' }],
        },
        {
          id: 'st-1',
          name: 'SensorThings box',
          kind: 'air_quality',
          lon: -2.3,
          lat: 53.45,
          expectedIntervalS: 60,
          payloadFormat: 'sensorthings',
          mobile: false,
          keys: [
            { payloadFormat: 'sensorthings', key: '17', metric: 'no2', unit: 'ppb' },
            { payloadFormat: 'sensorthings', key: '18', metric: 'pm25', unit: 'ug/m3' },
          ],
        },
        { id: 'bike-1', name: 'Cargo bike', kind: 'air_quality', lon: -2.31, lat: 53.44, expectedIntervalS: 30, payloadFormat: 'smartplace', mobile: true, keys: [] },
      ],
    });
  });

  it('takes the minimal columns in any order and case', () => {
    const result = parseDeviceCsv('LAT,Lon,ID,Name,Kind,Expected_Interval_S\n53.4,-2.3,tr-9,Counter,traffic,60\n');
    expect(result).toMatchObject({ ok: true, devices: [{ id: 'tr-9', kind: 'traffic', lon: -2.3, lat: 53.4, payloadFormat: 'smartplace', mobile: false }] });
  });

  it('lists every problem with its line, and registers nothing', () => {
    const text = [
      HEADER,
      'a/b,Bad id,air_quality,-2.3,53.4,60,,,',
      'aq-1,No kind,bus,-2.3,53.4,60,,,',
      'aq-2,Far,air_quality,-200,53.4,60,,,',
      'aq-3,Format,air_quality,-2.3,53.4,60,lorawan,,',
      'aq-4,Keys,air_quality,-2.3,53.4,60,,,sensorthings:17',
      'aq-5,Keys,air_quality,-2.3,53.4,60,,,chirpstack-v4:ab=no2@ppb',
      'aq-6,Keys,air_quality,-2.3,53.4,60,,,senml:x=fog@ppb',
      'aq-7,Dup key,air_quality,-2.3,53.4,60,,,senml:urn:dev:1',
      'aq-7,Dup id,air_quality,-2.3,53.4,60,,,senml:urn:dev:1',
      'aq-8,Mobile,air_quality,-2.3,53.4,60,,maybe,',
    ].join('\n');
    const result = parseDeviceCsv(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([
      'line 2: id: a device id is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
      'line 3: kind: Invalid option: expected one of "air_quality"|"traffic"',
      'line 4: lon: Too small: expected number to be >=-180',
      'line 5: payload_format: expected one of smartplace, tts-v3, chirpstack-v4, sensor-community, senml, sensorthings',
      'line 6: keys: "sensorthings:17": a SensorThings Datastream, and only that, says what it measures (sensorthings:17=no2@ppb)',
      'line 7: keys: "chirpstack-v4:ab=no2@ppb": a SensorThings Datastream, and only that, says what it measures (sensorthings:17=no2@ppb)',
      'line 8: keys: "senml:x=fog@ppb": a SensorThings Datastream, and only that, says what it measures (sensorthings:17=no2@ppb)',
      'line 10: device "aq-7" is already on line 9',
      'line 10: senml:urn:dev:1 is already given to the device on line 9',
      'line 11: mobile: expected true or false',
    ]);
  });

  it('refuses a header without the needed columns, or with unknown ones, and an empty file', () => {
    expect(parseDeviceCsv('id,name,lon,lat,colour\n')).toEqual({ ok: false, problems: ['the file holds no devices'] });
    expect(parseDeviceCsv('id,name,lon,lat,colour\nx,y,1,2,red\n')).toEqual({
      ok: false,
      problems: [
        'the header lacks kind, expected_interval_s',
        'the header has unknown columns colour (columns: id, name, kind, lon, lat, expected_interval_s, payload_format, mobile, keys)',
      ],
    });
    expect(parseDeviceCsv('id,name\n"unclosed\n')).toMatchObject({ ok: false, problems: [expect.stringMatching(/^not a readable CSV/)] });
  });
});
