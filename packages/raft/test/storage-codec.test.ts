import t from 'tap';
import fc from 'fast-check';
import {
  CodecError,
  crc32c,
  decodeEntry,
  decodeHardState,
  decodeMessage,
  decodeSnapshotMetadata,
  encodeEntry,
  encodeHardState,
  encodeMessage,
  encodeSnapshotMetadata,
  messageSize,
} from '../src/storage/index.js';
import type { Entry, Message, MessageType, SnapshotMetadata } from '../src/types.js';

const u64 = fc.oneof(fc.nat({ max: 1000 }), fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1), fc.maxSafeNat());
const bytes = fc.uint8Array({ maxLength: 64 });
const entryArb: fc.Arbitrary<Entry> = fc.record({
  term: u64,
  index: u64,
  type: fc.constantFrom('normal' as const, 'confChange' as const),
  data: bytes,
});
const metaArb: fc.Arbitrary<SnapshotMetadata> = fc.record({
  index: u64,
  term: u64,
  confState: fc.record({ voters: fc.array(u64, { maxLength: 5 }), learners: fc.array(u64, { maxLength: 3 }) }),
});
const types: MessageType[] = [
  'app', 'appResp', 'vote', 'voteResp', 'preVote', 'preVoteResp', 'heartbeat', 'heartbeatResp',
  'snap', 'timeoutNow', 'readIndex', 'readIndexResp', 'prop',
];
const messageArb: fc.Arbitrary<Message> = fc
  .record({
    type: fc.constantFrom(...types),
    from: u64,
    to: u64,
    term: u64,
    logTerm: u64,
    index: u64,
    entries: fc.array(entryArb, { maxLength: 4 }),
    commit: u64,
    reject: fc.boolean(),
    rejectHint: u64,
    context: bytes,
    snapshot: fc.option(fc.record({ metadata: metaArb, data: fc.uint8Array({ maxLength: 256 }) }), { nil: undefined }),
  })
  .map((m) => {
    if (m.snapshot === undefined) delete (m as Partial<Message>).snapshot;
    return m as Message;
  });

t.test('crc32c matches the published check value', async (t) => {
  t.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  t.equal(crc32c(new Uint8Array(0)), 0);
  // Chaining equals one pass over the concatenation, at every split point.
  const all = Buffer.from('The quick brown fox jumps over the lazy dog, twice over.');
  for (let i = 0; i <= all.length; i++) {
    t.equal(crc32c(all.subarray(i), crc32c(all.subarray(0, i))), crc32c(all), `split at ${i}`);
  }
  t.equal(crc32c(all, 0, 4, 9), crc32c(all.subarray(4, 9)), 'a range equals its subarray');
});

t.test('every record type round-trips', async (t) => {
  fc.assert(fc.property(entryArb, (e) => t.same(decodeEntry(encodeEntry(e)), e)), { seed: 42 });
  fc.assert(fc.property(fc.record({ term: u64, vote: u64, commit: u64 }), (hs) => t.same(decodeHardState(encodeHardState(hs)), hs)), { seed: 42 });
  fc.assert(fc.property(metaArb, (m) => t.same(decodeSnapshotMetadata(encodeSnapshotMetadata(m)), m)), { seed: 42 });
  fc.assert(
    fc.property(messageArb, (m) => {
      const buf = encodeMessage(m);
      t.equal(buf.length, messageSize(m), 'messageSize is exact');
      t.same(decodeMessage(buf), m);
    }),
    { seed: 42, numRuns: 300 },
  );
  t.equal(encodeHardState({ term: 1, vote: 2, commit: 3 }).length, 24, 'a hard state is 24 bytes');
});

t.test('decoded bytes are copies, not views of the input', async (t) => {
  const buf = encodeEntry({ term: 1, index: 2, type: 'normal', data: new Uint8Array([1, 2, 3]) });
  const e = decodeEntry(buf);
  buf.fill(0);
  t.same([...e.data], [1, 2, 3]);
  t.notOk(Buffer.isBuffer(e.data), 'a plain Uint8Array');
});

t.test('encoding refuses values the format cannot hold', async (t) => {
  const bad = (v: number) => encodeHardState({ term: v, vote: 0, commit: 0 });
  t.throws(() => bad(-1), RangeError);
  t.throws(() => bad(2 ** 53), RangeError);
  t.throws(() => bad(1.5), RangeError);
  t.throws(() => bad(Number.NaN), RangeError);
  t.throws(() => encodeEntry({ term: 1, index: 1, type: 'bogus' as 'normal', data: new Uint8Array() }), RangeError);
});

t.test('malformed bytes throw CodecError, never anything else', async (t) => {
  const m: Message = {
    type: 'app', from: 1, to: 2, term: 3, logTerm: 2, index: 10, commit: 9, reject: false, rejectHint: 0,
    context: new Uint8Array([7]),
    entries: [{ term: 3, index: 11, type: 'normal', data: new Uint8Array(40).fill(5) }],
    snapshot: { metadata: { index: 5, term: 1, confState: { voters: [1, 2, 3], learners: [] } }, data: new Uint8Array(30) },
  };
  const full = encodeMessage(m);
  for (let cut = 0; cut < full.length; cut++) {
    t.throws(() => decodeMessage(full.subarray(0, cut)), CodecError, `truncated to ${cut} bytes`);
  }
  t.throws(() => decodeMessage(Buffer.concat([full, Buffer.from([0])])), /trailing/);

  const unknownType = Buffer.from(full);
  unknownType[0] = 200;
  t.throws(() => decodeMessage(unknownType), /unknown message type 200/);

  // A huge length or count must be refused before anything is allocated.
  const hugeCount = Buffer.from(full);
  hugeCount.writeUInt32LE(0xffffffff, 2 + 7 * 8 + 4 + 1);
  t.throws(() => decodeMessage(hugeCount), CodecError);
  const hugeContext = Buffer.from(full);
  hugeContext.writeUInt32LE(0xfffffff0, 2 + 7 * 8);
  t.throws(() => decodeMessage(hugeContext), /truncated message.context/);
  const beyond53 = Buffer.from(full);
  beyond53.writeUInt32LE(0x00200000, 2 + 4); // high word of `from`
  t.throws(() => decodeMessage(beyond53), /exceeds 2\^53/);

  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
      try {
        decodeMessage(junk);
      } catch (err) {
        if (!(err instanceof CodecError)) throw err;
      }
    }),
    { seed: 42, numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.nat({ max: full.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
      const flipped = Buffer.from(full);
      flipped[at]! ^= x;
      try {
        decodeMessage(flipped);
      } catch (err) {
        if (!(err instanceof CodecError)) throw err;
      }
    }),
    { seed: 42, numRuns: 2000 },
  );
});
