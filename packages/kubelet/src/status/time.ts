// Times as the API writes them: RFC 3339 to the second (metav1.Time).
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
