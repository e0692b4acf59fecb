import type { TSchema } from '@sinclair/typebox';
import type { FieldError } from '../errors/field.js';
import type { NameValidator } from '../validation/meta.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface SubresourceInfo {
  /** `status`, `scale`, `binding`, `log` ... */
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: Verb[];
}

/** Everything a component must know about one resource; the registry is the only place that says it. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** The plural, lower-case name used in paths: `deployments`. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  subresources: SubresourceInfo[];
  schema: TSchema;
  /** Checks metadata.name (and generateName prefixes) the way this kind requires. */
  validateName: NameValidator;
  /** Sets upstream's defaults in place. */
  applyDefaults: (obj: any) => void;
  /** The kind's own rules, beyond ObjectMeta and JSON types. */
  validate: (obj: any) => FieldError[];
  /** What an update from `old` to `next` may not do: ObjectMeta's rules and the kind's (immutable fields). */
  validateUpdate: (next: any, old: any) => FieldError[];
}
