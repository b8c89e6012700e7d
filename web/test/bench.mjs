// Times the explorer in headless Chromium against `kgq serve`: for each
// statement, from sending it to the first drawing on screen (the page's
// own measure: request, JSON, layout, one painted frame), and then one
// zoom frame on the drawing; medians of --runs page loads.
// Usage: node test/bench.mjs KGQ_BINARY GRAPH RUNS 'STATEMENT' ['STATEMENT'…]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [binary, graph, runsText, ...statements] = process.argv.slice(2);
const runs = Number(runsText);
if (!binary || !graph || !(runs > 0) || !statements.length) {
  console.error("usage: node test/bench.mjs KGQ_BINARY GRAPH RUNS 'STATEMENT'…");
  process.exit(2);
}
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const child = spawn(binary, ['serve', graph, '--read-only', '--http', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
const url = await new Promise((resolve, reject) => {
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
    const m = err.match(/http listening on (127\.0\.0\.1:\d+)/);
    if (m) resolve(`http://${m[1]}`);
  });
  child.on('exit', (code) => reject(new Error(`kgq serve exited with ${code}: ${err}`)));
});
const profile = mkdtempSync(join(tmpdir(), 'kgq-bench-'));
const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, viewport: { width: 1400, height: 900 } });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const statement of statements) {
    const draw = [];
    const phases = [];
    const zoom = [];
    let status = '';
    for (let i = 0; i < runs; i++) {
      const page = await context.newPage();
      page.setDefaultTimeout(600000);
      await page.goto(`${url}/?query=${encodeURIComponent(statement)}`);
      await page.waitForSelector('body[data-ready="true"]');
      draw.push(Number(await page.evaluate(() => document.body.dataset.lastDrawMs)));
      status = await page.textContent('#status');
      phases.push(await page.evaluate(() => document.body.dataset.phasesMs));
      zoom.push(await page.evaluate(() => new Promise((resolve) => {
        const cy = window.kgq.graph.cy;
        const t0 = performance.now();
        cy.zoom({ level: cy.zoom() * 1.5, renderedPosition: { x: 500, y: 400 } });
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
      })));
      await page.close();
    }
    console.log(JSON.stringify({ statement, runs, firstDrawingMsMedian: median(draw), firstDrawingMs: draw, zoomFrameMsMedian: Math.round(median(zoom)), phasesMs: phases, status }));
  }
} finally {
  await context.close();
  child.kill('SIGTERM');
  rmSync(profile, { recursive: true, force: true });
}
