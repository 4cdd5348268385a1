/**
 * The layers of src/, left to right: a module may import from its own folder or from
 * folders to its left, never to its right, and no two folders may import each other
 * (even through a third). Run on every import of src/**\/*.ts, static or `import()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Read from the code, not from the pipeline's data flow (sources → parse → ingest → store):
 * - ingest/ drives the store (its writer, its queries), so it sits right of store/;
 * - custody/ verifies digest chains over what parse/ reads, and the store applies it
 *   (store/custody.ts, store/evidence.ts): right of parse/, left of store/.
 */
const LAYERS = ['sources', 'parse', 'custody', 'store', 'ingest', 'correlate', 'report', 'cli'] as const;
/** A file directly under src/ is an entry point beside the layers: it may import any of them, none may import it. */
const TOP_LEVEL = '(src/)';
/** Imports the layer order allows but a rule of the house forbids: report/ renders what it is handed, it never opens the database. */
const FORBIDDEN: ReadonlyArray<readonly [from: string, to: string]> = [['report', 'store']];

/**
 * Violations someone is fixing now (issue 19). Each entry is removed by whoever fixes it;
 * an entry that no longer happens fails the test, so the list cannot go stale.
 */
const KNOWN_VIOLATIONS: readonly string[] = [];

interface Import {
  /** The importing file, from the repository root: src/store/writer.ts. */
  file: string;
  /** As written in the import. */
  specifier: string;
  /** The imported file, from the repository root. */
  target: string;
}

