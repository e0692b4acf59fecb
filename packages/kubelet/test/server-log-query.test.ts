// The /containerLogs query as upstream's kubelet decodes and validates it.
import t from 'tap';
import { parseLogQuery } from '../src/server/log-query.js';

const now = new Date('2026-01-01T00:10:00Z');
const parse = (q: string) => parseLogQuery(new URLSearchParams(q), now);

t.test('no query: all of both streams, no follow', async (t) => {
  t.same(parse(''), { ok: true, query: { follow: false, previous: false, timestamps: false, stream: 'all' } });
});

t.test('booleans are true unless 0 or false, as Go decodes them', async (t) => {
  t.same(parse('follow=true&previous=1&timestamps'), { ok: true, query: { follow: true, previous: true, timestamps: true, stream: 'all' } });
  t.same(parse('follow=false&previous=0&timestamps=FALSE'), { ok: true, query: { follow: false, previous: false, timestamps: false, stream: 'all' } });
});

t.test('numbers and times', async (t) => {
  const r = parse('tailLines=10&limitBytes=500&sinceTime=2026-01-01T00:05:00Z');
  t.same(r, { ok: true, query: { follow: false, previous: false, timestamps: false, stream: 'all', tailLines: 10, limitBytes: 500, sinceTime: new Date('2026-01-01T00:05:00Z') } });
  t.same(parse('sinceSeconds=60'), { ok: true, query: { follow: false, previous: false, timestamps: false, stream: 'all', sinceTime: new Date('2026-01-01T00:09:00Z') } });
  t.same(parse('tailLines=0'), { ok: true, query: { follow: false, previous: false, timestamps: false, stream: 'all', tailLines: 0 } });
});

t.test('the old tail parameter wins over tailLines, and tail=all is no tail', async (t) => {
  t.match(parse('tail=3&tailLines=7'), { ok: true, query: { tailLines: 3 } });
  t.notOk('tailLines' in ((parse('tail=all&tailLines=7') as { query: object }).query));
});

t.test('stream names are the API names', async (t) => {
  t.match(parse('stream=Stdout'), { ok: true, query: { stream: 'stdout' } });
  t.match(parse('stream=Stderr'), { ok: true, query: { stream: 'stderr' } });
  t.match(parse('stream=All&tailLines=2'), { ok: true, query: { stream: 'all', tailLines: 2 } });
});

t.test('what cannot be decoded is 400 with upstream text', async (t) => {
  for (const q of ['tailLines=x', 'limitBytes=1.5', 'sinceSeconds=ten', 'sinceTime=yesterday', 'sinceTime=2026-01-01']) {
    t.same(parse(q), { ok: false, status: 400, message: '{"message": "Unable to decode query."}' }, q);
  }
});

t.test('what is decoded but invalid is 422 with upstream text', async (t) => {
  for (const q of ['tailLines=-1', 'limitBytes=0', 'sinceSeconds=0', 'sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z', 'stream=stdout', 'stream=Stdout&tailLines=1']) {
    t.same(parse(q), { ok: false, status: 422, message: '{"message": "Invalid request."}' }, q);
  }
});
