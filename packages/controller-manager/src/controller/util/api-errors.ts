// Reading the errors of API calls, the same way in every controller.

/** The message of anything thrown, for logs and Events. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A create refused because its namespace is going away (the API server's NamespaceTerminating
 * cause, in `reason` on the wire): it will keep failing, so upstream's controllers drop it quietly.
 */
export function isNamespaceTerminating(e: unknown): boolean {
  const causes = (e as { status?: { details?: { causes?: { reason?: string }[] } } } | undefined)?.status?.details?.causes;
  return causes?.some((c) => c.reason === 'NamespaceTerminating') ?? false;
}
