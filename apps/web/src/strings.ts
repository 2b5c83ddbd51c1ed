// The strings of the active language. Call sites read `text.x` as before; each read picks the language
// switched on now, so a re-render after a switch shows the new language. The texts live in i18n/.
import type { ConnectionState } from '@treff/client';
import type { EndedReason, ErrorCode } from '@treff/protocol';
import type { Strings } from './i18n/en.js';
import { activeStrings } from './i18n/language.js';

export const text: Strings = new Proxy({} as Strings, {
  get: (_target, key) => Reflect.get(activeStrings(), key),
});

/** What the pre-join screen says after a refused join, and whether it asks for a password. */
export const joinProblem = (code: ErrorCode | string): { message: string; askPassword: boolean } => activeStrings().joinProblem(code);

/** The title and explanation of the screen shown when the server ended our session. */
export const endedScreen = (reason: EndedReason): { title: string; detail: string } => activeStrings().endedScreen(reason);

export const connectionLabels: Readonly<Record<ConnectionState, string>> = new Proxy({} as Record<ConnectionState, string>, {
  get: (_target, key) => Reflect.get(activeStrings().connectionLabels, key),
});
