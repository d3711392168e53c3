import { DateTime } from 'luxon';
import { escapeText, foldLine, renderCalendar, vtimezoneLines } from '../../src/lib/icalendar';

describe('the iCalendar writer', () => {
  test('escapes backslash, semicolon, comma and line breaks in text, and drops control characters', () => {
    expect(escapeText('a\\b;c,d\r\ne\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(escapeText('tab\tstays, bell\u0007 goes\u0000')).toBe('tab\tstays\\, bell goes');
  });

  test('folds at 75 octets, never inside a character, each continuation starting with a space', () => {
    const line = `SUMMARY:${'é'.repeat(40)}${'😀'.repeat(10)}${'x'.repeat(30)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    for (const part of parts.slice(1)) expect(part.startsWith(' ')).toBe(true);
    expect(parts.map((part, index) => (index === 0 ? part : part.slice(1))).join('')).toBe(line);
    expect(folded).not.toContain('\uFFFD');
    expect(foldLine('SHORT:line')).toBe('SHORT:line');
  });

  test('a VTIMEZONE for a zone with summer time names the observance in force and each change in the period', () => {
    const from = DateTime.fromISO('2027-03-15T00:00', { zone: 'Europe/Amsterdam' });
    const lines = vtimezoneLines('Europe/Amsterdam', from, from.plus({ days: 30 }));
    expect(lines.join('\n')).toBe(
      [
        'BEGIN:VTIMEZONE',
        'TZID:Europe/Amsterdam',
        'BEGIN:STANDARD',
        'DTSTART:20261025T030000',
        'TZOFFSETFROM:+0200',
        'TZOFFSETTO:+0100',
        'TZNAME:CET',
        'END:STANDARD',
        'BEGIN:DAYLIGHT',
        'DTSTART:20270328T020000',
        'TZOFFSETFROM:+0100',
        'TZOFFSETTO:+0200',
        'TZNAME:CEST',
        'END:DAYLIGHT',
        'END:VTIMEZONE',
      ].join('\n'),
    );
  });

  test('a VTIMEZONE for a zone without changes has one observance; west of UTC the offsets are negative', () => {
    const from = DateTime.fromISO('2027-06-01T00:00', { zone: 'Asia/Tokyo' });
    expect(vtimezoneLines('Asia/Tokyo', from, from.plus({ days: 30 }))).toContain('TZOFFSETTO:+0900');
    const autumn = DateTime.fromISO('2027-10-20T00:00', { zone: 'America/New_York' });
    const lines = vtimezoneLines('America/New_York', autumn, autumn.plus({ days: 30 }));
    expect(lines).toEqual(expect.arrayContaining(['DTSTART:20271107T020000', 'TZOFFSETFROM:-0400', 'TZOFFSETTO:-0500']));
  });

  test('a calendar: CRLF line ends, DTSTAMP in UTC, local times with TZID, all-day dates', () => {
    const zone = 'Europe/Amsterdam';
    const from = DateTime.fromISO('2027-01-04', { zone });
    const text = renderCalendar({
      productId: '-//Test//EN',
      name: 'Naam, met; tekens',
      timeZone: zone,
      refreshMinutes: 60,
      covers: { from, until: from.plus({ days: 30 }) },
      events: [
        {
          uid: 'one@example.org',
          stamp: new Date('2027-01-03T23:30:00Z'),
          sequence: 2,
          start: { kind: 'time', at: DateTime.fromISO('2027-01-05T09:30', { zone }) },
          end: { kind: 'time', at: DateTime.fromISO('2027-01-05T09:45', { zone }) },
          summary: 'Bellen',
          description: 'Regel een\nRegel twee',
          url: 'https://example.org/participants/1',
          transparent: false,
        },
        {
          uid: 'two@example.org',
          stamp: new Date('2027-01-03T23:30:00Z'),
          sequence: 1,
          start: { kind: 'date', date: '2027-01-06' },
          end: { kind: 'date', date: '2027-01-07' },
          summary: 'Ergens die dag',
          description: '',
          url: 'https://example.org/participants/2',
          transparent: true,
        },
      ],
    });
    expect(text.split('\r\n').at(-1)).toBe('');
    expect(text).toContain('\r\nNAME:Naam\\, met\\; tekens\r\n');
    expect(text).toContain('\r\nDTSTAMP:20270103T233000Z\r\n');
    expect(text).toContain('\r\nDTSTART;TZID=Europe/Amsterdam:20270105T093000\r\n');
    expect(text).toContain('\r\nDTEND;TZID=Europe/Amsterdam:20270105T094500\r\n');
    expect(text).toContain('\r\nDESCRIPTION:Regel een\\nRegel twee\r\n');
    expect(text).toContain('\r\nDTSTART;VALUE=DATE:20270106\r\nDTEND;VALUE=DATE:20270107\r\n');
    expect(text).toContain('\r\nURL:https://example.org/participants/1\r\n');
    expect(text).toContain('\r\nTRANSP:TRANSPARENT\r\n');
  });
});
