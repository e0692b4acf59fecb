// discovery.k8s.io/v1 EndpointSlice: a slice of the endpoints behind a Service.

import { type Static, Type } from '@sinclair/typebox';
import { ObjectReference, StringMap, objectSchema } from './meta.js';
import { described } from './describe.js';

export const EndpointConditions = Type.Object({
  ready: Type.Optional(Type.Boolean({ description: 'The endpoint is ready for traffic; unset means unknown and is read as ready.' })),
  serving: Type.Optional(Type.Boolean({ description: 'The endpoint can serve (as ready, but also while it terminates).' })),
  terminating: Type.Optional(Type.Boolean({ description: 'The endpoint is terminating.' })),
}, { description: 'The state of an endpoint.' });

export const EndpointHints = Type.Object({
  forZones: Type.Optional(Type.Array(Type.Object({
    name: Type.String({ description: 'The name of the zone.' }),
  }, { description: 'A zone that should consume the endpoint.' }), { description: 'The zones that should consume the endpoint, for topology-aware routing (at most 8).' })),
}, { description: 'Hints for how the endpoint should be consumed.' });

export const Endpoint = Type.Object({
  addresses: Type.Optional(Type.Array(Type.String(), { description: 'The addresses of the endpoint, of the slice\'s addressType: 1 to 100, usually one (consumers use the first).' })),
  conditions: Type.Optional(described(EndpointConditions, 'The current state of the endpoint.')),
  hostname: Type.Optional(Type.String({ description: 'The host name of the endpoint, a DNS label (headless Services\' DNS records).' })),
  targetRef: Type.Optional(described(ObjectReference, 'The object behind the endpoint, usually a Pod.')),
  deprecatedTopology: Type.Optional(described(StringMap, 'Deprecated topology labels of the endpoint; nodeName and zone replace them.')),
  nodeName: Type.Optional(Type.String({ description: 'The node hosting the endpoint.' })),
  zone: Type.Optional(Type.String({ description: 'The zone the endpoint is in.' })),
  hints: Type.Optional(described(EndpointHints, 'How the endpoint should be consumed.')),
}, { description: 'One endpoint of a slice.' });
export type Endpoint = Static<typeof Endpoint>;

export const EndpointSlicePort = Type.Object({
  name: Type.Optional(Type.String({ description: 'The name of the Service port this is for; empty only when it is the only one. A DNS label.' })),
  protocol: Type.Optional(Type.String({ description: 'TCP, UDP or SCTP. Default TCP.' })),
  port: Type.Optional(Type.Integer({ description: 'The port number on the endpoints, 1-65535; unset means all ports.' })),
  appProtocol: Type.Optional(Type.String({ description: 'The application protocol, such as http or kubernetes.io/h2c.' })),
}, { description: 'One port of the endpoints of the slice.' });
export type EndpointSlicePort = Static<typeof EndpointSlicePort>;

export const EndpointSlice = objectSchema(
  'EndpointSlice',
  {
    addressType: Type.Optional(Type.String({ description: 'The type of every address of the slice: IPv4, IPv6 or FQDN. Required; immutable.' })),
    endpoints: Type.Optional(Type.Array(Endpoint, { description: 'The endpoints of the slice, at most 1000.' })),
    ports: Type.Optional(Type.Array(EndpointSlicePort, { description: 'The ports open on every endpoint of the slice, at most 100.' })),
  },
  'A set of endpoints of a Service (labelled kubernetes.io/service-name), kept by the EndpointSlice controller.',
);
export type EndpointSlice = Static<typeof EndpointSlice>;
