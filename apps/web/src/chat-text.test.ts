import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { ChatText, linkify } from './chat-text.js';

const render = (text: string) => renderToString(h(ChatText, { text }));

/** Every tag name in rendered HTML. */
const tags = (html: string) => [...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase());
/** Every attribute name on every tag. */
const attributes = (html: string) =>
  [...html.matchAll(/<[a-zA-Z][\w-]*([^>]*)>/g)].flatMap((m) => m[1]!.replace(/="[^"]*"/g, '').trim().split(/\s+/).filter(Boolean).map((name) => name.toLowerCase()));

test('script and markup in a message are shown as text, never as elements or attributes', () => {
  const attacks = [
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '"><svg onload=alert(1)>',
    'javascript:alert(1)',
    '<iframe src="https://evil.example"></iframe>',
    'https://ok.example/"><script>alert(1)</script>',
  ];
  for (const attack of attacks) {
    const html = render(attack);
    for (const tag of tags(html)) assert.ok(tag === 'span' || tag === 'a', `${attack} rendered a <${tag}>: ${html}`);
    for (const name of attributes(html)) assert.ok(['class', 'href', 'target', 'rel'].includes(name), `${attack} rendered attribute ${name}: ${html}`);
    assert.doesNotMatch(html, /href="(?!https?:)/i, `${attack} rendered a non-http link: ${html}`);
    assert.doesNotMatch(html, /<script|<img|<svg|<iframe/i, html);
  }
  assert.equal(render('<script>alert(1)</script>'), '<span class="chat-text">&lt;script>alert(1)&lt;/script></span>');
});

test('http and https links become links that open safely in a new tab', () => {
  assert.equal(
    render('see https://treff.example/r/abc?x=1&y=2.'),
    '<span class="chat-text">see <a href="https://treff.example/r/abc?x=1&amp;y=2" target="_blank" rel="noopener noreferrer">https://treff.example/r/abc?x=1&amp;y=2</a>.</span>',
  );
  assert.deepEqual(linkify('http://a.example and (https://b.example)'), [
    { kind: 'link', text: 'http://a.example', href: 'http://a.example/' },
    { kind: 'text', text: ' and (' },
    { kind: 'link', text: 'https://b.example', href: 'https://b.example/' },
    { kind: 'text', text: ')' },
  ]);
});

test('other schemes stay text', () => {
  for (const message of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://files.example', 'mailto:a@b.example', 'vbscript:msgbox']) {
    assert.deepEqual(linkify(message), [{ kind: 'text', text: message }], message);
  }
  assert.deepEqual(linkify(''), []);
});
