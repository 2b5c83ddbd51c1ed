/**
 * Runs async tasks strictly one after another. Offers must be applied in order and never overlap:
 * a second setRemoteDescription while the first answer is still being created would fail or,
 * worse, answer the wrong offer.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  /** Number of tasks queued or running. */
  get size(): number {
    return this.#pending;
  }

  /** Enqueues `task`; the returned promise settles with the task's own result. */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    this.#pending++;
    const result = this.#tail.then(task);
    // The chain must continue even when a task fails; the caller still sees the failure.
    this.#tail = result.then(
      () => this.#pending--,
      () => this.#pending--,
    );
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
