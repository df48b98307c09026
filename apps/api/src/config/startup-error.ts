/** The process cannot start for a reason an operator can fix; `variable` names the setting to change. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly variable?: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}
