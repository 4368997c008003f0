// Renders a BPMN file to a PNG with the bpmn-js viewer in headless Chromium.
// Usage: node render.mjs ../../processes/x.bpmn out.png
// Needs Debian's chromium (apt-get install chromium); CHROMIUM=/path overrides /usr/bin/chromium,
// BPMN_RENDER_SCALE=2 renders at twice the pixel density.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node render.mjs <file.bpmn> <out.png>');
  process.exit(2);
}

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'node_modules', 'bpmn-js', 'dist');
const url = (file) => pathToFileURL(join(dist, file)).href;
const MARGIN = 50;

const xml = await readFile(input, 'utf8');
const work = await mkdtemp(join(tmpdir(), 'bpmn-render-'));
const page_html = join(work, 'index.html');
await writeFile(page_html, `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="${url('assets/diagram-js.css')}">
<link rel="stylesheet" href="${url('assets/bpmn-js.css')}">
<style>html, body, #canvas { margin: 0; width: 100%; height: 100%; background: #fff; }</style>
<script src="${url('bpmn-viewer.production.min.js')}"></script>
</head><body><div id="canvas"></div></body></html>`);

const context = await chromium.launchPersistentContext(join(work, 'profile'), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1600, height: 1000 },
  deviceScaleFactor: Number(process.env.BPMN_RENDER_SCALE) || 1,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(pathToFileURL(page_html).href);

  // Import, then read the diagram's bounds to size the window.
  const result = await page.evaluate(async (xml) => {
    window.viewer = new window.BpmnJS({ container: '#canvas' });
    const { warnings } = await window.viewer.importXML(xml);
    const { x, y, width, height } = window.viewer.get('canvas').viewbox().inner;
    return { warnings: warnings.map((w) => w.message), inner: { x, y, width, height } };
  }, xml);
  for (const w of result.warnings) console.warn(`warning: ${w}`);
  if (errors.length) throw new Error(errors.join('\n'));

  const { width, height } = result.inner;
  if (!(width > 0 && height > 0)) throw new Error(`${input}: no diagram (DI) to render`);
  await page.setViewportSize({
    width: Math.ceil(width) + 2 * MARGIN,
    height: Math.ceil(height) + 2 * MARGIN,
  });
  await page.evaluate(() => {
    const canvas = window.viewer.get('canvas');
    canvas.resized();
    canvas.zoom('fit-viewport', 'auto');
  });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: resolve(output) });
  console.log(`${output} (${Math.ceil(width) + 2 * MARGIN}x${Math.ceil(height) + 2 * MARGIN})`);
} finally {
  await context.close();
  await rm(work, { recursive: true, force: true });
}
