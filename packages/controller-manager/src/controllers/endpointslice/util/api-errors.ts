// Reading the errors of API calls the endpoint controllers make.

/** A create refused because the namespace is going away will keep failing: upstream drops it. */
export function isNamespaceTerminating(e: unknown): boolean {
  const causes = (e as { status?: { details?: { causes?: { type?: string }[] } } }).status?.details?.causes;
  return causes?.some((c) => c.type === 'NamespaceTerminating') ?? false;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
