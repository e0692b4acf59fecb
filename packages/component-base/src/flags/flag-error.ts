// A flag value that parses but cannot be used (an unknown effect in a taint list, a CIDR where
// 'primary' or CIDRs were expected): a component's main catches it by class and exits 1 with
// the message, instead of a stack trace.
export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}
