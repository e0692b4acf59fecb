// A probe's or hook's port: a number, or the name of one of the container's ports (upstream's
// probe.ResolveContainerPort, including its last try of a number written as a string).
import type { Container, IntOrString } from '@kubets/api';
import { ProbeError } from './errors.js';

export function resolveContainerPort(port: IntOrString, container: Container): number {
  const resolved = typeof port === 'number' ? port : portByName(port, container);
  if (!Number.isInteger(resolved) || resolved <= 0 || resolved >= 65536) {
    throw new ProbeError('InvalidPort', `invalid port number: ${resolved}`);
  }
  return resolved;
}

function portByName(name: string, container: Container): number {
  const named = (container.ports ?? []).find((p) => p.name === name);
  if (named !== undefined) return named.containerPort;
  if (!/^[+-]?\d+$/.test(name)) throw new ProbeError('InvalidPort', `strconv.Atoi: parsing ${JSON.stringify(name)}: invalid syntax`);
  return Number(name);
}
