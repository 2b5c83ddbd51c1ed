import { describeMediaError } from '@treff/client';
import { text } from './strings.js';

/** Why a camera or microphone could not open, in the active language (the SDK's own words are English). */
export function mediaProblem(error: unknown): string {
  const asError = error instanceof Error ? error : new Error(String(error));
  return text.mediaProblem(asError.name, describeMediaError(asError));
}
