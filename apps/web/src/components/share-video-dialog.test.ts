import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { ShareVideoDialog } from './share-video-dialog.js';

test('the dialog asks for a video file\'s address and says who sees it before anything is sent', () => {
  const html = renderToString(h(ShareVideoDialog, { onShare: () => true, onClose: () => undefined }));
  assert.match(html, /role="dialog" aria-modal="true" aria-labelledby="share-video-heading"/);
  assert.match(html, /<label for="share-video-url">Address of a video file<\/label>/);
  assert.match(html, /<input id="share-video-url"[^>]*type="url"[^>]*aria-describedby="share-video-privacy"/);
  assert.match(html, /id="share-video-privacy"[^>]*>[^<]*not a page like YouTube[^<]*that site sees each of you[^<]*not end-to-end encrypted/);
  assert.match(html, /<button type="submit" class="button primary">Play for everyone<\/button>/);
});
