/** Saving what lives only in the browsers (notes, the whiteboard) to a file. */

/**
 * A file name from the meeting title's letters and digits, what the file holds and the date, e.g.
 * `weekly-sync-notes-2026-12-01.md` (as the chat export names its file).
 */
export function meetingFileName(title: string, what: string, extension: string, at: number): string {
  const slug = title.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 40).toLowerCase();
  return `${slug || 'treff'}-${what}-${new Date(at).toISOString().slice(0, 10)}.${extension}`;
}

/** Lets the browser save `blob` as `name` (nothing goes to the server). */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
