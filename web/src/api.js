// Talks to the kgq server: the query API (typed JSON) and the explorer's
// endpoints. Typed JSON values become plain JS values, or GNode / GRel /
// GPath / Temporal objects for what JSON has no type for.

/** A node of the graph. */
export class GNode {
  constructor(v) {
    this.id = v._element_id;
    this.labels = v._labels || [];
    this.properties = decodeMap(v._properties || {});
  }
  get caption() {
    const name = this.properties.name;
    if (typeof name === 'string' && name) return name;
    return this.labels[0] ? `${this.labels[0]} ${this.id.split(':').pop()}` : this.id;
  }
}

/** A relationship of the graph. */
export class GRel {
  constructor(v) {
    this.id = v._element_id;
    this.type = v._type;
    this.start = v._start_node_element_id;
    this.end = v._end_node_element_id;
    this.properties = decodeMap(v._properties || {});
  }
}

/** A path: nodes and relationships in turn. */
export class GPath {
  constructor(items) {
    this.items = items;
  }
}

/** A date, time or duration, kept as its ISO text with its type. */
export class Temporal {
  constructor(type, text) {
    this.type = type;
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

/** An error the server reported (or a failed request). */
export class ApiError extends Error {
  constructor(code, message, position) {
    super(message);
    this.code = code;
    this.position = position || null;
  }
}

const TEMPORAL = new Set(['Date', 'Time', 'LocalTime', 'LocalDateTime', 'OffsetDateTime', 'ZonedDateTime', 'Duration']);

function decodeMap(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) out[k] = decode(v);
  return out;
}

/** Turns one typed JSON value into a JS value. */
export function decode(t) {
  if (t === null || typeof t !== 'object' || !('$type' in t)) return t;
  const v = t._value;
  switch (t.$type) {
    case 'Null': return null;
    case 'Boolean': return v;
    case 'String': return v;
    case 'Integer': {
      const n = Number(v);
      return Number.isSafeInteger(n) ? n : BigInt(v);
    }
    case 'Float': return Number(v);
    case 'List': return v.map(decode);
    case 'Map': return decodeMap(v);
    case 'Node': return new GNode(v);
    case 'Relationship': return new GRel(v);
    case 'Path': return new GPath(v.map(decode));
    default:
      if (TEMPORAL.has(t.$type)) return new Temporal(t.$type, v);
      return v;
  }
}

async function request(path, init) {
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError('Network', `the server cannot be reached: ${e.message}`);
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError('BadReply', `the server sent something that is not JSON (HTTP ${response.status})`);
  }
  if (body && Array.isArray(body.errors) && body.errors.length) {
    const e = body.errors[0];
    throw new ApiError(e.code, e.message, e.position);
  }
  if (!response.ok) throw new ApiError(`HTTP ${response.status}`, response.statusText);
  return body;
}

/** Runs a statement; `asOf` (a date) sets valid time for it. */
export async function runQuery(statement, { asOf = null, parameters = {} } = {}) {
  const body = { statement, parameters };
  if (asOf) body.asOf = asOf;
  const reply = await request('/db/kgq/query/v2', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/vnd.neo4j.query.v1.1',
    },
    body: JSON.stringify(body),
  });
  return {
    fields: reply.data.fields,
    values: reply.data.values.map((row) => row.map(decode)),
    counters: reply.counters,
  };
}

const get = (path) => request(path, { headers: { Accept: 'application/json' } });

/** Counts, read-only flag and the dates the graph covers. */
export const getInfo = () => get('/api/info');
/** Keywords, functions, labels, types, keys and entity names. */
export const getCatalog = () => get('/api/catalog');

/** Nodes whose name or alias resembles `text`. */
export async function findEntities(text, limit = 10) {
  const reply = await get(`/api/find?q=${encodeURIComponent(text)}&limit=${limit}`);
  return reply.candidates.map((c) => ({ ...c, node: decode(c.node) }));
}

/** A node with its aliases and degree. */
export async function getNode(id) {
  const reply = await get(`/api/node/${encodeURIComponent(id)}`);
  return { ...reply, node: decode(reply.node) };
}

/** A relationship with its ends, sources and valid time. */
export async function getRelationship(id) {
  const r = await get(`/api/relationship/${encodeURIComponent(id)}`);
  return {
    relationship: decode(r.relationship),
    start: decode(r.start),
    end: decode(r.end),
    sources: r.sources.map((s) => ({ name: s.name, node: s.node ? decode(s.node) : null })),
    reportedOn: decode(r.reportedOn),
    validTime: {
      validFrom: decode(r.validTime.validFrom),
      validTo: decode(r.validTime.validTo),
      date: decode(r.validTime.date),
    },
  };
}

/** A node's neighbours (valid at `asOf` when given). */
export async function getNeighbours(id, asOf = null, limit = 200) {
  let path = `/api/neighbours/${encodeURIComponent(id)}?limit=${limit}`;
  if (asOf) path += `&asOf=${encodeURIComponent(asOf)}`;
  const r = await get(path);
  return { nodes: r.nodes.map(decode), relationships: r.relationships.map(decode), total: r.total };
}

/** Collects the nodes and relationships anywhere in result rows. */
export function elementsOf(values) {
  const nodes = new Map();
  const rels = new Map();
  const visit = (v) => {
    if (v instanceof GNode) nodes.set(v.id, v);
    else if (v instanceof GRel) rels.set(v.id, v);
    else if (v instanceof GPath) v.items.forEach(visit);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object' && !(v instanceof Temporal)) Object.values(v).forEach(visit);
  };
  values.forEach(visit);
  return { nodes, rels };
}

/** Text for a value in the table and the details panel. */
export function show(v) {
  if (v === null || v === undefined) return 'null';
  if (v instanceof GNode) return `(${v.labels.map((l) => ':' + l).join('')} ${v.caption})`;
  if (v instanceof GRel) return `[:${v.type}]`;
  if (v instanceof GPath) return v.items.map(show).join('-');
  if (v instanceof Temporal) return v.text;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    return `{${Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(', ')}}`;
  }
  return String(v);
}
