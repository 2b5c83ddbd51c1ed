/** @jsxRuntime automatic @jsxImportSource preact */

/** The end of a dialog's form: what went wrong (announced as it appears), its submit button, and Cancel. */
export function FormActions({ problem, submit, cancel, onCancel }: { problem: string | null; submit: string; cancel: string; onCancel: () => void }) {
  return (
    <>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="row">
        <button type="submit" class="button primary">
          {submit}
        </button>
        <button type="button" class="button ghost" onClick={onCancel}>
          {cancel}
        </button>
      </div>
    </>
  );
}
