import { type Static, Type } from '@sinclair/typebox';
import { ObjectReference, objectSchema } from './meta.js';
import { described } from './describe.js';

export const EndpointAddress = Type.Object({
  ip: Type.String({ description: 'The address of the endpoint, usually a pod IP.' }),
  hostname: Type.Optional(Type.String({ description: 'The host name of the endpoint, for headless Services\' DNS records.' })),
  nodeName: Type.Optional(Type.String({ description: 'The node the endpoint runs on.' })),
  targetRef: Type.Optional(described(ObjectReference, 'The object behind the address, usually a Pod.')),
}, { description: 'One address traffic can go to.' });
export type EndpointAddress = Static<typeof EndpointAddress>;

export const EndpointPort = Type.Object({
  name: Type.Optional(Type.String({ description: 'The name of the Service port this is for; optional when there is only one.' })),
  port: Type.Integer({ description: 'The port number on the addresses, 1-65535.' }),
  protocol: Type.Optional(Type.String({ description: 'TCP, UDP or SCTP. Default TCP.' })),
  appProtocol: Type.Optional(Type.String({ description: 'The application protocol, such as http.' })),
}, { description: 'One port of the addresses.' });
export type EndpointPort = Static<typeof EndpointPort>;

export const EndpointSubset = Type.Object({
  addresses: Type.Optional(Type.Array(EndpointAddress, { description: 'Ready addresses, which receive traffic.' })),
  notReadyAddresses: Type.Optional(Type.Array(EndpointAddress, { description: 'Addresses not ready yet (or no longer), which receive no traffic.' })),
  ports: Type.Optional(Type.Array(EndpointPort, { description: 'The ports open on every address of the subset.' })),
}, { description: 'A set of addresses that share the same ports.' });
export type EndpointSubset = Static<typeof EndpointSubset>;

export const Endpoints = objectSchema(
  'Endpoints',
  { subsets: Type.Optional(Type.Array(EndpointSubset, { description: 'The addresses and ports behind the Service, grouped by the ports they share.' })) },
  "The addresses behind a Service, kept by the Endpoints controller.",
);
export type Endpoints = Static<typeof Endpoints>;
