// Serving a watch: one JSON event per line over a chunked response (or one per WebSocket
// message), until the client goes, the timeout passes, or the watch ends. A slow client
// gets backpressure, never unbounded buffering.

import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { ResourceInfo } from '@kubets/api';
import type { Watcher, WatchEvent } from '../storage/interface.js';
import { type IncludeObject, tableRows, toTable } from './table.js';

export interface TableMode {
  info: ResourceInfo;
  accept: string | undefined;
  include: IncludeObject;
}

// The watch cache hands one event object to every watcher it reaches unchanged (objects in the
// cache are never mutated), so its JSON is made once, not once per watcher.
const serialized = new WeakMap<WatchEvent, string>();

function eventJson(ev: WatchEvent): string {
  let text = serialized.get(ev);
  if (text === undefined) {
    text = JSON.stringify(ev);
    serialized.set(ev, text);
  }
  return text;
}

/** Turns events into what is sent: the event itself, or with its object as a one-row Table. */
export function eventEncoder(table: TableMode | undefined): (ev: WatchEvent) => string {
  let sentColumns = false;
  return (ev) => {
    if (table === undefined || ev.type === 'ERROR' || ev.type === 'BOOKMARK') return eventJson(ev);
    // Column definitions go out with the first event only, as kube-apiserver does.
    const t = toTable(table.info, [ev.object], { resourceVersion: ev.object.metadata?.resourceVersion }, table.accept, table.include);
    const obj = sentColumns ? { ...t, columnDefinitions: [] as unknown[], rows: tableRows(table.info, [ev.object], table.include) } : t;
    sentColumns = true;
    return JSON.stringify({ type: ev.type, object: obj });
  };
}

function waitDrainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function streamWatch(res: ServerResponse, watcher: Watcher, encode: (ev: WatchEvent) => string, timeoutMs: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  const timer = setTimeout(() => watcher.stop(), timeoutMs);
  res.on('close', () => watcher.stop());
  try {
    for await (const ev of watcher) {
      if (res.destroyed) break;
      if (!res.write(`${encode(ev)}\n`)) await waitDrainOrClose(res);
    }
  } finally {
    clearTimeout(timer);
    watcher.stop();
    if (!res.destroyed) res.end();
  }
}

export async function streamWatchOverWebSocket(ws: WebSocket, watcher: Watcher, encode: (ev: WatchEvent) => string, timeoutMs: number): Promise<void> {
  const timer = setTimeout(() => watcher.stop(), timeoutMs);
  ws.on('close', () => watcher.stop());
  ws.on('error', () => watcher.stop());
  try {
    for await (const ev of watcher) {
      if (ws.readyState !== ws.OPEN) break;
      // A text message per event, ending in a newline as kube-apiserver's JSON encoder writes it.
      const data = `${encode(ev)}\n`;
      // Backpressure: past 4 MiB unsent, wait until this message has been written out.
      if (ws.bufferedAmount > 4 << 20) await new Promise<void>((resolve) => ws.send(data, () => resolve()));
      else ws.send(data);
    }
  } finally {
    clearTimeout(timer);
    watcher.stop();
    if (ws.readyState === ws.OPEN) ws.close(1000);
  }
}
