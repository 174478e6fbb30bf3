// Custom Elements Manifest: `cem analyze --config .ci/custom-elements-manifest.config.mjs` from the repo root.
// The manifest feeds Storybook's autodocs and controls, editors, and JSX types.

/**
 * Teaches the analyzer our conventions: tags are registered by `Class.define('tag')` in src/define/, and the class
 * JSDoc carries @status, @since and @cssstate, which the analyzer does not read by itself.
 */
function callElementsTags() {
  const tagsByClass = new Map();
  const read = (ts, node, tag) =>
    ts
      .getJSDocTags(node)
      .filter((t) => t.tagName.getText().toLowerCase() === tag)
      .map((t) =>
        (typeof t.comment === 'string' ? t.comment : (ts.getTextOfJSDocComment(t.comment) ?? '')).trim(),
      );
  return {
    name: 'call-elements-tags',
    analyzePhase({ ts, node, moduleDoc }) {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.getText() === 'define' &&
        ts.isStringLiteral(node.arguments[0] ?? node)
      ) {
        tagsByClass.set(node.expression.expression.getText(), node.arguments[0].text);
        return;
      }
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const decl = moduleDoc.declarations?.find((d) => d.name === node.name.getText());
      if (!decl) return;
      const [status] = read(ts, node, 'status');
      const [since] = read(ts, node, 'since');
      if (status) decl.status = status;
      if (since) decl.since = since;
      const states = read(ts, node, 'cssstate').map((text) => {
        const [name, ...rest] = text.split(' - ');
        return { name: name.trim(), description: rest.join(' - ').trim() };
      });
      if (states.length) decl.cssStates = states;
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          const tag = tagsByClass.get(decl.name);
          if (decl.kind !== 'class' || !tag) continue;
          decl.tagName = tag;
          // dispatchEvent(new SomeEvent()) is seen as a nameless event; the @fires tags already name them all.
          decl.events = decl.events?.filter((e) => e.name);
          decl.customElement = true;
          mod.exports = [
            ...(mod.exports ?? []),
            {
              kind: 'custom-element-definition',
              name: tag,
              declaration: { name: decl.name, module: mod.path },
            },
          ];
        }
      }
      // Registration modules hold nothing to document once their tags are linked.
      customElementsManifest.modules = customElementsManifest.modules.filter(
        (m) => !m.path.startsWith('src/define/'),
      );
    },
  };
}

export default {
  globs: ['src/components/**/*.ts', 'src/define/*.ts'],
  exclude: ['**/*.styles.ts'],
  outdir: 'dist',
  litelement: true,
  plugins: [callElementsTags()],
};
