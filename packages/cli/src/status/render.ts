// The text view of a StatusReport: one screen, read at a glance.
import { age } from '../ui/durations.js';
import type { NodeRow, PodRow } from './object-rows.js';
import type { StatusReport } from './report.js';

/** More pods than this are counted, not listed: the screen stays one screen (-o json has them all). */
export const podsListed = 20;

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('   ').trimEnd();
  return [line(header), ...rows.map(line)];
}

export function renderStatus(r: StatusReport): string {
  if (!r.running) {
    const why = r.exists ? 'is not running' : 'does not exist';
    return `Cluster "${r.name}" ${why} (data dir ${r.dataDir}).${r.exists ? ' Start it with: kubets up' : ''}\n`;
  }
  const lines = [
    `Cluster "${r.name}": ${r.phase}, up ${age(r.uptimeSeconds ?? 0)} (kubets up, pid ${r.supervisorPid}; data dir ${r.dataDir})`,
    '',
    ...table(['PROCESS', 'PID', 'UPTIME', 'RESTARTS', 'READY', 'LISTENS ON'], r.processes.map((p) => [
      p.name, p.pid === undefined ? '-' : String(p.pid), p.uptimeSeconds === undefined ? '-' : age(p.uptimeSeconds), String(p.restarts), p.ready ? 'yes' : 'no', p.url,
    ])),
    '',
    etcdLine(r),
    `API servers: ${r.apiservers.ready}/${r.apiservers.total} ready`,
    ...objectLines(r),
    '',
    `export KUBECONFIG=${r.kubeconfig}`,
  ];
  return `${lines.join('\n')}\n`;
}

function etcdLine(r: StatusReport): string {
  if (r.etcd.mode === 'external') return `etcd: external (${r.etcd.servers.join(', ')})`;
  const up = r.etcd.members.filter((m) => m.reachable).length;
  const leader = r.etcd.leader === undefined ? 'no leader' : `leader ${r.etcd.leader}`;
  const term = r.etcd.members.find((m) => m.name === r.etcd.leader)?.raftTerm;
  return `etcd: ${up}/${r.etcd.members.length} members answer, ${leader}${term === undefined ? '' : ` (term ${term})`}`;
}

function objectLines(r: StatusReport): string[] {
  const o = r.objects;
  if (o === undefined) return ['The API does not answer: no leaders, nodes or pods to show.'];
  if (!o.reachable) return [`The API did not answer: ${o.error}`];
  const phases = Object.entries(o.podsByPhase).map(([phase, n]) => `${n} ${phase}`).join(', ');
  const ready = o.nodes.filter((n) => n.ready).length;
  return [
    `scheduler leader: ${o.leaders.scheduler ?? 'none (no scheduler has run)'}`,
    `controller-manager leader: ${o.leaders.controllerManager ?? 'none (no controller manager has run)'}`,
    `nodes: ${o.nodes.length === 0 ? 'none' : `${ready}/${o.nodes.length} ready`}`,
    `pods: ${phases === '' ? 'none' : phases}`,
    ...nodeTable(o.nodes),
    ...podTable(o.pods),
  ];
}

const ageCell = (s: number | undefined) => (s === undefined ? '-' : age(s));

function nodeTable(nodes: NodeRow[]): string[] {
  if (nodes.length === 0) return [];
  return ['', ...table(['NODE', 'STATUS', 'ADDRESS', 'POD CIDR', 'AGE'], nodes.map((n) => [n.name, n.status, n.address ?? '-', n.podCidr ?? '-', ageCell(n.ageSeconds)]))];
}

function podTable(pods: PodRow[]): string[] {
  if (pods.length === 0) return [];
  const rows = pods.slice(0, podsListed).map((p) => [
    `${p.namespace}/${p.name}`, p.status, `${p.readyContainers}/${p.containers}`, String(p.restarts), p.podIp ?? '-', p.node ?? '-', ageCell(p.ageSeconds),
  ]);
  const more = pods.length > podsListed ? [`... and ${pods.length - podsListed} more (kubectl get pods -A -o wide)`] : [];
  return ['', ...table(['POD', 'STATUS', 'READY', 'RESTARTS', 'POD IP', 'NODE', 'AGE'], rows), ...more];
}
