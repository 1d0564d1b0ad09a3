// Rooms stay small enough to read whole: no file in functions/ or infra/ over 450 lines, no function (declaration,
// method, arrow, constructor, accessor) over 120, measured on the TypeScript syntax tree from its first line to its
// last. A function's nested functions count towards it: a 200-line factory of closures is a 200-line function.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROOTS = ['functions', 'infra'];
const MAX_FILE_LINES = 450;
const MAX_FUNCTION_LINES = 120;

/** Exempt for good, with the reason at the top of the file and in docs/architecture.md ("Sizes"). */
const EXEMPT: Record<string, string> = {
  'functions/domain/match-index.ts': 'one data structure whose builder and matcher share a numbering and flat arrays',
};

interface Oversize {
  file: string;
  what: string;
  lines: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function nameOf(node: ts.SignatureDeclaration, source: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return `${(node.parent as ts.ClassLikeDeclaration).name?.text ?? 'class'} constructor`;
  if (node.name !== undefined) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText(source);
  return `anonymous ${ts.SyntaxKind[node.kind]}`;
}

function measure(relative: string, text: string): Oversize[] {
  const source = ts.createSourceFile(relative, text, ts.ScriptTarget.Latest, true);
  const lineOf = (position: number): number => source.getLineAndCharacterOfPosition(position).line;
  const found: Oversize[] = [];
  const fileLines = lineOf(text.length) + (text.endsWith('\n') ? 0 : 1);
  if (fileLines > MAX_FILE_LINES) found.push({ file: relative, what: 'file', lines: fileLines });
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1;
      if (lines > MAX_FUNCTION_LINES) found.push({ file: relative, what: nameOf(node, source), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('source sizes', () => {
  const oversize = ROOTS.flatMap((root) => sourceFiles(path.join(REPO_ROOT, root))).flatMap((file) =>
    measure(path.relative(REPO_ROOT, file), readFileSync(file, 'utf8')),
  );

  it(`keeps every file in ${ROOTS.join(' and ')} within ${MAX_FILE_LINES} lines and every function within ${MAX_FUNCTION_LINES}`, () => {
    expect(oversize.filter(({ file }) => !(file in EXEMPT))).toEqual([]);
  });

  it('measures what it claims: a long function and a long file are found', () => {
    // Prepare: a file of 460 lines holding one 130-line arrow function, and a 120-line method (within the limit).
    const lines = (count: number) => Array.from({ length: count }, (_, i) => `    const v${i} = ${i};`).join('\n');
    const code = `export const long = () => {\n${lines(128)}\n};\nclass C {\n  fits() {\n${lines(118)}\n  }\n}\n${'\n'.repeat(208)}`;

    // Act
    const found = measure('probe.ts', code);

    // Assess
    expect(found).toEqual([
      { file: 'probe.ts', what: 'file', lines: 460 },
      { file: 'probe.ts', what: 'long', lines: 130 },
    ]);
  });

  it('exempts only files still over a limit (an exemption whose file fits is deleted, with its paragraph in the docs)', () => {
    const stillOver = new Set(oversize.map(({ file }) => file));
    expect(Object.keys(EXEMPT).filter((file) => !stillOver.has(file))).toEqual([]);
  });
});
