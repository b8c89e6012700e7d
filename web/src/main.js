// The explorer page: wires the editor, the drawing, the table, the
// details panel, the time slider, the search box, history, themes and
// export together.
import './style.css';
import * as api from './api.js';
import { createEditor, setCatalog } from './editor.js';
import { GraphView } from './graph.js';
import { renderTable, showNode, showRelationship, showHint, renderCandidates } from './panels.js';

const $ = (id) => document.getElementById(id);
const HISTORY_KEY = 'kgq.history';
const THEME_KEY = 'kgq.theme';
const MAX_HISTORY = 50;
const DAY = 86400000;

const state = { lastQuery: null, dark: false, days: [], running: 0 };

const graph = new GraphView($('graph'), {
  onSelect: (kind, id) => select(kind, id),
  onExpand: (id) => expand(id),
  onBackground: () => showHint($('details'), 'Click a node or relationship to see its properties; double-click a node to expand its neighbours.'),
});
const editor = createEditor($('editor'), { onRun: () => run() });

function setStatus(text) {
  $('status').textContent = text;
}

function drawnStatus(extra = '') {
  const c = graph.counts();
  let text = `${c.nodes} node${c.nodes === 1 ? '' : 's'}, ${c.rels} relationship${c.rels === 1 ? '' : 's'}`;
  if (c.totalNodes > c.nodes || c.totalRels > c.rels) {
    text += ` (showing ${c.nodes} of ${c.totalNodes} nodes, ${c.rels} of ${c.totalRels} relationships)`;
  }
  setStatus(text + extra);
  document.body.dataset.drawnNodes = String(c.nodes);
  document.body.dataset.drawnRels = String(c.rels);
}

function showError(e) {
  const box = $('error');
  if (!e) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  const where = e.position ? ` at ${e.position.line}:${e.position.column}` : '';
  box.textContent = `${e.code}${where}: ${e.message}`;
  box.hidden = false;
}

function asOf() {
  if (!$('asof-on').checked || !state.days.length) return null;
  return state.days[Number($('asof').value)] || null;
}

/** Runs the editor's statement (or `text`) and draws the result. */
async function run(text = editor.text.trim(), { remember = true } = {}) {
  if (!text) return;
  state.lastQuery = text;
  if (remember) remember_(text);
  const ticket = ++state.running;
  setStatus('Running…');
  const started = performance.now();
  try {
    const result = await api.runQuery(text, { asOf: asOf() });
    const fetched = performance.now();
    if (ticket !== state.running) return;
    showError(null);
    const { nodes, rels } = api.elementsOf(result.values);
    await fetchMissingEnds(nodes, rels);
    renderTable($('table'), result.fields, result.values);
    const beforeDraw = performance.now();
    graph.draw([...nodes.values()], [...rels.values()]);
    const drawn = performance.now();
    // The first drawing is on screen after the next frame.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const ms = Math.round(performance.now() - started);
    // Where the time went: reply, layout and elements, painting.
    document.body.dataset.phasesMs = [fetched - started, drawn - beforeDraw, performance.now() - drawn].map(Math.round).join(',');
    document.body.dataset.lastDrawMs = String(ms);
    const rows = `${result.values.length} row${result.values.length === 1 ? '' : 's'}`;
    const changes = result.counters.containsUpdates ? `; ${describeCounters(result.counters)}` : '';
    const when = asOf() ? ` as of ${asOf()}` : '';
    drawnStatus(` — ${rows}${when}${changes} in ${ms} ms`);
    if (!nodes.size && result.fields.length) selectTab('table');
  } catch (e) {
    if (ticket !== state.running) return;
    showError(e);
    setStatus('The statement failed.');
  } finally {
    // Counts the runs whose outcome is on screen; a run superseded by a
    // later one (its reply dropped above) does not count.
    if (ticket === state.running) {
      document.body.dataset.runs = String(Number(document.body.dataset.runs || 0) + 1);
    }
  }
}

function describeCounters(c) {
  const parts = [];
  for (const [k, label] of [['nodesCreated', 'nodes created'], ['nodesDeleted', 'nodes deleted'], ['relationshipsCreated', 'relationships created'], ['relationshipsDeleted', 'relationships deleted'], ['propertiesSet', 'properties set']]) {
    if (c[k]) parts.push(`${c[k]} ${label}`);
  }
  return parts.join(', ');
}

/** Relationships returned without their ends get their ends fetched (a few hundred at most). */
async function fetchMissingEnds(nodes, rels) {
  const missing = new Set();
  for (const r of rels.values()) {
    if (!nodes.has(r.start)) missing.add(r.start);
    if (!nodes.has(r.end)) missing.add(r.end);
  }
  const ids = [...missing].slice(0, 300);
  const found = await Promise.all(ids.map((id) => api.getNode(id).catch(() => null)));
  for (const f of found) if (f) nodes.set(f.node.id, f.node);
}

async function select(kind, id) {
  try {
    if (kind === 'node') showNode($('details'), await api.getNode(id));
    else showRelationship($('details'), await api.getRelationship(id));
  } catch (e) {
    showHint($('details'), `${e.code}: ${e.message}`);
  }
}

