// One /v3/watch HTTP stream: any number of watches created, canceled and asked for progress over
// the request body, their responses written as `{"result": WatchResponse}` lines, as etcd 3.4's
// gateway does. Watch ids are assigned per stream from 0 unless the client picks one.
import type { Event } from '../mvcc/types.js';
import { bool, enumOf, field, int, object, bytes, type Json } from '../json/read-fields.js';
import { event, type Out } from '../json/responses.js';
import type { Watcher, WatchHub } from './hub.js';

const filterTypes = ['NOPUT', 'NODELETE'] as const;

export interface SessionContext {
  hub: WatchHub;
  /** A response header at `revision` (undefined: the current one; 0: none). */
  header(revision?: number): Out;
  /** Sends progress notifications to watches that asked for them, this often. */
  progressNotifyMs: number;
}

interface SessionWatch {
  id: number;
  watcher: Watcher;
  progressNotify: boolean;
  /** Events were sent since the last progress notification. */
  active: boolean;
}

export class WatchSession {
  private readonly watches = new Map<number, SessionWatch>();
  private nextId = 0;
  private closed = false;
  private readonly progressTimer: NodeJS.Timeout;

  constructor(
    private readonly ctx: SessionContext,
    private readonly write: (line: string) => void,
  ) {
    this.progressTimer = setInterval(() => this.notifyProgress(), ctx.progressNotifyMs);
    this.progressTimer.unref();
  }

  /** One WatchRequest from the stream. */
  handle(req: Json): void {
    if (this.closed) return;
    const create = object(req, 'create_request');
    if (create) return this.create(create);
    const cancel = object(req, 'cancel_request');
    if (cancel) return this.cancel(int(cancel, 'watch_id') ?? 0);
    if (field(req, 'progress_request') !== undefined) {
      // Not tied to one watch: watch_id -1 tells the client to deliver it to all of them.
      this.send({ header: this.ctx.header(), watch_id: '-1' });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.progressTimer);
    for (const w of this.watches.values()) this.ctx.hub.remove(w.watcher);
    this.watches.clear();
  }

  private create(c: Json): void {
    const requested = int(c, 'watch_id') ?? 0;
    const filters = (Array.isArray(field(c, 'filters')) ? (field(c, 'filters') as unknown[]) : []).map((f) => enumOf({ f }, 'f', filterTypes));
    let id = requested;
    if (requested === 0 || requested < 0) {
      while (this.watches.has(this.nextId)) this.nextId++;
      id = this.nextId++;
    } else if (this.watches.has(requested)) {
      this.send({ header: this.ctx.header(), watch_id: '-1', created: true, canceled: true, cancel_reason: 'mvcc: duplicate watch ID provided on the WatchStream' });
      return;
    }
    const sw: SessionWatch = {
      id,
      progressNotify: bool(c, 'progress_notify') ?? false,
      active: false,
      watcher: {
        key: bytes(c, 'key') ?? Buffer.alloc(0),
        rangeEnd: bytes(c, 'range_end'),
        prevKv: bool(c, 'prev_kv') ?? false,
        noPut: filters.includes('NOPUT'),
        noDelete: filters.includes('NODELETE'),
        deliver: (events, revision) => this.deliver(sw, events, revision),
      },
    };
    this.send({ header: this.ctx.header(), ...idField(id), created: true });
    this.watches.set(id, sw);
    const added = this.ctx.hub.add(sw.watcher, int(c, 'start_revision') ?? 0);
    if (added.compacted !== undefined) {
      this.watches.delete(id);
      // As etcd: this header carries no revision.
      this.send({ header: this.ctx.header(0), ...idField(id), canceled: true, compact_revision: String(added.compacted) });
    }
  }

  private cancel(id: number): void {
    const sw = this.watches.get(id);
    if (!sw) return;
    this.ctx.hub.remove(sw.watcher);
    this.watches.delete(id);
    this.send({ header: this.ctx.header(), ...idField(id), canceled: true });
  }

  private deliver(sw: SessionWatch, events: Event[], revision: number): void {
    sw.active = true;
    this.send({ header: this.ctx.header(revision), ...idField(sw.id), events: events.map(event) });
  }

  /** etcd's progress_notify: a watch that saw no events for an interval learns the current revision. */
  private notifyProgress(): void {
    for (const sw of this.watches.values()) {
      if (sw.progressNotify && !sw.active) this.send({ header: this.ctx.header(), ...idField(sw.id) });
      sw.active = false;
    }
  }

  private send(result: Out): void {
    if (!this.closed) this.write(`${JSON.stringify({ result })}\n`);
  }
}

/** watch_id is an int64: a string, and left out when 0. */
function idField(id: number): Out {
  return id === 0 ? {} : { watch_id: String(id) };
}
