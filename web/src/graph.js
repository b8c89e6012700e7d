// The drawing: Cytoscape.js with the fCoSE force layout. Nodes are
// coloured by label and captioned by name; edges carry their type. Large
// results are sampled (best-connected nodes first) and the status line
// says "showing N of M".
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import svg from 'cytoscape-svg';

cytoscape.use(fcose);
cytoscape.use(svg);

/** The most nodes drawn at once; more are sampled. */
export const MAX_NODES = 5000;
/** The most relationships drawn at once. */
export const MAX_RELS = 20000;

const PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948',
  '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#1f9e89', '#d95f02',
];
const colours = new Map();

/** The colour of a label (stable within the page). */
export function colourOf(label) {
  if (!label) return '#8a8f99';
  if (!colours.has(label)) {
    let h = 0;
    for (const ch of label) h = (h * 31 + ch.codePointAt(0)) >>> 0;
    let c = PALETTE[h % PALETTE.length];
    // Distinct labels get distinct colours while the palette lasts.
    const used = new Set(colours.values());
    for (let i = 0; used.has(c) && i < PALETTE.length; i++) c = PALETTE[(h + i) % PALETTE.length];
    colours.set(label, c);
  }
  return colours.get(label);
}

/** The most a layout zooms in to fit the drawing. */
const MAX_FIT_ZOOM = 1.5;

/** Above this many nodes or relationships a drawing is "large": straight
 * edges without labels, node names only when zoomed in, a texture while
 * panning, and a quick layout. */
const LARGE_NODES = 800;
const LARGE_RELS = 2000;

function largeStyle() {
  return [
    { selector: 'node', style: { width: 10, height: 10, 'font-size': 9, 'min-zoomed-font-size': 0, 'text-wrap': 'none' } },
    { selector: 'edge', style: { 'curve-style': 'haystack', 'haystack-radius': 0, width: 0.8, label: '', 'target-arrow-shape': 'none' } },
  ];
}

function style(dark, large = false) {
  return [...baseStyle(dark), ...(large ? largeStyle() : [])];
}

function baseStyle(dark) {
  const text = dark ? '#e3e7ee' : '#1d2330';
  const outline = dark ? '#15181e' : '#ffffff';
  const edge = dark ? '#66707f' : '#9aa3b2';
  return [
    {
      selector: 'node',
      style: {
        'background-color': 'data(colour)',
        label: 'data(caption)',
        color: text,
        'font-size': 10,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-outline-color': outline,
        'text-outline-width': 2,
        'min-zoomed-font-size': 7,
        'text-wrap': 'ellipsis',
        'text-max-width': '160px',
        width: 22,
        height: 22,
      },
    },
    {
      selector: 'edge',
      style: {
        width: 1.4,
        'line-color': edge,
        'target-arrow-color': edge,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        'curve-style': 'bezier',
        label: 'data(type)',
        'font-size': 8,
        color: text,
        'text-rotation': 'autorotate',
        'text-outline-color': outline,
        'text-outline-width': 2,
        'min-zoomed-font-size': 8,
      },
    },
    { selector: ':selected', style: { 'border-width': 3, 'border-color': '#2f6fde', 'line-color': '#2f6fde', 'target-arrow-color': '#2f6fde' } },
  ];
}

function nodeData(n, caption = n.caption) {
  return { group: 'nodes', data: { id: n.id, caption, colour: colourOf(n.labels[0]), labels: n.labels.join(':') } };
}

/** How many nodes of a large drawing carry their names (measuring and
 * drawing thousands of labels is what makes a canvas slow). */
const LARGE_CAPTIONS = 150;

/** Positions for a large drawing, computed in one pass instead of a force
 * layout: rings by hop distance from the best-connected node (nodes it
 * does not reach on an outer ring), spaced so that nodes do not overlap. */
