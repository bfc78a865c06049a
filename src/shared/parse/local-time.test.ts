import { AppError } from '../errors';
import { rawAfter } from '../process/process-raw';
import { createLocalTimeConverter, timeZoneOr } from './local-time';
import { createLogParser } from './parser';

const local = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);
const utc = (text: string) => Date.parse(text);

describe('createLocalTimeConverter in Europe/Berlin', () => {
  const toEpoch = createLocalTimeConverter('Europe/Berlin');

  it('applies winter (+1) and summer (+2) offsets', () => {
    expect(toEpoch(local('2024-01-15 12:00:00'))).toBe(utc('2024-01-15T11:00:00Z'));
    expect(toEpoch(local('2024-07-15 12:00:00'))).toBe(utc('2024-07-15T10:00:00Z'));
  });

  it('moves a time in the spring gap forward by the gap (02:30 does not exist on 31 March 2024)', () => {
    expect(toEpoch(local('2024-03-31 01:59:59'))).toBe(utc('2024-03-31T00:59:59Z'));
    expect(toEpoch(local('2024-03-31 02:30:00'))).toBe(utc('2024-03-31T01:30:00Z'));
    expect(toEpoch(local('2024-03-31 03:00:00'))).toBe(utc('2024-03-31T01:00:00Z'));
  });

  it('reads the repeated autumn hour as the first pass, and as the second once time would run backwards', () => {
    const first = toEpoch(local('2024-10-27 02:59:59'), utc('2024-10-27T00:59:58Z'));
    expect(first).toBe(utc('2024-10-27T00:59:59Z'));
    const again = toEpoch(local('2024-10-27 02:00:00'), first);
    expect(again).toBe(utc('2024-10-27T01:00:00Z'));
    expect(toEpoch(local('2024-10-27 02:30:00'), again)).toBe(utc('2024-10-27T01:30:00Z'));
    expect(toEpoch(local('2024-10-27 02:30:00'))).toBe(utc('2024-10-27T00:30:00Z'));
    expect(toEpoch(local('2024-10-27 03:00:00'), utc('2024-10-27T01:59:59Z'))).toBe(
      utc('2024-10-27T02:00:00Z'),
    );
  });

  it('keeps a duplicate second in the repeated hour as a duplicate', () => {
    const once = toEpoch(local('2024-10-27 02:10:00'), utc('2024-10-27T00:09:59Z'));
    expect(toEpoch(local('2024-10-27 02:10:00'), once)).toBe(once);
  });
});

describe('a batch that starts inside the repeated hour (parser option `after`, raw metadata first-utc)', () => {
  const batch = Buffer.from(
    '        Date        , GPU Clock [MHz] ,\r\n2024-10-27 02:10:00 , 210.0 ,\r\n2024-10-27 02:10:01 , 215.0 ,\r\n',
    'latin1',
  );
  const instants = (after?: number) =>
    createLogParser({ timeZone: 'Europe/Berlin', after })
      .push(batch)
      .flatMap((event) => (event.type === 'row' ? [new Date(event.t).toISOString()] : []));

  it('alone, its rows are read as the first pass; after a row of the second pass, as the second', () => {
    expect(instants()).toEqual(['2024-10-27T00:10:00.000Z', '2024-10-27T00:10:01.000Z']);
    expect(instants(utc('2024-10-27T01:09:59Z'))).toEqual([
      '2024-10-27T01:10:00.000Z',
      '2024-10-27T01:10:01.000Z',
    ]);
  });

  it('rawAfter: one ms before the first row the agent stamped; nothing for a missing or garbage value', () => {
    expect(instants(rawAfter('2024-10-27T01:10:00.000Z'))).toEqual([
      '2024-10-27T01:10:00.000Z',
      '2024-10-27T01:10:01.000Z',
    ]);
    expect(rawAfter(undefined)).toBeUndefined();
    expect(rawAfter('yesterday')).toBeUndefined();
  });
});

