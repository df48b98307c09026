/** The banner under the header: why something failed. A fatal error (the first load) stays up. */
export class ErrorBanner {
  constructor(private readonly element: HTMLElement) {}

  show(error: unknown, what = 'The timeline could not be loaded'): void {
    const message = error instanceof Error ? error.message : String(error);
    this.element.hidden = false;
    this.element.textContent = `${what}: ${message}.`;
  }

  /** The first load failed: the page stays as it is, and the banner with it. */
  showFatal(error: unknown): void {
    this.element.dataset.fatal = 'true';
    this.show(error);
  }

  clear(): void {
    if (this.element.dataset.fatal === 'true') return;
    this.element.hidden = true;
  }

  /** User actions run async (the log may need reading first); a failure is shown, not swallowed. */
  guard(work: Promise<void>): void {
    work.then(
      () => this.clear(),
      (error: unknown) => this.show(error, 'The log could not be read'),
    );
  }
}
