import * as v from 'valibot';
import { ClientMessage, MAX_MESSAGE_BYTES, ServerMessage } from './messages.js';

export type DecodeResult<T> = { ok: true; message: T } | { ok: false; error: string; tooLarge?: boolean };

function decode<T>(schema: v.GenericSchema<unknown, T>, text: string): DecodeResult<T> {
  // Length in UTF-16 units bounds bytes from below; the transport also enforces MAX_MESSAGE_BYTES.
  if (text.length > MAX_MESSAGE_BYTES) return { ok: false, error: `message larger than ${MAX_MESSAGE_BYTES} bytes`, tooLarge: true };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'message is not valid JSON' };
  }
  const result = v.safeParse(schema, json);
  if (result.success) return { ok: true, message: result.output };
  return { ok: false, error: describeIssues(result.issues) };
}

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  if (!first) return 'invalid message';
  const path = first.path?.map((p) => String(p.key)).join('.');
  return path ? `${path}: ${first.message}` : first.message;
}

export const decodeClientMessage = (text: string): DecodeResult<ClientMessage> => decode(ClientMessage, text);
export const decodeServerMessage = (text: string): DecodeResult<ServerMessage> => decode(ServerMessage, text);
export const encodeMessage = (message: ClientMessage | ServerMessage): string => JSON.stringify(message);
