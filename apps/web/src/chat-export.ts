import type { ChatEntry } from '@treff/client';
import { text } from './strings.js';

export interface ChatExport {
  title: string;
  entries: readonly ChatEntry[];
  selfId: string | null;
  /** Names of people present now (a private message's recipient may have left). */
  nameOf: (participantId: string) => string | undefined;
  /** Formats a timestamp (ms since the epoch) for the file, e.g. local date and time. */
  time: (at: number) => string;
  exportedAt: number;
}

/** Backslash-escapes what Markdown would read as formatting, links or HTML, so a message stays its own words. */
export function escapeMarkdown(line: string): string {
  return line.replace(/[\\`*_{}[\]<>()#+\-!|~]/g, '\\$&');
}

/**
 * The chat as this participant can read it (public messages and their own private ones), as Markdown: one list
 * item per message with its time and sender; messages sealed before they joined are noted, never guessed.
 */
export function chatMarkdown({ title, entries, selfId, nameOf, time, exportedAt }: ChatExport): string {
  const lines = [`# ${escapeMarkdown(text.chatExportTitle(title))}`, '', text.chatExportNote(time(exportedAt)), ''];
  if (entries.length === 0) lines.push(`_${text.chatEmptyExport}_`);
  for (const m of entries) {
    let who = m.from === selfId ? text.chatYou : m.fromName;
    if (m.to !== null) who = text.chatExportPrivate(who, m.to === selfId ? text.chatYou : (nameOf(m.to) ?? text.chatSomeoneWhoLeft));
    const body = m.text === null ? `_${text.chatSealedBeforeJoin}_` : m.text.split(/\r?\n/).map(escapeMarkdown).join('  \n  ');
    lines.push(`- **${escapeMarkdown(time(m.at))} ${escapeMarkdown(who)}:** ${body}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A file name for the export: the title's letters and digits, and the date. */
export function chatExportFileName(title: string, at: number): string {
  const slug = title.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 40).toLowerCase();
  return `${slug || 'treff'}-chat-${new Date(at).toISOString().slice(0, 10)}.md`;
}
