import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatEntry } from '@treff/client';
import { chatExportFileName, chatMarkdown, escapeMarkdown } from './chat-export.js';

const entry = (over: Partial<ChatEntry>): ChatEntry => ({ id: 'm', from: 'b', fromName: 'Bob', to: null, at: 1, text: 'hi', encrypted: false, ...over });
const time = (at: number) => `t${at}`;

test('every message has its time and sender; private ones name both sides; sealed ones are noted', () => {
  const md = chatMarkdown({
    title: 'Weekly sync',
    selfId: 'me',
    nameOf: (id) => (id === 'b' ? 'Bob' : undefined),
    time,
    exportedAt: 9,
    entries: [
      entry({ id: '1', text: 'hello all' }),
      entry({ id: '2', from: 'me', fromName: 'Ada', to: 'b', at: 2, text: 'psst' }),
      entry({ id: '3', to: 'me', at: 3, text: 'back' }),
      entry({ id: '4', from: 'me', fromName: 'Ada', to: 'gone', at: 4, text: 'left?' }),
      entry({ id: '5', at: 5, text: null, encrypted: true }),
    ],
  });
  const lines = md.trimEnd().split('\n');
  assert.equal(lines[0], '# Chat of Weekly sync');
  assert.match(lines[2] ?? '', /t9/);
  assert.deepEqual(lines.slice(4), [
    '- **t1 Bob:** hello all',
    '- **t2 You, privately to Bob:** psst',
    '- **t3 Bob, privately to You:** back',
    '- **t4 You, privately to someone who left:** left?',
    '- **t5 Bob:** _Encrypted message sent before you joined_',
  ]);
});

test('markup in messages stays text, and a message of several lines stays in its list item', () => {
  assert.equal(escapeMarkdown('<script>alert(1)</script> *b* [x](javascript:y)'), '\\<script\\>alert\\(1\\)\\</script\\> \\*b\\* \\[x\\]\\(javascript:y\\)');
  const md = chatMarkdown({ title: '', selfId: null, nameOf: () => undefined, time, exportedAt: 0, entries: [entry({ text: '# not a heading\nsecond' })] });
  assert.match(md, /- \*\*t1 Bob:\*\* \\# not a heading {2}\n {2}second\n$/);
});

test('an empty chat says so; the file name comes from the title and date', () => {
  assert.match(chatMarkdown({ title: '', selfId: null, nameOf: () => undefined, time, exportedAt: 0, entries: [] }), /^# Chat of this meeting\n[\s\S]*_No messages\._\n$/);
  assert.equal(chatExportFileName('Wöchentliches Treffen / Q3', Date.UTC(2026, 11, 1)), 'wochentliches-treffen-q3-chat-2026-12-01.md');
  assert.equal(chatExportFileName('   ', Date.UTC(2026, 0, 2)), 'treff-chat-2026-01-02.md');
});
