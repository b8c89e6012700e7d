// The query editor: CodeMirror 6 with highlighting for kgq's language,
// completion of keywords, functions, labels, relationship types, property
// keys and entity names (from the server's catalog), and Ctrl-Enter to run.
import { EditorView, keymap, placeholder, lineNumbers } from '@codemirror/view';
import { EditorState, Prec } from '@codemirror/state';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { StreamLanguage, syntaxHighlighting, HighlightStyle, bracketMatching } from '@codemirror/language';
import { autocompletion, closeBrackets, completionKeymap } from '@codemirror/autocomplete';
import { tags as t } from '@lezer/highlight';

/** What completion offers; filled from /api/catalog. */
const catalog = {
  keywords: new Set(['MATCH', 'OPTIONAL', 'WHERE', 'RETURN', 'WITH', 'UNWIND', 'AS', 'ORDER', 'BY', 'SKIP', 'LIMIT', 'CREATE', 'MERGE', 'SET', 'REMOVE', 'DELETE', 'DETACH', 'UNION', 'ALL', 'DISTINCT', 'ON', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'AND', 'OR', 'XOR', 'NOT', 'IN', 'IS', 'NULL', 'TRUE', 'FALSE', 'OF']),
  functions: [],
  labels: [],
  types: [],
  keys: [],
  names: [],
};

/** Replaces what completion offers. */
export function setCatalog(c) {
  catalog.keywords = new Set([...c.keywords, 'OF'].map((k) => k.toUpperCase()));
  catalog.functions = c.functions;
  catalog.labels = c.labels;
  catalog.types = c.types;
  catalog.keys = c.keys;
  catalog.names = c.names;
}

/** A tokenizer for the language modelled on openCypher. */
const kgqLanguage = StreamLanguage.define({
  name: 'kgq',
  startState: () => ({ inComment: false, afterColon: false }),
  token(stream, state) {
    if (state.inComment) {
      if (stream.skipTo('*/')) {
        stream.next();
        stream.next();
        state.inComment = false;
      } else stream.skipToEnd();
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.inComment = true;
      return 'comment';
    }
    const ch = stream.peek();
    if (ch === "'" || ch === '"') {
      stream.next();
      let escaped = false;
      let c;
      while ((c = stream.next()) != null) {
        if (c === ch && !escaped) break;
        escaped = !escaped && c === '\\';
      }
      return 'string';
    }
    if (ch === '`') {
      stream.next();
      stream.skipTo('`') ? stream.next() : stream.skipToEnd();
      const wasColon = state.afterColon;
      state.afterColon = false;
      return wasColon ? 'typeName' : 'variableName';
    }
    if (stream.match(/^\d+(\.\d+)?([eE][-+]?\d+)?/)) return 'number';
    if (stream.match(/^\$\w+/)) return 'special';
    if (stream.match(/^[A-Za-z_][\w.]*/)) {
      const word = stream.current();
      if (state.afterColon) {
        state.afterColon = false;
        return 'typeName';
      }
      if (catalog.keywords.has(word.toUpperCase())) return 'keyword';
      if (stream.match(/^\s*\(/, false)) return 'function';
      return 'variableName';
    }
    stream.next();
    state.afterColon = stream.current() === ':';
    return 'operator';
  },
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
});

const highlight = HighlightStyle.define([
  { tag: t.keyword, color: '#7a3ec8', fontWeight: 'bold' },
  { tag: t.string, color: '#2e8b57' },
  { tag: t.number, color: '#c2571a' },
  { tag: t.comment, color: '#8a8f99', fontStyle: 'italic' },
  { tag: t.typeName, color: '#2f78c4' },
  { tag: t.special(t.string), color: '#b8860b' },
  { tag: t.function(t.variableName), color: '#b03060' },
  { tag: t.operator, color: '#6b7280' },
]);

/** Where the cursor is: in a string, after `:` (label or type), after `.`, or in a word. */
function completions(context) {
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  const quotes = (before.match(/'/g) || []).length + (before.match(/"/g) || []).length;
  if (quotes % 2 === 1) {
    const m = before.match(/['"]([^'"]*)$/);
    const typed = m[1].toLowerCase();
    const options = [];
    for (const n of catalog.names) {
      options.push({ label: n.name, type: 'text', detail: n.labels.join(':') });
      for (const a of n.aliases) {
        if (a.toLowerCase().includes(typed) && typed.length > 0) {
          options.push({ label: a, apply: n.name, type: 'text', detail: `alias of ${n.name}` });
        }
      }
    }
    return { from: context.pos - m[1].length, options, validFor: /^[^'"]*$/ };
  }
  const word = context.matchBefore(/[:.$]?[\w]*/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  const text = word.text;
  if (text.startsWith(':')) {
    const all = context.state.doc.sliceString(0, context.pos);
    const inRel = all.lastIndexOf('[') > all.lastIndexOf(']');
    const items = inRel ? catalog.types : catalog.labels;
    return { from: word.from + 1, options: items.map((x) => ({ label: x, type: inRel ? 'type' : 'class' })), validFor: /^\w*$/ };
  }
  if (text.startsWith('.')) {
    return { from: word.from + 1, options: catalog.keys.map((k) => ({ label: k, type: 'property' })), validFor: /^\w*$/ };
  }
  if (text.startsWith('$')) return null;
  const options = [
    ...[...catalog.keywords].map((k) => ({ label: k, type: 'keyword' })),
    ...catalog.functions.map((f) => ({ label: f, type: 'function', apply: `${f}(` })),
  ];
  return { from: word.from, options, validFor: /^\w*$/ };
}

/** Creates the editor in `parent`; `onRun` is called on Ctrl-Enter. */
export function createEditor(parent, { onRun, initial = '' }) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        Prec.highest(
          keymap.of([
            { key: 'Mod-Enter', run: () => (onRun(), true) },
            { key: 'Shift-Enter', run: () => (onRun(), true) },
          ]),
        ),
        lineNumbers(),
        history(),
        bracketMatching(),
        closeBrackets(),
        kgqLanguage,
        syntaxHighlighting(highlight),
        autocompletion({ override: [completions] }),
        keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
        placeholder('MATCH (a)-[r]->(b) RETURN a, r, b LIMIT 100'),
        EditorView.lineWrapping,
        EditorView.theme({
          '&': { color: 'var(--text)', backgroundColor: 'var(--bg)' },
          '.cm-content': { fontFamily: 'ui-monospace, monospace', caretColor: 'var(--text)' },
          '.cm-gutters': { backgroundColor: 'var(--panel)', color: 'var(--muted)', border: 'none' },
          '.cm-tooltip': { backgroundColor: 'var(--bg)', color: 'var(--text)', border: '1px solid var(--border)' },
        }),
      ],
    }),
  });
  return {
    view,
    get text() {
      return view.state.doc.toString();
    },
    set text(value) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
    },
    focus: () => view.focus(),
  };
}
