import { type Static, Type } from '@sinclair/typebox';
import { ObjectReference, objectSchema } from './meta.js';

export const EndpointAddress = Type.Object({
  ip: Type.String(),
  hostname: Type.Optional(Type.String()),
  nodeName: Type.Optional(Type.String()),
  targetRef: Type.Optional(ObjectReference),
});
export type EndpointAddress = Static<typeof EndpointAddress>;

export const EndpointPort = Type.Object({
  name: Type.Optional(Type.String()),
  port: Type.Integer(),
  protocol: Type.Optional(Type.String()),
  appProtocol: Type.Optional(Type.String()),
});
export type EndpointPort = Static<typeof EndpointPort>;

export const EndpointSubset = Type.Object({
  addresses: Type.Optional(Type.Array(EndpointAddress)),
  notReadyAddresses: Type.Optional(Type.Array(EndpointAddress)),
  ports: Type.Optional(Type.Array(EndpointPort)),
});
export type EndpointSubset = Static<typeof EndpointSubset>;

export const Endpoints = objectSchema(
  'Endpoints',
  { subsets: Type.Optional(Type.Array(EndpointSubset)) },
  "The addresses behind a Service, kept by the Endpoints controller.",
);
export type Endpoints = Static<typeof Endpoints>;
