// Field errors, as k8s.io/apimachinery/pkg/util/validation/field: one problem with one
// field of an object, rendered the way kubectl users know ("spec.replicas: Invalid value: -1: ...").

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

export interface FieldError {
  type: FieldErrorType;
  /** The field's path, e.g. `spec.template.spec.containers[0].name`. */
  field: string;
  /** The offending value, when there is one worth showing. */
  value?: unknown;
  detail: string;
}

/** A path to a field, built as the validation walks the object. */
export class FieldPath {
  private constructor(private readonly text: string) {}

  static root(name: string): FieldPath {
    return new FieldPath(name);
  }

  child(name: string): FieldPath {
    return new FieldPath(this.text === '' ? name : `${this.text}.${name}`);
  }

  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}

type At = FieldPath | string;

function make(type: FieldErrorType, at: At, detail: string, value?: unknown): FieldError {
  const e: FieldError = { type, field: String(at), detail };
  if (value !== undefined) e.value = value;
  return e;
}

export const fieldErrors = {
  required: (at: At, detail = '') => make('FieldValueRequired', at, detail),
  invalid: (at: At, value: unknown, detail: string) => make('FieldValueInvalid', at, detail, value),
  notSupported: (at: At, value: unknown, supported: readonly string[]) =>
    make('FieldValueNotSupported', at, `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`, value),
  duplicate: (at: At, value: unknown) => make('FieldValueDuplicate', at, '', value),
  forbidden: (at: At, detail: string) => make('FieldValueForbidden', at, detail),
  tooLong: (at: At, value: unknown, max: number) =>
    make('FieldValueTooLong', at, `may not be more than ${max} bytes`, value),
  tooMany: (at: At, actual: number, max: number) =>
    make('FieldValueTooMany', at, `must have at most ${max} items`, actual),
  notFound: (at: At, value: unknown) => make('FieldValueNotFound', at, '', value),
  typeInvalid: (at: At, value: unknown, detail: string) => make('FieldValueTypeInvalid', at, detail, value),
};

const typeWords: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v);
}

/** The upstream one-line form: `field: Type words: value: detail`. */
/** One Invalid error at `at` for each message a name or value check returned (none when it passed). */
export function pushInvalid(errs: FieldError[], at: FieldPath, value: unknown, messages: string[]): void {
  for (const m of messages) errs.push(fieldErrors.invalid(at, value, m));
}

export function formatFieldError(e: FieldError): string {
  const parts = [`${e.field}: ${typeWords[e.type]}`];
  const showsValue = e.type !== 'FieldValueRequired' && e.type !== 'FieldValueForbidden' && e.type !== 'InternalError';
  if (showsValue && e.value !== undefined) parts.push(showValue(e.value));
  if (e.detail !== '') parts.push(e.detail);
  return parts.join(': ');
}
