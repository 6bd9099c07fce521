/** The webview's HTML shell and the exported file (src/panels/html.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildExportHtml, buildPanelHtml, isPlainCssValue, jsonForScript, makeNonce, panelCsp, scriptText, themeCss } from '../../../src/panels/html';
import { EXPORT_DATA_ID } from '../../../src/panels/protocol';

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

describe('panel HTML', () => {
  it('nonces are 128 random bits, fresh each time', () => {
    const a = makeNonce();
    assert.equal(Buffer.from(a, 'base64').length, 16);
    assert.notEqual(a, makeNonce());
  });

  it('has a strict CSP: nothing but the nonce\'d script and the webview\'s own styles', () => {
    const html = buildPanelHtml({ cspSource: SOURCE, nonce: 'abc123', scriptUri: `${SOURCE}/dist/media/plan.js`, styleUri: `${SOURCE}/dist/media/plan.css` });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.equal(csp, `default-src 'none'; script-src 'nonce-abc123'; style-src ${SOURCE}; img-src ${SOURCE} data:; font-src ${SOURCE}`);
    assert.equal(panelCsp(SOURCE, 'abc123'), csp);
    assert.doesNotMatch(csp!, /unsafe-inline|unsafe-eval/);
    assert.match(html, /<script nonce="abc123" src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/dist\/media\/plan\.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="[^"]+plan\.css">/);
    assert.doesNotMatch(html, /style="/, 'no inline style attributes');
    assert.equal((html.match(/<script/g) ?? []).length, 1);
  });

  it('escapes what goes into attributes', () => {
    const html = buildPanelHtml({ cspSource: SOURCE, nonce: 'n', scriptUri: 'x"><img src=x>', styleUri: 's', title: '<b>t</b>' });
    assert.doesNotMatch(html, /<img/);
    assert.doesNotMatch(html, /<b>/);
  });
});

describe('exported HTML', () => {
  const hostile = { content: { note: '</script><script>alert(1)</script><!-- \u2028' } };
  const html = buildExportHtml({
    nonce: 'N0nce',
    script: 'var s = "</script>"; var c = "<!--";',
    css: '.a { color: red } </style><p>x</p>',
    data: hostile,
    themeVars: { '--vscode-editor-background': '#123456', '--vscode-evil': 'red;} body{display:none', 'color': 'red', '--vscode-x': 'url(https://x)' },
    themeKind: 'vscode-dark',
    title: '<title>',
  });

  it('inlines script and styles under a nonce CSP, loads nothing', () => {
    const csp = /content="([^"]+)"/.exec(html)?.[1];
    assert.equal(csp, "default-src 'none'; script-src 'nonce-N0nce'; style-src 'nonce-N0nce'; img-src data:");
    assert.match(html, /<style nonce="N0nce">/);
    assert.match(html, /<script nonce="N0nce">var s = "<\\\/script>"; var c = "<\\!--";<\/script>/);
    assert.match(html, /<body class="vscode-dark">/);
    assert.doesNotMatch(html, /src=|href=/);
  });

  it('embeds the data so that it cannot close its element', () => {
    const m = new RegExp(`<script type="application/json" id="${EXPORT_DATA_ID}">(.*?)</script>`).exec(html);
    assert.ok(m);
    assert.doesNotMatch(m[1], /</);
    assert.deepEqual(JSON.parse(m[1]), hostile);
    assert.equal(JSON.parse(jsonForScript('a<b')), 'a<b');
    assert.equal((html.match(/<\/script>/gi) ?? []).length, 2, 'only the two real script ends');
    assert.equal((html.match(/<\/style>/gi) ?? []).length, 1);
  });

  it('keeps only plain --vscode-* values in the theme', () => {
    const css = themeCss({ '--vscode-editor-background': '#123456', '--vscode-evil': 'red;} body{display:none', color: 'red', '--vscode-x': 'url(https://x)' }, 'vscode-dark');
    assert.match(css, /--vscode-editor-background: #123456;/);
    assert.doesNotMatch(css, /evil|display|url\(|^\s*color:/m);
    assert.match(css, /--vscode-foreground: #cccccc;/, 'dark fallbacks fill in the rest');
    assert.equal(isPlainCssValue('rgba(0, 0, 0, 0.5)'), true);
    assert.equal(isPlainCssValue('a</style>'), false);
    assert.equal(scriptText('x</SCRIPT>'), 'x<\\/SCRIPT>');
  });

  it('falls back to the light theme for an unknown theme kind', () => {
    const h = buildExportHtml({ nonce: 'n', script: '', css: '', data: {}, themeVars: {}, themeKind: '"><x', title: 't' });
    assert.match(h, /<body class="vscode-light">/);
  });
});
