/** Server-rendered pages for what the web app cannot show: a room that does not exist, an unbuilt app. */
export function messagePage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Treff</title>
<style>
  :root { color-scheme: dark; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #111418; color: #e8eaed;
    font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 28rem; padding: 2rem; text-align: center; }
  h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
  p { color: #b4b9c0; margin: 0 0 1.5rem; }
  a { display: inline-block; padding: .6rem 1.2rem; border-radius: .5rem; background: #3b82f6; color: #fff; text-decoration: none; }
  a:focus-visible { outline: 3px solid #93c5fd; outline-offset: 2px; }
</style>
</head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p><a href="/">Start a new meeting</a></main></body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
