import { zoneNotice } from './time-zone-check';

const WINTER = Date.UTC(2026, 11, 5, 12);

describe('zoneNotice: the log read in a zone that is not this PC’s', () => {
  it('names both zones with their offsets now, and how far off the rows land', () => {
    expect(zoneNotice('Europe/Berlin', 'America/New_York', WINTER)).toEqual({
      code: 'TIME_ZONE_DIFFERS',
      message:
        "This PC's time zone is America/New_York (UTC−05:00), but the log is read as Europe/Berlin time (UTC+01:00), as saved in Settings",
      advice:
        'If GPU-Z on this PC writes the log, set "Time zone of the log" in Settings to America/New_York: rows logged in this PC\'s time are otherwise stored 6 h off. Leave it if the log comes from a PC in Europe/Berlin.',
    });
    expect(zoneNotice('UTC', 'Asia/Kolkata', WINTER)?.advice).toContain('stored 5 h 30 min off');
  });

  it('says "up to" when the offsets differ for part of the year only (one zone keeps summer time, one does not)', () => {
    const notice = zoneNotice('Atlantic/Reykjavik', 'Europe/London', WINTER);
    expect(notice?.message).toContain(
      'Europe/London (UTC+00:00), but the log is read as Atlantic/Reykjavik time (UTC+00:00)',
    );
    expect(notice?.advice).toContain('stored up to 1 h off');
  });

  it('says nothing for the same zone, zones that differ only in name, or a zone this system does not know', () => {
    expect(zoneNotice('Europe/Berlin', 'Europe/Berlin', WINTER)).toBeNull();
    expect(zoneNotice('Europe/Berlin', 'Europe/Paris', WINTER)).toBeNull();
    expect(zoneNotice('Mars/Olympus', 'Europe/Berlin', WINTER)).toBeNull();
  });
});
