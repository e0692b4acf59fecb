// The Service environment variables a container starts with, as upstream's kubelet makes them
// (pkg/kubelet/envvars and getServiceEnvVarMap): <NAME>_SERVICE_HOST/_PORT/_PORT_<PORTNAME>
// and the Docker-link forms <NAME>_PORT, <NAME>_PORT_<port>_<PROTO>{,_PROTO,_PORT,_ADDR}.
import type { Service } from '@kubets/api';

export interface EnvVar {
  name: string;
  value: string;
}

/** The Services whose names reach every pod, whatever enableServiceLinks says. */
const masterServices = new Set(['kubernetes']);

/** A headless Service (None) or one not yet allocated ("") gives no variables. */
export function hasClusterIP(service: Service): boolean {
  const ip = service.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/**
 * Picks the Services a pod in namespace sees: the master services of masterNamespace always,
 * those of its own namespace when enableServiceLinks. Sorted by name, so the order is stable.
 */
export function servicesForPod(services: readonly Service[], namespace: string, enableServiceLinks: boolean, masterNamespace: string): Service[] {
  const byName = new Map<string, Service>();
  for (const service of services) {
    if (!hasClusterIP(service)) continue;
    const name = service.metadata?.name ?? '';
    if (service.metadata?.namespace === masterNamespace && masterServices.has(name)) {
      if (!byName.has(name)) byName.set(name, service);
    } else if (service.metadata?.namespace === namespace && enableServiceLinks) {
      byName.set(name, service);
    }
  }
  return [...byName.keys()].sort().map((name) => byName.get(name)!);
}

/** The variables of each Service, in upstream's order. */
export function serviceEnvironment(services: readonly Service[]): EnvVar[] {
  return services.filter(hasClusterIP).flatMap(variablesOf);
}

function variablesOf(service: Service): EnvVar[] {
  const ports = service.spec?.ports ?? [];
  if (ports.length === 0) return [];
  const prefix = envVariableName(service.metadata?.name ?? '');
  const host = service.spec!.clusterIP!;
  const out: EnvVar[] = [
    { name: `${prefix}_SERVICE_HOST`, value: host },
    { name: `${prefix}_SERVICE_PORT`, value: String(ports[0]!.port) },
  ];
  for (const port of ports) {
    if (port.name) out.push({ name: `${prefix}_SERVICE_PORT_${envVariableName(port.name)}`, value: String(port.port) });
  }
  return out.concat(linkVariables(prefix, host, ports));
}

/** Docker's link variables; Docker special-cases the first port as <NAME>_PORT. */
function linkVariables(prefix: string, host: string, ports: ReadonlyArray<{ port: number; protocol?: string }>): EnvVar[] {
  const out: EnvVar[] = [];
  ports.forEach((port, i) => {
    const protocol = port.protocol || 'TCP';
    const url = `${protocol.toLowerCase()}://${host}:${port.port}`;
    if (i === 0) out.push({ name: `${prefix}_PORT`, value: url });
    const portPrefix = `${prefix}_PORT_${port.port}_${protocol.toUpperCase()}`;
    out.push(
      { name: portPrefix, value: url },
      { name: `${portPrefix}_PROTO`, value: protocol.toLowerCase() },
      { name: `${portPrefix}_PORT`, value: String(port.port) },
      { name: `${portPrefix}_ADDR`, value: host },
    );
  });
  return out;
}

/** my-svc.v2 -> MY_SVC_V2; a leading digit gets an underscore before it. */
export function envVariableName(name: string): string {
  const upper = name.replaceAll('.', '_').replaceAll('-', '_').toUpperCase();
  return /^[0-9]/.test(upper) ? `_${upper}` : upper;
}