describe('other zones', () => {
  it('handles a half-hour zone and a southern-hemisphere DST zone', () => {
    expect(createLocalTimeConverter('Asia/Kolkata')(local('2024-01-01 05:30:00'))).toBe(
      utc('2024-01-01T00:00:00Z'),
    );
    expect(createLocalTimeConverter('Australia/Sydney')(local('2024-01-01 11:00:00'))).toBe(
      utc('2024-01-01T00:00:00Z'),
    );
  });

  it('rejects an unknown zone with advice', () => {
    expect(() => createLocalTimeConverter('Mars/Olympus')).toThrow(AppError);
  });
});

describe('timeZoneOr', () => {
  it('keeps a zone this system knows and falls back for a missing or unknown one', () => {
    expect(timeZoneOr('Europe/Berlin', 'UTC')).toBe('Europe/Berlin');
    expect(timeZoneOr(undefined, 'UTC')).toBe('UTC');
    expect(timeZoneOr('', 'UTC')).toBe('UTC');
    expect(timeZoneOr('Mars/Olympus_Mons', 'UTC')).toBe('UTC');
  });
});

describe('createLocalTimeConverter reuses a stable offset for nearby times', () => {
  // A fresh converter answers from Intl for that one minute: the reference for the cached one walking forward.
  const walk = (zone: string, from: string, to: string, stepMinutes: number) => {
    const toEpoch = createLocalTimeConverter(zone);
    const differ: string[] = [];
    for (let t = local(from); t <= local(to); t += stepMinutes * 60_000) {
      if (toEpoch(t) !== createLocalTimeConverter(zone)(t)) differ.push(new Date(t).toISOString());
    }
    return differ;
  };

  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'])(
    'gives %s the answer of a fresh converter through 2024',
    (zone) => {
      expect(walk(zone, '2024-01-01 00:00:00', '2024-12-31 23:59:00', 367)).toEqual([]);
    },
  );

  it.each([
    ['Europe/Berlin', '2024-03-30 20:00:00', '2024-03-31 06:00:00'],
    ['Europe/Berlin', '2024-10-26 20:00:00', '2024-10-27 06:00:00'],
    ['Australia/Lord_Howe', '2024-04-06 22:00:00', '2024-04-07 04:00:00'],
    ['Australia/Lord_Howe', '2024-10-05 22:00:00', '2024-10-06 04:00:00'],
  ])('and minute by minute across a transition: %s %s', (zone, from, to) => {
    expect(walk(zone, from, to, 1)).toEqual([]);
  });
});

describe('createLocalTimeConverter near a transition (the change found once, not asked of Intl every minute)', () => {
  // A DST change of an hour, of 30 minutes (Lord Howe), southern zones, and Apia skipping a day at the end of 2011;
  // each run starts a day before its zone's change and covers three days.
  const runs: [string, string[]][] = [
    ['Europe/Berlin', ['2024-03-30 02:00:00', '2024-10-26 02:00:00']],
    ['America/New_York', ['2024-03-09 02:00:00', '2024-11-02 02:00:00']],
    ['Australia/Lord_Howe', ['2024-04-06 02:00:00', '2024-10-05 02:00:00']],
    ['America/Santiago', ['2024-04-06 00:00:00', '2024-09-07 00:00:00']],
    ['Pacific/Chatham', ['2024-04-06 03:00:00', '2024-09-28 03:00:00']],
    ['Pacific/Apia', ['2011-12-28 00:00:00']],
  ];

  it.each(runs)(
    '%s: every 13 s of three days gives the instant the minute-by-minute Intl lookup gives',
    (zone, starts) => {
      for (const start of starts) {
        const fast = createLocalTimeConverter(zone);
        const reference = createLocalTimeConverter(zone, { transitions: false });
        let previousFast: number | undefined;
        let previousReference: number | undefined;
        for (let at = local(start); at < local(start) + 3 * 86_400_000; at += 13_000) {
          const shown = new Date(at).toISOString();
          // With the previous instant (a repeated hour's second pass) and without it.
          const a = fast(at, previousFast);
          const b = reference(at, previousReference);
          if (a !== b) expect({ zone, shown, got: a }).toEqual({ zone, shown, got: b });
          if (fast(at) !== reference(at))
            expect({ zone, shown, alone: fast(at) }).toEqual({ zone, shown, alone: reference(at) });
          previousFast = a;
          previousReference = b;
        }
      }
    },
  );
});
