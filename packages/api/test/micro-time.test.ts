// metav1.MicroTime as kube-apiserver decodes it: Go's time.Parse with the layout
// 2006-01-02T15:04:05.000000Z07:00 (exactly six fractional digits), kept in UTC in that layout,
// and Go's own error text for what does not parse. The expected strings are Go's.

import t from 'tap';
import { normalizeMicroTimes, parseMicroTime, Event, Lease, isApiError } from '../src/index.js';

t.test('a valid time is written back in UTC with six fractional digits', async (t) => {
  const cases: [string, string][] = [
    ['2024-01-01T10:00:00.123456+02:00', '2024-01-01T08:00:00.123456Z'],
    ['2024-01-01T00:00:00.000001-00:30', '2024-01-01T00:30:00.000001Z'],
    ['2024-12-31T23:59:59.999999-01:00', '2025-01-01T00:59:59.999999Z'],
    ['2024-02-29T12:00:00.500000Z', '2024-02-29T12:00:00.500000Z'],
    ['2024-01-01T00:00:00,250000Z', '2024-01-01T00:00:00.250000Z'],
    ['2024-01-01T5:00:00.000000Z', '2024-01-01T05:00:00.000000Z'],
  ];
  for (const [input, stored] of cases) t.same(parseMicroTime(input), { ok: true, value: stored }, input);
});

t.test("what Go's time.Parse rejects is rejected with its message", async (t) => {
  const as = 'as "2006-01-02T15:04:05.000000Z07:00"';
  const cases: [string, string][] = [
    ['yesterday', `parsing time "yesterday" ${as}: cannot parse "yesterday" as "2006"`],
    ['2024-01-01T00:00:00Z', `parsing time "2024-01-01T00:00:00Z" ${as}: cannot parse "Z" as ".000000"`],
    ['2024-01-01T00:00:00.123Z', `parsing time "2024-01-01T00:00:00.123Z" ${as}: cannot parse ".123Z" as ".000000"`],
    ['2024-01-01T00:00:00.1234567Z', `parsing time "2024-01-01T00:00:00.1234567Z" ${as}: cannot parse "7Z" as "Z07:00"`],
    ['2024/01/01', `parsing time "2024/01/01" ${as}: cannot parse "/01/01" as "-"`],
    ['2024-01-01t00:00:00.000000Z', `parsing time "2024-01-01t00:00:00.000000Z" ${as}: cannot parse "t00:00:00.000000Z" as "T"`],
    ['2024-01-01T00:00:00.000000+0200', `parsing time "2024-01-01T00:00:00.000000+0200" ${as}: cannot parse "+0200" as "Z07:00"`],
    ['', `parsing time "" ${as}: cannot parse "" as "2006"`],
    ['€', `parsing time "\\xe2\\x82\\xac" ${as}: cannot parse "\\xe2\\x82\\xac" as "2006"`],
    ['2024-13-01T00:00:00.000000Z', 'parsing time "2024-13-01T00:00:00.000000Z": month out of range'],
    ['2023-02-29T00:00:00.000000Z', 'parsing time "2023-02-29T00:00:00.000000Z": day out of range'],
    ['2024-01-01T24:00:00.000000Z', 'parsing time "2024-01-01T24:00:00.000000Z": hour out of range'],
    ['2024-01-01T00:60:00.000000Z', 'parsing time "2024-01-01T00:60:00.000000Z": minute out of range'],
    ['2024-01-01T00:00:00.000000+25:00', 'parsing time "2024-01-01T00:00:00.000000+25:00": time zone offset hour out of range'],
    ['2024-01-01T00:00:00.000000Zjunk', 'parsing time "2024-01-01T00:00:00.000000Zjunk": extra text: "junk"'],
  ];
  for (const [input, message] of cases) t.same(parseMicroTime(input), { ok: false, message }, JSON.stringify(input));
});

t.test('decoding normalises the MicroTimes of a Lease and an Event, and only those', async (t) => {
  const lease = { spec: { holderIdentity: 'a', acquireTime: '2024-01-01T10:00:00.000000+02:00', renewTime: '2024-01-01T10:00:05.123456+02:00' } };
  normalizeMicroTimes(Lease, 'Lease', 'v1', lease);
  t.same(lease.spec, { holderIdentity: 'a', acquireTime: '2024-01-01T08:00:00.000000Z', renewTime: '2024-01-01T08:00:05.123456Z' });

  const event = { involvedObject: {}, eventTime: '2024-01-01T00:00:00.000000-01:00', series: { lastObservedTime: '2024-01-01T00:00:00.000000+01:00' }, firstTimestamp: '2024-01-01T00:00:00+01:00' };
  normalizeMicroTimes(Event, 'Event', 'v1', event);
  t.equal(event.eventTime, '2024-01-01T01:00:00.000000Z');
  t.equal(event.series.lastObservedTime, '2023-12-31T23:00:00.000000Z');
  t.equal(event.firstTimestamp, '2024-01-01T00:00:00+01:00', 'a metav1.Time is not a MicroTime');

  const bad = { spec: { renewTime: 'yesterday' } };
  const err = t.throws(() => normalizeMicroTimes(Lease, 'Lease', 'v1', bad)) as unknown;
  t.ok(isApiError(err));
  t.match(err, {
    status: {
      code: 400,
      reason: 'BadRequest',
      message: 'Lease in version "v1" cannot be handled as a Lease: parsing time "yesterday" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "yesterday" as "2006"',
    },
  });
});
