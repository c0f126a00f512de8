/**
 * Finds comments that cite what a reader of the repository cannot open: an issue, ticket or pull
 * request by its number, or the design or style file kept outside the repository. Comments should
 * cite a page in docs/, a test or a standard's clause instead, or state the reason in place
 * (docs/architecture.md, "Conventions"). Run by `pnpm lint` through check-citations.mjs.
 *
 * Only comments are read, so a CSS colour, an SQL statement, a string or a variable named `issue`
 * is never a hit; neither is a standard's clause ("ISO 22400-2 §5.3", "MQTT 3.1.1 §4.7.2").
 */

/** What a comment must not say, each with the message shown at the hit. */
const RULES = [
  { pattern: /\b(?:issues?|tickets?|bugs?)\s*#?\d+/i, message: 'cites an issue number' },
  { pattern: /\b(?:PRs?|pull requests?)\s*#\d+/i, message: 'cites a pull request number' },
  { pattern: /\bDESIGN(?:\.md)?\b/, message: 'cites the design file, which is outside the repository' },
  {
    pattern: /\bdesign (?:file|doc|document)\b/i,
    message: 'cites the design file, which is outside the repository',
  },
  { pattern: /\bSTYLE\.md\b/, message: 'cites the style file, which is outside the repository' },
];

const JS_LIKE = /\.(?:[cm]?[jt]s|jsonc?|css)$/;
const HASH_COMMENTS = /(?:\.ya?ml|\.toml|\.conf|\.sh|\.npmrc|\.gitignore|(?:^|\/)Dockerfile[^/]*)$/;

/** Whether `path` is a file whose comments are checked. */
export function isChecked(path, firstLine = '') {
  return (
    JS_LIKE.test(path) ||
    HASH_COMMENTS.test(path) ||
    /\.(?:svelte|html|sql)$/.test(path) ||
    (!/\.[^/]*$/.test(path) && /^#!.*\b(?:ba|z)?sh\b/.test(firstLine))
  );
}

/**
 * The comments of a file, each as its lines: `{ line, text }` with 1-based line numbers, the text
 * without comment markers. The kind of file decides the comment syntax.
 */
export function commentsOf(path, source) {
  let comments;
  if (path.endsWith('.svelte') || path.endsWith('.html')) comments = markupComments(source);
  else if (path.endsWith('.sql')) comments = scan(source, 0, source.length, 'sql');
  else if (JS_LIKE.test(path)) comments = scan(source, 0, source.length, 'js');
  else comments = hashComments(source);
  // A run of line comments on consecutive lines is one comment.
  const merged = [];
  for (const comment of comments) {
    const last = merged.at(-1);
    if (last && comment.length > 0 && last.at(-1).line + 1 === comment[0].line) last.push(...comment);
    else merged.push([...comment]);
  }
  return merged;
}

/** Every hit in a file: `{ line, message, text }`. */
export function findCitations(path, source) {
  const hits = [];
  for (const comment of commentsOf(path, source)) {
    // Join the comment's lines so a citation broken across two lines is still found.
    let joined = '';
    const starts = [];
    for (const part of comment) {
      starts.push(joined.length);
      joined += `${part.text} `;
    }
    for (const { pattern, message } of RULES) {
      const global = new RegExp(pattern.source, `${pattern.flags}g`);
      for (const match of joined.matchAll(global)) {
        let index = starts.length - 1;
        while (index > 0 && starts[index] > match.index) index--;
        hits.push({ line: comment[index].line, message, text: match[0] });
      }
    }
  }
  return hits.sort((a, b) => a.line - b.line);
}

function lineAt(source, offset) {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

/** Splits a comment's body into lines, dropping the leading `*` of block comment lines. */
function commentLines(source, start, end, markerLength) {
  const firstLine = lineAt(source, start);
  return source
    .slice(start + markerLength, end)
    .split('\n')
    .map((text, i) => ({ line: firstLine + i, text: text.replace(/^\s*\*(?!\/)/, '').trim() }));
}

/**
 * Comments of JavaScript-like code (also JSON with comments and CSS) or SQL between `from` and `to`.
 * Strings, template literals and regular expression literals are skipped, so a `//` or `--` inside
 * them is not a comment.
 */
function scan(source, from, to, dialect) {
  const comments = [];
  let i = from;
  let previous = ''; // last significant character, to tell a regex literal from a division
  while (i < to) {
    const c = source[i];
    const next = source[i + 1];
    if ((dialect === 'js' && c === '/' && next === '/') || (dialect === 'sql' && c === '-' && next === '-')) {
      let end = source.indexOf('\n', i);
      if (end === -1 || end > to) end = to;
      comments.push(commentLines(source, i, end, 2));
      i = end;
    } else if (c === '/' && next === '*') {
      let end = source.indexOf('*/', i + 2);
      if (end === -1 || end > to) end = to;
      comments.push(commentLines(source, i, end, 2));
      i = end + 2;
      continue;
    } else if (c === '"' || c === "'" || (dialect === 'js' && c === '`')) {
      i = skipString(source, i, to, dialect);
      previous = c;
      continue;
    } else if (
      dialect === 'js' &&
      c === '/' &&
      (previous === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(previous))
    ) {
      i = skipRegex(source, i, to);
      previous = '/';
      continue;
    } else if (!/\s/.test(c)) {
      previous = c;
    }
    i++;
  }
  return comments;
}

function skipString(source, start, to, dialect) {
  const quote = source[start];
  let i = start + 1;
  while (i < to) {
    const c = source[i];
    if (c === '\\' && dialect === 'js') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (dialect === 'sql' && source[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    if (quote === '`' && c === '$' && source[i + 1] === '{') {
      i = skipInterpolation(source, i + 2, to);
      continue;
    }
    if (quote !== '`' && dialect === 'js' && c === '\n') return i; // unterminated: stop at the line
    i++;
  }
  return to;
}

/** Skips `${ … }` in a template literal, strings and nested templates included. */
function skipInterpolation(source, start, to) {
  let depth = 1;
  let i = start;
  while (i < to && depth > 0) {
    const c = source[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(source, i, to, 'js');
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    i++;
  }
  return i;
}

function skipRegex(source, start, to) {
  let i = start + 1;
  let inClass = false;
  while (i < to) {
    const c = source[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '\n') return i;
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return i + 1;
    i++;
  }
  return to;
}

/** Svelte and HTML: `<!-- -->` in the markup, and the code comments of `<script>` and `<style>`. */
function markupComments(source) {
  const comments = [];
  const block = /<(script|style)\b[^>]*>([\s\S]*?)<\/\1\s*>|<!--([\s\S]*?)-->/g;
  for (const match of source.matchAll(block)) {
    if (match[3] !== undefined) {
      comments.push(commentLines(source, match.index, match.index + match[0].length - 3, 4));
    } else {
      const from = match.index + match[0].indexOf('>') + 1;
      comments.push(...scan(source, from, from + match[2].length, 'js'));
    }
  }
  return comments;
}

/** YAML, shell and similar: `#` at the start of a line or after a space, outside quotes. */
function hashComments(source) {
  const comments = [];
  source.split('\n').forEach((text, index) => {
    let quote = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") {
        if (i === 0 || /[\s:[{,-]/.test(text[i - 1])) quote = c;
      } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
        comments.push([{ line: index + 1, text: text.slice(i + 1).trim() }]);
        break;
      }
    }
  });
  return comments;
}
