// Reads every WAL segment at startup and tells a crash apart from corruption.
//
// A crash can only damage what was written after the last fsync, which is always the end of the
// last segment (segments are created complete, by rename). So a damaged record is a torn tail,
// cut away, when it is in the last segment and no intact record follows it. Anything else (a
// damaged record in an earlier segment, or one followed by intact records, a missing segment, a
// broken CRC chain) is corruption: refuse to start, naming the file and the byte offset.

import { join } from 'node:path';
import type { StorageFs } from './fs.js';
import { CodecError, CorruptionError } from './errors.js';
import type { Logger } from './logger.js';
import {
  decodeSegmentPayload,
  decodeStatePayload,
  findIntactRecord,
  parseRecord,
  RecordType,
  type StateUpdate,
} from './record.js';
import { parseSegmentFileName, SEGMENT_TMP_SUFFIX, segmentFileName, type SegmentName } from './segment-name.js';

export interface SegmentFile extends SegmentName {
  path: string;
}

export interface WalRecord {
  update: StateUpdate;
  /** Where the record is, for error messages. */
  file: string;
  offset: number;
}

export interface WalContents {
  /** Segments in log order; empty for a new log. */
  segments: SegmentFile[];
  records: WalRecord[];
  /** The CRC chain value after the last record. */
  chain: number;
  /** Valid length of the last segment (after any torn tail was cut). */
  tailSize: number;
}

/** Lists segment files in order, removing leftovers of interrupted segment creation. */
export async function listSegments(fs: StorageFs, dir: string, logger: Logger): Promise<SegmentFile[]> {
  const segments: SegmentFile[] = [];
  for (const name of await fs.readdir(dir)) {
    if (name.endsWith(SEGMENT_TMP_SUFFIX)) {
      logger.warn({ file: join(dir, name) }, 'removing a WAL segment whose creation was interrupted');
      await fs.unlink(join(dir, name));
      continue;
    }
    const parsed = parseSegmentFileName(name);
    if (!parsed) {
      logger.warn({ file: join(dir, name) }, 'ignoring an unknown file in the WAL directory');
      continue;
    }
    segments.push({ ...parsed, path: join(dir, name) });
  }
  segments.sort((a, b) => a.seq - b.seq);
  for (let i = 1; i < segments.length; i++) {
    const prev = segments[i - 1]!;
    const cur = segments[i]!;
    if (cur.seq !== prev.seq + 1) {
      throw new CorruptionError(cur.path, 0, `segment ${prev.seq + 1} is missing (found ${prev.seq} then ${cur.seq})`);
    }
    if (cur.firstIndex < prev.firstIndex) {
      throw new CorruptionError(cur.path, 0, `first index ${cur.firstIndex} is below the previous segment's ${prev.firstIndex}`);
    }
  }
  return segments;
}

export async function readWal(fs: StorageFs, dir: string, logger: Logger): Promise<WalContents> {
  const segments = await listSegments(fs, dir, logger);
  const records: WalRecord[] = [];
  let chain = 0;
  let tailSize = 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    const buf = await fs.readFile(seg.path);
    let off = 0;
    while (off < buf.length) {
      const rec = parseRecord(buf, off, chain);
      if (!rec.ok) {
        if (!last) throw new CorruptionError(seg.path, off, `${rec.reason} in a segment that is not the last`);
        if (off === 0) throw new CorruptionError(seg.path, 0, `${rec.reason} in the segment header (segments are created whole)`);
        const intact = findIntactRecord(buf, rec.extentEnd ?? off + 1);
        if (intact >= 0) throw new CorruptionError(seg.path, off, `${rec.reason}, yet an intact record follows at byte ${intact}`);
        logger.warn(
          { file: seg.path, offset: off, droppedBytes: buf.length - off, reason: rec.reason },
          'WAL ends with a torn record (a crash during a write); truncating it',
        );
        const f = await fs.openForWrite(seg.path);
        try {
          await f.truncate(off);
          await f.datasync();
        } finally {
          await f.close();
        }
        break;
      }
      try {
        if (off === 0) {
          if (rec.type !== RecordType.SEGMENT) throw new CorruptionError(seg.path, 0, 'segment does not start with a segment header');
          const info = decodeSegmentPayload(buf, rec.payloadStart, rec.payloadEnd);
          if (info.seq !== seg.seq || info.firstIndex !== seg.firstIndex) {
            const expected = segmentFileName(info);
            throw new CorruptionError(seg.path, 0, `segment header says ${expected}, which is not this file's name`);
          }
          if (i > 0 && info.prevCrc !== chain) {
            throw new CorruptionError(seg.path, 0, 'CRC chain broken between this segment and the previous one');
          }
        } else {
          if (rec.type !== RecordType.STATE) throw new CorruptionError(seg.path, off, `unexpected record type ${rec.type} inside a segment`);
          const update = decodeStatePayload(buf, rec.payloadStart, rec.payloadEnd);
          records.push({ update, file: seg.path, offset: off });
        }
      } catch (err) {
        // An intact CRC over undecodable bytes: a bug or a CRC collision, never a torn write.
        if (err instanceof CodecError) throw new CorruptionError(seg.path, off, `undecodable record: ${err.message}`);
        throw err;
      }
      chain = rec.crc;
      off = rec.payloadEnd;
    }
    if (buf.length === 0) throw new CorruptionError(seg.path, 0, 'empty segment file (segments are created whole)');
    if (last) tailSize = off;
  }
  return { segments, records, chain, tailSize };
}
