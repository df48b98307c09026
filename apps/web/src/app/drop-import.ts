/** Files larger than this are refused before they are read (a timeline file is far smaller). */
export const MAX_IMPORT_BYTES = 5_000_000;

/**
 * Dropping a file on the page opens the import preview, for a signed-in editor on the full app only
 * (`/embed` is read-only). Other drops are left to the browser.
 */
export function wireDropImport(
  target: Document,
  deps: { canImport(): boolean; open(fileName: string, text: string): void; refuse(message: string): void },
): void {
  const root = target.documentElement;
  const accepts = (event: DragEvent) =>
    root.dataset.embed === undefined &&
    deps.canImport() &&
    (event.dataTransfer?.types.includes('Files') ?? false);
  target.addEventListener('dragover', (event) => {
    if (!accepts(event)) return;
    event.preventDefault();
    root.dataset.dropping = '';
  });
  target.addEventListener('dragleave', () => {
    delete root.dataset.dropping;
  });
  target.addEventListener('drop', (event) => {
    delete root.dataset.dropping;
    if (!accepts(event)) return;
    event.preventDefault();
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      deps.refuse(`${file.name} is larger than ${MAX_IMPORT_BYTES / 1_000_000} MB: import it with the CLI.`);
      return;
    }
    void file.text().then(
      (text) => deps.open(file.name, text),
      (error: unknown) => deps.refuse(`${file.name} could not be read: ${String(error)}`),
    );
  });
}
