// The table of results and the details panel (properties, aliases,
// sources, valid time).
import { show } from './api.js';
import { colourOf } from './graph.js';

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'style') e.setAttribute('style', v);
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** Fills `container` with a table of `fields` and `values`. */
export function renderTable(container, fields, values) {
  container.replaceChildren();
  if (!fields.length) {
    container.append(el('p', { class: 'hint' }, 'The statement returned no columns.'));
    return;
  }
  const head = el('tr', {}, ...fields.map((f) => el('th', {}, f)));
  const rows = values.map((row) => el('tr', {}, ...row.map((v) => el('td', {}, show(v)))));
  container.append(el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)));
}

function propertyList(properties) {
  const entries = Object.entries(properties);
  if (!entries.length) return el('p', { class: 'hint' }, 'No properties.');
  const dl = el('dl');
  for (const [k, v] of entries.sort(([a], [b]) => a.localeCompare(b))) dl.append(el('dt', {}, k), el('dd', {}, show(v)));
  return dl;
}

function chip(label) {
  return el('span', { class: 'chip', style: `background:${colourOf(label)}` }, label);
}

/** Shows a node: labels, properties, aliases, degree. */
export function showNode(container, info) {
  const n = info.node;
  container.replaceChildren(
    el('h3', {}, n.caption),
    el('div', {}, ...n.labels.map(chip)),
    el('h4', {}, 'Aliases'),
    info.aliases.length ? el('ul', { class: 'aliases' }, ...info.aliases.map((a) => el('li', {}, a))) : el('p', { class: 'hint' }, 'No aliases.'),
    el('h4', {}, 'Sources of its facts'),
    info.sources.length
      ? el('ul', { class: 'sources' }, ...info.sources.map((s) => el('li', {}, s.name, el('span', { class: 'hint' }, ` — ${s.facts} fact${s.facts === 1 ? '' : 's'}`))))
      : el('p', { class: 'hint sources' }, 'No source given.'),
    el('h4', {}, 'Properties'),
    propertyList(n.properties),
    el('p', { class: 'hint' }, `${info.degree} relationship${info.degree === 1 ? '' : 's'} — double-click to expand.`),
  );
}

/** Shows a relationship: its ends, sources, valid time, properties. */
export function showRelationship(container, info) {
  const r = info.relationship;
  const vt = info.validTime;
  const timeRows = [
    ['date', vt.date],
    ['valid from', vt.validFrom],
    ['valid to', vt.validTo],
    ['reported on', info.reportedOn],
  ].filter(([, v]) => v !== null && v !== undefined);
  const time = el('dl', { class: 'valid-time' });
  for (const [k, v] of timeRows) time.append(el('dt', {}, k), el('dd', {}, show(v)));
  const sources = info.sources.map((s) => el('li', {}, s.name, s.node ? el('span', { class: 'hint' }, ` (${s.node.labels.join(':')})`) : null));
  container.replaceChildren(
    el('h3', {}, `:${r.type}`),
    el('p', {}, `${info.start.caption} → ${info.end.caption}`),
    el('h4', {}, 'Sources'),
    sources.length ? el('ul', { class: 'sources' }, ...sources) : el('p', { class: 'hint sources' }, 'No source given.'),
    el('h4', {}, 'Valid time'),
    timeRows.length ? time : el('p', { class: 'hint valid-time' }, 'Always (no dates given).'),
    el('h4', {}, 'Properties'),
    propertyList(r.properties),
  );
}

/** Shows a hint or an error in the details panel. */
export function showHint(container, text) {
  container.replaceChildren(el('p', { class: 'hint' }, text));
}

/** The search box's drop-down of candidates. */
export function renderCandidates(list, candidates, onPick) {
  list.replaceChildren(
    ...candidates.map((c) => {
      const li = el('li', {}, c.node.caption, ' ', el('span', { class: 'meta' }, `${c.node.labels.join(':')}${c.isName ? '' : ` — alias “${c.matched}”`} · ${c.score}`));
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        onPick(c);
      });
      return li;
    }),
  );
  if (!candidates.length) list.append(el('li', { class: 'meta' }, 'No match.'));
  list.hidden = false;
}
