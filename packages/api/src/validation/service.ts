// Service validation, as upstream's ValidateService: type, ports, selector, clusterIP.
// Whether a clusterIP or nodePort is free and inside the configured range is the API
// server's admission (the allocators), not this file.

import { type FieldError, FieldPath, fieldErrors } from '../errors/field.js';
import type { Service } from '../schemas/service.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidIP, isValidLabelValue, isValidPortNum, validateLabels } from './names.js';
import { protocols, validatePortNumOrName } from './pod.js';

export const serviceTypes = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
const affinities = ['None', 'ClientIP'];
const trafficPolicies = ['Cluster', 'Local'];

/** A day: upstream's MaxClientIPServiceAffinitySeconds. */
const maxClientIPAffinitySeconds = 86_400;

export function validateService(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const at = FieldPath.root('spec');
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  if (!(serviceTypes as readonly string[]).includes(type)) errs.push(fieldErrors.notSupported(at.child('type'), type, serviceTypes));
  const ports = spec.ports ?? [];
  if (type === 'ExternalName') {
    if (!spec.externalName) errs.push(fieldErrors.required(at.child('externalName')));
    else for (const m of isDNS1123Subdomain(spec.externalName)) errs.push(fieldErrors.invalid(at.child('externalName'), spec.externalName, m));
    if (spec.clusterIP !== undefined && spec.clusterIP !== '') {
      errs.push(fieldErrors.forbidden(at.child('clusterIP'), 'may not be set for ExternalName services'));
    }
  } else if (ports.length === 0 && spec.clusterIP !== 'None') {
    errs.push(fieldErrors.required(at.child('ports')));
  }
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const pa = at.child('ports').index(i);
    if (ports.length > 1 && !p.name) errs.push(fieldErrors.required(pa.child('name')));
    if (p.name) {
      // A Service port name is a DNS label (upstream's validateServicePort), not an IANA service
      // name as a container port's is: kubectl names ports "80-8080".
      for (const m of isDNS1123Label(p.name)) errs.push(fieldErrors.invalid(pa.child('name'), p.name, m));
      if (names.has(p.name)) errs.push(fieldErrors.duplicate(pa.child('name'), p.name));
      names.add(p.name);
    }
    for (const m of isValidPortNum(p.port)) errs.push(fieldErrors.invalid(pa.child('port'), p.port, m));
    const protocol = p.protocol ?? 'TCP';
    if (!(protocols as readonly string[]).includes(protocol)) errs.push(fieldErrors.notSupported(pa.child('protocol'), protocol, protocols));
    const key = `${p.port}/${protocol}`;
    if (seen.has(key)) errs.push(fieldErrors.duplicate(pa, { port: p.port, protocol }));
    seen.add(key);
    if (p.targetPort !== undefined) errs.push(...validatePortNumOrName(p.targetPort, pa.child('targetPort')));
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type !== 'NodePort' && type !== 'LoadBalancer') {
        errs.push(fieldErrors.forbidden(pa.child('nodePort'), 'may not be used when `type` is \'ClusterIP\''));
      }
      for (const m of isValidPortNum(p.nodePort)) errs.push(fieldErrors.invalid(pa.child('nodePort'), p.nodePort, m));
    }
  });
  errs.push(...validateLabels(spec.selector ?? {}, at.child('selector')));
  for (const [k, v] of Object.entries(spec.selector ?? {})) {
    if (v === '') continue;
    for (const m of isValidLabelValue(v)) errs.push(fieldErrors.invalid(at.child('selector').key(k), v, m));
  }
  if (spec.clusterIP !== undefined && spec.clusterIP !== '' && spec.clusterIP !== 'None') {
    for (const m of isValidIP(spec.clusterIP)) errs.push(fieldErrors.invalid(at.child('clusterIP'), spec.clusterIP, m));
  }
  (spec.externalIPs ?? []).forEach((ip, i) => {
    for (const m of isValidIP(ip)) errs.push(fieldErrors.invalid(at.child('externalIPs').index(i), ip, m));
  });
  if (spec.sessionAffinity !== undefined && !affinities.includes(spec.sessionAffinity)) {
    errs.push(fieldErrors.notSupported(at.child('sessionAffinity'), spec.sessionAffinity, affinities));
  }
  const affinityConfig = at.child('sessionAffinityConfig');
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (timeout === undefined) errs.push(fieldErrors.required(affinityConfig.child('clientIP').child('timeoutSeconds')));
    else if (timeout <= 0 || timeout > maxClientIPAffinitySeconds) {
      errs.push(fieldErrors.invalid(affinityConfig.child('clientIP').child('timeoutSeconds'), timeout, `must be greater than 0 and less than ${maxClientIPAffinitySeconds}`));
    }
  } else if (spec.sessionAffinityConfig !== undefined) {
    errs.push(fieldErrors.forbidden(affinityConfig, `must not be set when session affinity is ${spec.sessionAffinity ?? 'None'}`));
  }
  for (const f of ['externalTrafficPolicy', 'internalTrafficPolicy'] as const) {
    const v = spec[f];
    if (v !== undefined && !trafficPolicies.includes(v)) errs.push(fieldErrors.notSupported(at.child(f), v, trafficPolicies));
  }
  return errs;
}
