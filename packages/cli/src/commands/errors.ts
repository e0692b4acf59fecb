// Errors the user can act on: printed as one message, without a stack, and the command exits 1.
export class UsageError extends Error {}
