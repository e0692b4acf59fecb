// One benchmark replica as its own process: a RaftReplica over a real WAL and the ws transport,
// with the Ledger as its state machine and a small HTTP API for the driver:
//   POST /propose (the payload as the body) -> 200 {"index"} once applied here, 503 otherwise
//   GET  /status -> the replica's status plus the ledger's digest and size
//   GET  /ids    -> the applied proposal ids as a raw native-endian float64 array
// Usage: node replica-process.js '<json of ReplicaProcessConfig>'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { RaftReplica } from '../replica/replica.js';
import { Ledger } from './ledger.js';

export interface ReplicaProcessConfig {
  id: number;
  clusterId: string;
  dataDir: string;
  raftPort: number;
  httpPort: number;
  /** id -> raft peer URL for every member. */
  peers: Record<string, string>;
  tickMs: number;
  snapshotEntries: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ReplicaProcessConfig;
const ledger = new Ledger();
const replica = await RaftReplica.start({
  id: config.id,
  clusterId: config.clusterId,
  dataDir: config.dataDir,
  peers: new Map(Object.entries(config.peers).map(([id, url]) => [Number(id), url])),
  listen: { host: '127.0.0.1', port: config.raftPort },
  stateMachine: ledger,
  tickMs: config.tickMs,
  snapshotEntries: config.snapshotEntries,
  compactionMargin: Math.floor(config.snapshotEntries / 2),
  logger: {
    debug: () => {},
    info: () => {},
    warn: (o, m) => process.stderr.write(`warn ${m ?? ''} ${JSON.stringify(o)}\n`),
    error: (o, m) => process.stderr.write(`error ${m ?? ''} ${JSON.stringify(o)}\n`),
  },
});

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/propose') {
    readBody(req)
      .then((body) => replica.propose(body))
      .then((a) => send(res, 200, { index: a.index }))
      .catch((err: Error) => send(res, 503, { error: err.message, leader: replica.status().leader }));
  } else if (req.method === 'GET' && req.url === '/status') {
    send(res, 200, { ...replica.status(), digest: ledger.digest, count: ledger.ids.size, metrics: replica.metrics, storage: replica.storageStats });
  } else if (req.method === 'GET' && req.url === '/ids') {
    const body = ledger.idsBytes();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.byteLength }).end(body);
  } else {
    send(res, 404, { error: 'not found' });
  }
});
server.keepAliveTimeout = 60_000;
server.listen(config.httpPort, '127.0.0.1');

process.on('SIGTERM', () => {
  server.close();
  void replica.close().then(() => process.exit(0));
});
