// The last events of a run, for the failure report. Tracing is off for normal runs (formatting
// costs time); a failing seed is replayed with it on, which is exact because runs are
// deterministic.
import type { Message } from '../types.js';

export class Trace {
  private buf: string[] = [];
  private at = 0;

  constructor(
    readonly enabled: boolean,
    private readonly keep = 400,
  ) {}

  add(now: number, text: string | (() => string)): void {
    if (!this.enabled) return;
    const line = `${(now / 1000).toFixed(3).padStart(9)}s ${typeof text === 'string' ? text : text()}`;
    if (this.buf.length < this.keep) this.buf.push(line);
    else {
      this.buf[this.at] = line;
      this.at = (this.at + 1) % this.keep;
    }
  }

  lines(): string[] {
    return [...this.buf.slice(this.at), ...this.buf.slice(0, this.at)];
  }
}

export function fmtMessage(m: Message): string {
  let s = `${m.type} ${m.from}->${m.to} t${m.term}`;
  switch (m.type) {
    case 'app':
      s += ` prev=${m.index}/${m.logTerm} n=${m.entries.length}${m.entries.length ? ` [${m.entries[0]!.index}..${m.entries[m.entries.length - 1]!.index}]` : ''} c=${m.commit}`;
      break;
    case 'appResp':
      s += ` i=${m.index}${m.reject ? ` REJECT hint=${m.rejectHint}/${m.logTerm}` : ''}`;
      break;
    case 'vote':
    case 'preVote':
      s += ` last=${m.index}/${m.logTerm}${m.context.length ? ' (transfer)' : ''}`;
      break;
    case 'voteResp':
    case 'preVoteResp':
      s += m.reject ? ' REJECT' : ' GRANT';
      break;
    case 'heartbeat':
      s += ` c=${m.commit}${m.context.length ? ` ctx=${ctx(m.context)}` : ''}`;
      break;
    case 'heartbeatResp':
      s += m.context.length ? ` ctx=${ctx(m.context)}` : '';
      break;
    case 'snap':
      s += ` snap=${m.snapshot?.metadata.index}/${m.snapshot?.metadata.term} conf=${JSON.stringify(m.snapshot?.metadata.confState)}`;
      break;
    case 'readIndex':
    case 'readIndexResp':
      s += ` i=${m.index} ctx=${ctx(m.context)}`;
      break;
    case 'prop':
      s += ` n=${m.entries.length}`;
      break;
    default:
      break;
  }
  return s;
}

function ctx(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
