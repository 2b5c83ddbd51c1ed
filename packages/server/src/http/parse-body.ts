import * as v from 'valibot';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Validates a request body against a protocol schema; the message names the offending field. */
export function parseBody<S extends v.GenericSchema>(schema: S, body: unknown): Parsed<v.InferOutput<S>> {
  // valibot's object() takes arrays too; a body is a JSON object or nothing.
  if (Array.isArray(body)) return { ok: false, message: 'the body must be a JSON object' };
  const result = v.safeParse(schema, body ?? {});
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  return { ok: false, message: path === null ? issue.message : `${path}: ${issue.message}` };
}
