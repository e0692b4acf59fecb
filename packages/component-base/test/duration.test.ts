import t from 'tap';
import { InvalidArgumentError } from 'commander';
import { durationOption, formatDuration, formatDurationNanos, InvalidDurationError, parseDuration, parseDurationNanos } from '../src/index.js';

const ns = 1n;
const us = 1000n * ns;
const ms = 1000n * us;
const s = 1000n * ms;
const m = 60n * s;
const h = 60n * m;

// Go's own table (src/time/time_test.go, parseDurationTests).
const valid: [string, bigint][] = [
  ['0', 0n],
  ['5s', 5n * s],
  ['30s', 30n * s],
  ['1478s', 1478n * s],
  ['-5s', -5n * s],
  ['+5s', 5n * s],
  ['-0', 0n],
  ['+0', 0n],
  ['5.0s', 5n * s],
  ['5.6s', 5n * s + 600n * ms],
  ['5.s', 5n * s],
  ['.5s', 500n * ms],
  ['1.0s', 1n * s],
  ['1.00s', 1n * s],
  ['1.004s', 1n * s + 4n * ms],
  ['1.0040s', 1n * s + 4n * ms],
  ['100.00100s', 100n * s + 1n * ms],
  ['10ns', 10n * ns],
  ['11us', 11n * us],
  ['12µs', 12n * us], // U+00B5
  ['12μs', 12n * us], // U+03BC
  ['13ms', 13n * ms],
  ['14s', 14n * s],
  ['15m', 15n * m],
  ['16h', 16n * h],
  ['3h30m', 3n * h + 30n * m],
  ['10.5s4m', 4n * m + 10n * s + 500n * ms],
  ['-2m3.4s', -(2n * m + 3n * s + 400n * ms)],
  ['1h2m3s4ms5us6ns', 1n * h + 2n * m + 3n * s + 4n * ms + 5n * us + 6n * ns],
  ['39h9m14.425s', 39n * h + 9n * m + 14n * s + 425n * ms],
  ['52763797000ns', 52763797000n * ns],
  ['0.3333333333333333333h', 20n * m],
  ['9007199254740993ns', (1n << 53n) + 1n],
  ['9223372036854775807ns', (1n << 63n) - 1n],
  ['9223372036854775.807us', (1n << 63n) - 1n],
  ['9223372036s854ms775us807ns', (1n << 63n) - 1n],
  ['-9223372036854775808ns', -(1n << 63n)],
  ['-9223372036854775.808us', -(1n << 63n)],
  ['-9223372036s854ms775us808ns', -(1n << 63n)],
  ['-2562047h47m16.854775808s', -(1n << 63n)],
  ['0.100000000000000000000h', 6n * m],
  ['0.830103483285477580700h', 49n * m + 48n * s + 372539827n * ns],
];

// parseDurationErrorTests, with the error each one gets.
const invalid: [string, InvalidDurationError['reason']][] = [
  ['', 'invalid'],
  ['3', 'missingUnit'],
  ['-', 'invalid'],
  ['s', 'invalid'],
  ['.', 'invalid'],
  ['-.', 'invalid'],
  ['.s', 'invalid'],
  ['+.s', 'invalid'],
  ['1d', 'unknownUnit'],
  ['\uFFFD', 'invalid'],
  ['\uFFFD hello \uFFFD world', 'invalid'],
  ['9223372036854775810ns', 'invalid'],
  ['9223372036854775808ns', 'invalid'],
  ['-9223372036854775809ns', 'invalid'],
  ['9223372036854775.808us', 'invalid'],
  ['9223372036854ms775us808ns', 'invalid'],
  // and a few more that people type
  ['1', 'missingUnit'],
  ['1x', 'unknownUnit'],
  ['1hx', 'unknownUnit'],
  ['1S', 'unknownUnit'],
  [' 1s', 'invalid'],
  ['1s ', 'unknownUnit'],
  ['1.2.3s', 'missingUnit'], // Go reads 1.2 and finds '.' where the unit should be
  ['00', 'missingUnit'],
];

t.test('every duration in Go\'s ParseDuration table parses to its nanoseconds', async (t) => {
  for (const [text, want] of valid) t.equal(parseDurationNanos(text), want, text);
});

t.test('every string Go refuses is refused, with Go\'s kind of error', async (t) => {
  for (const [text, reason] of invalid) {
    t.throws(() => parseDurationNanos(text), { name: 'InvalidDurationError', reason }, JSON.stringify(text));
  }
});

t.test('the error messages are Go\'s', async (t) => {
  t.throws(() => parseDuration('1'), { message: 'time: missing unit in duration "1"' });
  t.throws(() => parseDuration('1x'), { message: 'time: unknown unit "x" in duration "1x"' });
  t.throws(() => parseDuration(''), { message: 'time: invalid duration ""' });
});

t.test('milliseconds are what the rest of kubets counts in, fractions below one included', async (t) => {
  t.equal(parseDuration('1h2m3.5s'), 3_723_500);
  t.equal(parseDuration('300ms'), 300);
  t.equal(parseDuration('1.5h'), 5_400_000);
  t.equal(parseDuration('-1s'), -1000);
  t.equal(parseDuration('+5s'), 5000);
  t.equal(parseDuration('0'), 0);
  t.equal(parseDuration('1500us'), 1.5);
  t.equal(parseDuration('10m0s'), 600_000);
});

// Go's durationTests (Duration.String).
const formats: [string, bigint][] = [
  ['0s', 0n],
  ['1ns', 1n * ns],
  ['1.1µs', 1100n * ns],
  ['2.2ms', 2200n * us],
  ['3.3s', 3300n * ms],
  ['4m5s', 4n * m + 5n * s],
  ['4m5.001s', 4n * m + 5001n * ms],
  ['5h6m7.001s', 5n * h + 6n * m + 7001n * ms],
  ['8m0.000000001s', 8n * m + 1n * ns],
  ['2562047h47m16.854775807s', (1n << 63n) - 1n],
  ['-2562047h47m16.854775808s', -(1n << 63n)],
];

t.test('formatting is Go\'s Duration.String()', async (t) => {
  for (const [want, d] of formats) t.equal(formatDurationNanos(d), want, want);
  t.equal(formatDuration(3_723_500), '1h2m3.5s');
  t.equal(formatDuration(300), '300ms');
  t.equal(formatDuration(0), '0s');
  t.equal(formatDuration(600_000), '10m0s');
  t.equal(formatDuration(-1000), '-1s');
});

t.test('what is formatted parses back to the same duration', async (t) => {
  for (const [, d] of formats) t.equal(parseDurationNanos(formatDurationNanos(d)), d);
});

t.test('the option parser turns a bad duration into commander\'s InvalidArgumentError that says what a duration is', async (t) => {
  t.equal(durationOption('1m30s'), 90_000);
  t.throws(() => durationOption('1'), InvalidArgumentError);
  t.throws(() => durationOption('1'), { message: /missing unit in duration "1".*such as 300ms/ });
});