export function ringPositions(nodes, rels, degree) {
  const adjacent = new Map(nodes.map((n) => [n.id, []]));
  for (const r of rels) {
    adjacent.get(r.start)?.push(r.end);
    adjacent.get(r.end)?.push(r.start);
  }
  const byDegree = [...nodes].sort((a, b) => (degree.get(b.id) || 0) - (degree.get(a.id) || 0));
  const depth = new Map();
  const rings = [];
  if (byDegree.length) {
    depth.set(byDegree[0].id, 0);
    let frontier = [byDegree[0].id];
    while (frontier.length) {
      rings.push(frontier);
      const next = [];
      for (const id of frontier) {
        for (const other of adjacent.get(id)) {
          if (!depth.has(other)) {
            depth.set(other, rings.length);
            next.push(other);
          }
        }
      }
      frontier = next;
    }
  }
  const rest = byDegree.filter((n) => !depth.has(n.id)).map((n) => n.id);
  if (rest.length) rings.push(rest);
  const positions = new Map();
  let radius = 0;
  rings.forEach((ring, d) => {
    radius = d === 0 && ring.length === 1 ? 0 : Math.max(radius + 120, (ring.length * 14) / (2 * Math.PI));
    ring.forEach((id, i) => {
      const angle = (2 * Math.PI * i) / ring.length;
      positions.set(id, { x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
    });
  });
  return positions;
}

function relData(r) {
  return { group: 'edges', data: { id: r.id, source: r.start, target: r.end, type: r.type } };
}

/** Keeps the best-connected `maxNodes` nodes and the relationships among them. */
export function sample(nodes, rels, maxNodes = MAX_NODES, maxRels = MAX_RELS) {
  let keptNodes = nodes;
  if (nodes.length > maxNodes) {
    const degree = new Map();
    for (const r of rels) {
      degree.set(r.start, (degree.get(r.start) || 0) + 1);
      degree.set(r.end, (degree.get(r.end) || 0) + 1);
    }
    keptNodes = [...nodes].sort((a, b) => (degree.get(b.id) || 0) - (degree.get(a.id) || 0)).slice(0, maxNodes);
  }
  const ids = new Set(keptNodes.map((n) => n.id));
  const keptRels = rels.filter((r) => ids.has(r.start) && ids.has(r.end)).slice(0, maxRels);
  return { nodes: keptNodes, rels: keptRels };
}

export class GraphView {
  constructor(container, handlers) {
    this.container = container;
    this.handlers = handlers;
    this.total = { nodes: 0, rels: 0 };
    this.dark = false;
    this.large = null;
    this.cy = null;
    this.create(false);
  }

  /** (Re)creates the Cytoscape instance for small or large drawings. */
  create(large) {
    if (this.cy && this.large === large) return;
    if (this.cy) this.cy.destroy();
    this.large = large;
    const { onSelect, onExpand, onBackground } = this.handlers;
    this.cy = cytoscape({
      container: this.container,
      style: style(this.dark, large),
      wheelSensitivity: 0.3,
      minZoom: 0.02,
      maxZoom: 4,
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      hideLabelsOnViewport: large,
      motionBlur: false,
      pixelRatio: 1,
    });
    this.cy.on('tap', 'node', (e) => onSelect('node', e.target.id()));
    this.cy.on('tap', 'edge', (e) => onSelect('relationship', e.target.id()));
    this.cy.on('dbltap', 'node', (e) => onExpand(e.target.id()));
    this.cy.on('tap', (e) => {
      if (e.target === this.cy) onBackground();
    });
  }

  /** Switches the drawing's colours. */
  setTheme(dark) {
    this.dark = dark;
    this.cy.style(style(dark, this.large));
  }

  /** Replaces the drawing; returns what was drawn and what there was. */
  draw(nodes, rels) {
    const kept = sample(nodes, rels);
    this.create(kept.nodes.length > LARGE_NODES || kept.rels.length > LARGE_RELS);
    this.cy.startBatch();
    this.cy.elements().remove();
    if (this.large) {
      const degree = new Map();
      for (const r of kept.rels) {
        degree.set(r.start, (degree.get(r.start) || 0) + 1);
        degree.set(r.end, (degree.get(r.end) || 0) + 1);
      }
      const named = new Set([...kept.nodes].sort((a, b) => (degree.get(b.id) || 0) - (degree.get(a.id) || 0)).slice(0, LARGE_CAPTIONS).map((n) => n.id));
      const at = ringPositions(kept.nodes, kept.rels, degree);
      this.cy.add(kept.nodes.map((n) => ({ ...nodeData(n, named.has(n.id) ? n.caption : ''), position: at.get(n.id) })));
    } else {
      this.cy.add(kept.nodes.map((n) => nodeData(n)));
    }
    this.cy.add(kept.rels.map(relData));
    this.cy.endBatch();
    this.total = { nodes: nodes.length, rels: rels.length };
    this.layout(true, kept.nodes.length);
    return this.counts();
  }

  /** Adds nodes and relationships (an expansion) and lays them out around what is there. */
  add(nodes, rels, around) {
    const fresh = [];
    this.cy.startBatch();
    const centre = around ? this.cy.getElementById(around) : null;
    const at = centre && centre.nonempty() ? centre.position() : { x: 0, y: 0 };
    for (const n of nodes) {
      if (this.cy.getElementById(n.id).empty()) {
        const el = this.cy.add({ ...nodeData(n), position: { x: at.x + Math.random() * 40 - 20, y: at.y + Math.random() * 40 - 20 } });
        fresh.push(el);
      }
    }
    for (const r of rels) {
      if (this.cy.getElementById(r.id).empty() && this.cy.getElementById(r.start).nonempty() && this.cy.getElementById(r.end).nonempty()) {
        this.cy.add(relData(r));
      }
    }
    this.cy.endBatch();
    this.total = {
      nodes: Math.max(this.total.nodes, this.cy.nodes().length),
      rels: Math.max(this.total.rels, this.cy.edges().length),
    };
    if (fresh.length) this.layout(false, this.cy.nodes().length);
    return fresh.length;
  }

  layout(randomize, n) {
    if (n === 0) return;
    const cy = this.cy;
    // A few nodes fitted to the pane would be drawn huge: cap the zoom.
    cy.one('layoutstop', () => {
      if (cy.zoom() > MAX_FIT_ZOOM) {
        cy.zoom(MAX_FIT_ZOOM);
        cy.center();
      }
    });
    if (this.large && randomize) {
      // A force layout of thousands of nodes takes many seconds: large
      // drawings were placed in rings (ringPositions) when added.
      cy.fit(undefined, 30);
      return;
    }
    cy
      .layout({
        name: 'fcose',
        quality: n > 500 ? 'draft' : 'default',
        randomize,
        animate: false,
        fit: true,
        padding: 30,
        nodeRepulsion: () => 6000,
        idealEdgeLength: () => 80,
        numIter: n > 2000 ? 600 : 2500,
      })
      .run();
  }

  /** Selects (and centres on) an element. */
  select(id) {
    const el = this.cy.getElementById(id);
    if (el.empty()) return false;
    this.cy.elements().unselect();
    el.select();
    this.cy.animate({ center: { eles: el }, duration: 200 });
    return true;
  }

  has(id) {
    return this.cy.getElementById(id).nonempty();
  }

  /** What is drawn and how much there was. */
  counts() {
    return {
      nodes: this.cy.nodes().length,
      rels: this.cy.edges().length,
      totalNodes: this.total.nodes,
      totalRels: this.total.rels,
    };
  }

  /** The drawing as a PNG blob. */
  png(dark) {
    return this.cy.png({ output: 'blob', full: true, scale: 2, bg: dark ? '#15181e' : '#ffffff' });
  }

  /** The drawing as SVG text. */
  svg(dark) {
    return this.cy.svg({ full: true, scale: 1, bg: dark ? '#15181e' : '#ffffff' });
  }
}
