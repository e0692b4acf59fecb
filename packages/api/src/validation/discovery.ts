// EndpointSlice validation, as upstream's discovery validation: a known addressType, 1-100
// addresses per endpoint valid for it, at most 1000 endpoints and 100 ports, unique port names.
// Deviation: loopback addresses are accepted (kubets' unprivileged pods live on 127.0.0.0/8, as
// its Endpoints validation already accepts them); upstream refuses special addresses.

import { type FieldError, FieldPath, fieldErrors, pushInvalid } from '../errors/field.js';
import type { Endpoint, EndpointSlice, EndpointSlicePort } from '../schemas/discovery.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidIPv4Address, isValidIPv6Address, isValidLabelValue, nameIsDNSSubdomain } from './names.js';
import { unchanged } from './update.js';

export const addressTypes = ['FQDN', 'IPv4', 'IPv6'] as const;
const portProtocols = ['SCTP', 'TCP', 'UDP'];
const maxAddresses = 100;
const maxPorts = 100;
const maxEndpoints = 1000;
const maxZoneHints = 8;

/** Upstream's IsFullyQualifiedDomainName: a DNS subdomain of at least two labels, an optional final dot. */
function fqdnErrors(errs: FieldError[], at: FieldPath, address: string): void {
  if (address === '') {
    errs.push(fieldErrors.required(at));
    return;
  }
  const name = address.endsWith('.') ? address.slice(0, -1) : address;
  const subdomain = isDNS1123Subdomain(name);
  if (subdomain.length > 0) {
    errs.push(fieldErrors.invalid(at, name, subdomain.join(',')));
    return;
  }
  const labels = name.split('.');
  if (labels.length < 2) {
    errs.push(fieldErrors.invalid(at, name, 'should be a domain with at least two segments separated by dots'));
    return;
  }
  for (const label of labels) {
    const problems = isDNS1123Label(label);
    if (problems.length > 0) return void errs.push(fieldErrors.invalid(at, label, problems.join(',')));
  }
}

const addressChecks: Record<string, (errs: FieldError[], at: FieldPath, address: string) => void> = {
  IPv4: (errs, at, a) => pushInvalid(errs, at, a, isValidIPv4Address(a)),
  IPv6: (errs, at, a) => pushInvalid(errs, at, a, isValidIPv6Address(a)),
  FQDN: fqdnErrors,
};

function validateHints(hints: Endpoint['hints'], at: FieldPath, errs: FieldError[]): void {
  const zones = hints?.forZones ?? [];
  if (zones.length > maxZoneHints) return void errs.push(fieldErrors.tooMany(at.child('forZones'), zones.length, maxZoneHints));
  const seen = new Set<string>();
  zones.forEach((z, i) => {
    const zAt = at.child('forZones').index(i).child('name');
    if (seen.has(z.name)) errs.push(fieldErrors.duplicate(zAt, z.name));
    seen.add(z.name);
    pushInvalid(errs, zAt, z.name, isValidLabelValue(z.name));
  });
}

function validateEndpoint(e: Endpoint, at: FieldPath, addressType: string, errs: FieldError[]): void {
  const addresses = e.addresses ?? [];
  const addrAt = at.child('addresses');
  if (addresses.length === 0) errs.push(fieldErrors.required(addrAt, 'must contain at least 1 address'));
  else if (addresses.length > maxAddresses) errs.push(fieldErrors.tooMany(addrAt, addresses.length, maxAddresses));
  // Addresses of an unknown type are not checked: the addressType error says it all.
  const check = addressChecks[addressType];
  if (check !== undefined) addresses.forEach((a, i) => check(errs, addrAt.index(i), a));
  if (e.hostname !== undefined) pushInvalid(errs, at.child('hostname'), e.hostname, isDNS1123Label(e.hostname));
  if (e.nodeName !== undefined) pushInvalid(errs, at.child('nodeName'), e.nodeName, nameIsDNSSubdomain(e.nodeName, false));
  if (e.hints !== undefined) validateHints(e.hints, at.child('hints'), errs);
}

function validatePorts(ports: EndpointSlicePort[], errs: FieldError[]): void {
  const at = FieldPath.root('ports');
  if (ports.length > maxPorts) return void errs.push(fieldErrors.tooMany(at, ports.length, maxPorts));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pAt = at.index(i);
    const name = p.name ?? '';
    if (name !== '') pushInvalid(errs, pAt.child('name'), name, isDNS1123Label(name));
    if (names.has(name)) errs.push(fieldErrors.duplicate(pAt.child('name'), name));
    names.add(name);
    if (p.protocol === undefined) errs.push(fieldErrors.required(pAt.child('protocol')));
    else if (!portProtocols.includes(p.protocol)) errs.push(fieldErrors.notSupported(pAt.child('protocol'), p.protocol, portProtocols));
    if (p.appProtocol !== undefined) pushInvalid(errs, pAt.child('appProtocol'), p.appProtocol, isQualifiedName(p.appProtocol));
  });
}

export function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  const type = slice.addressType ?? '';
  if (type === '') errs.push(fieldErrors.required(FieldPath.root('addressType')));
  else if (!(addressTypes as readonly string[]).includes(type)) errs.push(fieldErrors.notSupported(FieldPath.root('addressType'), type, addressTypes));
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > maxEndpoints) errs.push(fieldErrors.tooMany(FieldPath.root('endpoints'), endpoints.length, maxEndpoints));
  else endpoints.forEach((e, i) => validateEndpoint(e, FieldPath.root('endpoints').index(i), type, errs));
  validatePorts(slice.ports ?? [], errs);
  return errs;
}

export function endpointSliceUpdate(next: Record<string, any>, old: Record<string, any>, errs: FieldError[]): void {
  unchanged(errs, 'addressType', next.addressType, old.addressType);
}