/** Module specifiers of a file's imports: `import`, `export … from`, `import x = require()`, and `import()` of a string literal. */
function specifiersOf(text: string): string[] {
  const source = ts.createSourceFile('module.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) found.push(expression.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative import of src/, resolved to the file it names (compiled `.js` names stand for their `.ts`). */
function importsOfSrc(): Import[] {
  return sourceFiles('src').flatMap((file) =>
    specifiersOf(readFileSync(join(ROOT, file), 'utf8'))
      .filter((specifier) => specifier.startsWith('./') || specifier.startsWith('../'))
      .map((specifier) => ({ file, specifier, target: posix.join(posix.dirname(file), specifier).replace(/\.js$/, '.ts') })),
  );
}

/** The top folder of a file under src/, TOP_LEVEL for a file directly in it, null outside src/. */
function folderOf(path: string): string | null {
  const parts = path.split('/');
  if (parts[0] !== 'src') return null;
  return parts.length === 2 ? TOP_LEVEL : parts[1]!;
}

function rankOf(folder: string): number {
  return folder === TOP_LEVEL ? LAYERS.length : (LAYERS as readonly string[]).indexOf(folder);
}

/** Each violation once: `file → specifier` for an import to the right, `cycle among a, b` for folders that import each other. */
function violations(imports: readonly Import[]): string[] {
  const found = new Set<string>();
  const edges = new Map<string, Set<string>>();
  for (const { file, specifier, target } of imports) {
    const from = folderOf(file);
    const to = folderOf(target);
    if (from === null || to === null || from === to) continue;
    const unplaced = [from, to].filter((folder) => rankOf(folder) < 0);
    for (const folder of unplaced) found.add(`src/${folder}/ has no place in LAYERS`);
    if (unplaced.length === 0 && rankOf(to) > rankOf(from) || FORBIDDEN.some(([a, b]) => a === from && b === to)) found.add(`${file} → ${specifier}`);
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
  }
  for (const cycle of foldersInCycles(edges)) found.add(`cycle among ${cycle.join(', ')}`);
  return [...found];
}

/** Strongly connected groups of more than one folder (Tarjan), each sorted by name. */
function foldersInCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (folder: string): void => {
    index.set(folder, index.size);
    low.set(folder, index.get(folder)!);
    stack.push(folder);
    onStack.add(folder);
    for (const next of edges.get(folder) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(folder, Math.min(low.get(folder)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(folder, Math.min(low.get(folder)!, index.get(next)!));
      }
    }
    if (low.get(folder) !== index.get(folder)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== folder);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const folder of edges.keys()) if (!index.has(folder)) visit(folder);
  return groups;
}

const imports = (list: Array<[file: string, specifier: string]>): Import[] =>
  list.map(([file, specifier]) => ({ file, specifier, target: posix.join(posix.dirname(file), specifier).replace(/\.js$/, '.ts') }));

describe('layers of src/', () => {
  const actual = violations(importsOfSrc());

  it('when a module imports from a layer to its right, or folders import each other, then the test names it', () => {
    expect(actual.filter((violation) => !KNOWN_VIOLATIONS.includes(violation))).toEqual([]);
  });

  it('when a known violation has been fixed then its entry must leave KNOWN_VIOLATIONS', () => {
    expect(KNOWN_VIOLATIONS.filter((violation) => !actual.includes(violation))).toEqual([]);
  });

  it('when src/ is scanned then every top folder is a layer and the imports between them are found', () => {
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.filter((folder) => rankOf(folder) < 0)).toEqual([]);
    // A scan that silently found nothing would pass everything above.
    expect(importsOfSrc().filter(({ file, target }) => folderOf(file) !== folderOf(target)).length).toBeGreaterThan(100);
  });
});

describe('the layer check itself', () => {
  it('when a file imports statically, re-exports, imports types or imports dynamically then each specifier is found', () => {
    const text = [
      "import { a } from '../store/a.js';",
      "import type { B } from '../store/b.js';",
      "import '../store/side-effect.js';",
      "export { c } from '../report/c.js';",
      "export * from '../report/d.js';",
      "const e = await import('../cli/e.js');",
      'const f = await import(`../cli/f.js`);',
    ].join('\n');
    expect(specifiersOf(text)).toEqual(['../store/a.js', '../store/b.js', '../store/side-effect.js', '../report/c.js', '../report/d.js', '../cli/e.js', '../cli/f.js']);
  });

  it('when "from" only appears in comments, strings or a computed import() then nothing is found', () => {
    const text = [
      "// import { a } from '../store/a.js';",
      "/* export { b } from '../report/b.js'; */",
      "const text = \"import x from '../cli/x.js'\";",
      'const g = await import(name);',
    ].join('\n');
    expect(specifiersOf(text)).toEqual([]);
  });

  it('when a module imports from its left or its own folder then nothing is reported', () => {
    expect(violations(imports([['src/store/writer.ts', '../parse/event-row.js'], ['src/store/writer.ts', './database.js'], ['src/cli/main.ts', '../store/database.js']]))).toEqual([]);
  });

  it('when a module imports from a layer to its right then file and import are named', () => {
    expect(violations(imports([['src/sources/s3.ts', '../parse/log-file.js'], ['src/ingest/ingest.ts', '../sources/source.js']]))).toEqual([
      'src/sources/s3.ts → ../parse/log-file.js',
    ]);
  });

  it('when report imports the store then it is named although the store is to its left', () => {
    expect(violations(imports([['src/report/table.ts', '../store/queries.js']]))).toEqual(['src/report/table.ts → ../store/queries.js']);
  });

  it('when folders import each other through a third then the cycle is named once', () => {
    const found = violations(imports([['src/store/a.ts', '../report/b.js'], ['src/report/b.ts', '../correlate/c.js'], ['src/correlate/c.ts', '../store/d.js']]));
    expect(found.filter((violation) => violation.startsWith('cycle'))).toEqual(['cycle among correlate, report, store']);
  });

  it('when a file lies directly in src/ then it may import any layer and no layer may import it', () => {
    expect(violations(imports([['src/index.ts', './cli/main.js']]))).toEqual([]);
    expect(violations(imports([['src/cli/main.ts', '../index.js']]))).toEqual(['src/cli/main.ts → ../index.js']);
  });

  it('when a folder has no place in LAYERS then it is named', () => {
    expect(violations(imports([['src/plugins/x.ts', '../store/database.js']]))).toEqual(['src/plugins/ has no place in LAYERS']);
  });
});
