/**
 * A command refused because of the state it met (an unknown or retracted target, say): HTTP 409.
 * Bad input is a ValidationError (400) instead; a stale expectedVersion is a WrongExpectedVersionError.
 */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}
