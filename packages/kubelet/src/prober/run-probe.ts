// One probe, whatever its kind: the dispatch of upstream's prober.runProbe, with its retries of
// a probe that errored (not of one that failed).
import type { Container, Probe } from '@kubets/api';
import { resolveContainerPort } from './container-port.js';
import { ProbeError } from './errors.js';
import { probeExec } from './exec-probe.js';
import { probeGrpc } from './grpc-probe.js';
import { httpGetRequestFor } from './http-get.js';
import { probeHttpGet } from './http-probe.js';
import type { ExecFn, ProbeRun } from './probe-outcome.js';
import { probeTcp } from './tcp-probe.js';

/** The container a probe is run against. */
export interface ProbeTarget {
  exec: ExecFn;
  containerId: string;
  podIP: string;
  container: Container;
}

const maxProbeRetries = 3;

/** Runs the probe once; throws ProbeError when it cannot be run at all. */
export async function runProbeOnce(probe: Probe, target: ProbeTarget): Promise<ProbeRun> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.exec !== undefined) return probeExec(target.exec, target.containerId, probe.exec.command ?? [], timeoutMs);
  if (probe.httpGet !== undefined) return probeHttpGet(httpGetRequestFor(probe.httpGet, target.container, target.podIP, 'probe', timeoutMs));
  if (probe.tcpSocket !== undefined) {
    const host = probe.tcpSocket.host !== undefined && probe.tcpSocket.host !== '' ? probe.tcpSocket.host : target.podIP;
    return probeTcp(host, resolveContainerPort(probe.tcpSocket.port, target.container), timeoutMs);
  }
  if (probe.grpc !== undefined) return probeGrpc(target.podIP, probe.grpc.port, probe.grpc.service ?? '', timeoutMs);
  throw new ProbeError('MissingHandler', `missing probe handler for container ${target.container.name}`);
}

/** Runs the probe, trying again (up to 3 times in all) while it errors; throws the last ProbeError. */
export async function runProbe(probe: Probe, target: ProbeTarget): Promise<ProbeRun> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runProbeOnce(probe, target);
    } catch (err) {
      if (!(err instanceof ProbeError) || attempt >= maxProbeRetries) throw err;
    }
  }
}
