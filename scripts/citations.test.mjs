import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commentsOf, findCitations, isChecked } from './citations.mjs';

const hitLines = (path, source) => findCitations(path, source).map((hit) => hit.line);

describe('findCitations', () => {
  it('finds an issue number in line and block comments, with or without #', () => {
    const source = [
      '// see issue 12',
      'const a = 1; // Issue #7 asks for this',
      '/**',
      ' * The rollup (issue 4 §3) and its refresh.',
      ' */',
      '/* issues 3 and 4 */',
    ].join('\n');
    assert.deepEqual(hitLines('a.ts', source), [1, 2, 4, 6]);
  });

  it('finds the design and style files, however they are named', () => {
    const source = [
      '// The engine choice stays behind this type (DESIGN.md §2).',
      '// loss buckets of DESIGN §5',
      '/* as the design file says */',
      '// one typed map (STYLE.md)',
    ].join('\n');
    assert.deepEqual(hitLines('a.ts', source), [1, 2, 3, 4]);
  });

  it('finds a citation broken across the lines of one comment', () => {
    assert.deepEqual(hitLines('a.ts', '/*\n * the policy of issue\n * 3 §1\n */'), [2]);
    assert.deepEqual(hitLines('a.ts', '// the policy of issue\n// 3 §1'), [1]);
  });

  it("leaves a standard's clause, a docs page and an upstream issue link alone", () => {
    const source = [
      '// OEE per ISO 22400-2 §5.3; MQTT 3.1.1 §4.7.2; RFC 6455 §7.4.1; 21 CFR 11.50',
      '// docs/kpis.md, "Definitions"; pinned in cloud/src/modules/kpi/oee.test.ts',
      '// mqtt.js never sets DUP: https://github.com/mqttjs/MQTT.js/issues/692',
      '// a design choice, the design of the outbox, DESIGNER, DESIGN_TOKENS',
      '// the issue is that 2 clients race',
    ].join('\n');
    assert.deepEqual(hitLines('a.ts', source), []);
  });

  it('reads only comments: strings, templates, regular expressions and code are not comments', () => {
    const source = [
      'const issue = { path: \'issue 12\' }; const s = "DESIGN §5";',
      'const t = `issue \u0024{issue.path} // issue 3`;',
      "const re = /issue 4|'/; const half = 1 / 2; // fine",
      "it('keeps issue 3 out of comments', () => {});",
      'if (issue) throw new Error(`Bad issue #\u0024{n}`);',
      '/* after all that, issue 9 */',
    ].join('\n');
    assert.deepEqual(hitLines('a.ts', source), [6]);
  });

  it('does not take a CSS colour for an issue', () => {
    const source = [
      '<script lang="ts">',
      "  // Colours of the loss buckets; 'running' is green.",
      "  const colour = '#123';",
      '</script>',
      '<p style="color: #123">It\'s issue-free</p>',
      '<!-- tile colours: #123 and #0a0 -->',
      '<style>',
      '  .tile { color: #123; } /* #456 */',
      '</style>',
    ].join('\n');
    assert.deepEqual(hitLines('Tile.svelte', source), []);
  });

  it('reads Svelte markup comments and the script and style blocks', () => {
    const source = [
      '<script lang="ts">',
      '  /** The board (issue 5 §3). */',
      '</script>',
      "<p>Don't // issue 1 here: text, not a comment</p>",
      '<!-- kiosk mode, DESIGN §2 -->',
      '<style>',
      '  /* issue 5 */',
      '</style>',
    ].join('\n');
    assert.deepEqual(hitLines('Board.svelte', source), [2, 5, 7]);
  });

  it('reads SQL comments, not SQL strings', () => {
    const source = [
      '-- Hand-written (issue 3 §2): row-level security.',
      "SELECT 'issue 4 -- DESIGN' AS x, 'it''s' AS y; -- fine",
      '/* issue 6 */ SELECT 1;',
    ].join('\n');
    assert.deepEqual(hitLines('0001.sql', source), [1, 3]);
  });

  it('reads YAML comments, not values', () => {
    const source = [
      '# One version of each dependency (DESIGN.md §2)',
      "title: 'issue 12 # not a comment'",
      'colour: "#123" # the brand colour',
      'key: value # see issue #4',
    ].join('\n');
    assert.deepEqual(hitLines('compose.yaml', source), [1, 4]);
  });
});

describe('isChecked', () => {
  it('takes source, SQL, YAML, JSON and config files, and shell scripts without an extension', () => {
    for (const path of [
      'a.ts',
      'b.mjs',
      'c.svelte',
      'd.sql',
      'e.yaml',
      'f.yml',
      'tsconfig.json',
      'Dockerfile',
    ]) {
      assert.equal(isChecked(path), true, path);
    }
    assert.equal(isChecked('.ci/run', '#!/usr/bin/env bash'), true);
    assert.equal(isChecked('README.md'), false);
    assert.equal(isChecked('web/static/favicon.svg'), false);
  });
});

describe('commentsOf', () => {
  it('gives each comment line its number and its text without markers', () => {
    assert.deepEqual(commentsOf('a.ts', 'x;\n/**\n * one\n * two\n */'), [
      [
        { line: 2, text: '' },
        { line: 3, text: 'one' },
        { line: 4, text: 'two' },
        { line: 5, text: '' },
      ],
    ]);
  });
});