async function expand(id) {
  try {
    const n = await api.getNeighbours(id, asOf());
    const added = graph.add(n.nodes, n.relationships, id);
    drawnStatus(` — expanded: ${added} new node${added === 1 ? '' : 's'}${n.total > n.relationships.length ? ` (first ${n.relationships.length} of ${n.total})` : ''}`);
  } catch (e) {
    showError(e);
  }
}

// History of past queries, kept in the browser.
function loadHistory() {
  try {
    const h = JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]');
    return Array.isArray(h) ? h.filter((x) => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function renderHistory() {
  const select = $('history');
  select.replaceChildren(new Option('History…', ''));
  for (const q of loadHistory()) select.append(new Option(q.length > 80 ? q.slice(0, 77) + '…' : q, q));
}

function remember_(text) {
  const h = [text, ...loadHistory().filter((q) => q !== text)].slice(0, MAX_HISTORY);
  localStorage.setItem(HISTORY_KEY, JSON.stringify(h));
  renderHistory();
}

$('history').addEventListener('change', (e) => {
  if (e.target.value) {
    editor.text = e.target.value;
    e.target.value = '';
    editor.focus();
  }
});
$('run').addEventListener('click', () => run());

// Tabs.
function selectTab(name) {
  for (const b of document.querySelectorAll('.tabs button')) b.classList.toggle('active', b.dataset.tab === name);
  $('graph').hidden = name !== 'graph';
  $('table').hidden = name !== 'table';
  if (name === 'graph') graph.cy.resize();
}
for (const b of document.querySelectorAll('.tabs button')) b.addEventListener('click', () => selectTab(b.dataset.tab));

// The time slider: AS OF a day between the graph's first and last dates.
function setupSlider(range) {
  if (!range) {
    $('asof-on').disabled = true;
    $('asof-date').textContent = 'no dates in the graph';
    return;
  }
  const first = Date.parse(range.min) - DAY;
  const last = Date.parse(range.max) + DAY;
  for (let t = first; t <= last; t += DAY) state.days.push(new Date(t).toISOString().slice(0, 10));
  const slider = $('asof');
  slider.max = String(state.days.length - 1);
  slider.value = String(state.days.length - 1);
  $('asof-date').textContent = state.days[state.days.length - 1];
}
$('asof').addEventListener('input', () => {
  $('asof-date').textContent = state.days[Number($('asof').value)] || '—';
});
$('asof').addEventListener('change', () => {
  if (state.lastQuery) run(state.lastQuery, { remember: false });
});
$('asof-on').addEventListener('change', () => {
  $('asof').disabled = !$('asof-on').checked;
  if (state.lastQuery) run(state.lastQuery, { remember: false });
});

// The search box: names and aliases resolved as `kgq find` does.
let searchTimer = null;
$('search').addEventListener('input', () => {
  clearTimeout(searchTimer);
  const text = $('search').value.trim();
  if (!text) {
    $('search-results').hidden = true;
    return;
  }
  searchTimer = setTimeout(async () => {
    try {
      const found = await api.findEntities(text);
      if ($('search').value.trim() === text) renderCandidates($('search-results'), found, pick);
    } catch (e) {
      showError(e);
    }
  }, 150);
});
$('search').addEventListener('blur', () => setTimeout(() => ($('search-results').hidden = true), 100));
$('search').addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    const first = $('search-results').querySelector('li');
    if (first) first.dispatchEvent(new MouseEvent('mousedown'));
  }
});

function pick(candidate) {
  $('search-results').hidden = true;
  $('search').value = candidate.node.caption;
  if (!graph.has(candidate.node.id)) {
    graph.add([candidate.node], [], null);
    drawnStatus();
  }
  graph.select(candidate.node.id);
  select('node', candidate.node.id);
}

// Themes.
function setTheme(dark) {
  state.dark = dark;
  document.body.classList.toggle('dark', dark);
  $('theme').textContent = dark ? 'Light' : 'Dark';
  graph.setTheme(dark);
  localStorage.setItem(THEME_KEY, dark ? 'dark' : 'light');
}
$('theme').addEventListener('click', () => setTheme(!state.dark));

// Export.
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
$('export-png').addEventListener('click', () => download(graph.png(state.dark), 'kgq-graph.png'));
$('export-svg').addEventListener('click', () => download(new Blob([graph.svg(state.dark)], { type: 'image/svg+xml' }), 'kgq-graph.svg'));

// Start: theme, catalog, slider, and `?query=…`.
async function start() {
  const saved = localStorage.getItem(THEME_KEY);
  const params = new URLSearchParams(location.search);
  setTheme(params.get('theme') ? params.get('theme') === 'dark' : saved ? saved === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches);
  renderHistory();
  try {
    const [info, catalog] = await Promise.all([api.getInfo(), api.getCatalog()]);
    setCatalog(catalog);
    setupSlider(info.timeRange);
    setStatus(`Connected: ${info.nodes} nodes, ${info.relationships} relationships in the graph${info.readOnly ? ' (read-only)' : ''}.`);
  } catch (e) {
    showError(e);
  }
  const query = params.get('query');
  if (query) {
    editor.text = query;
    await run(query);
  }
  document.body.dataset.ready = 'true';
}
// A handle for the browser tests and the console: the drawing and the editor.
window.kgq = { graph, editor };
start();
