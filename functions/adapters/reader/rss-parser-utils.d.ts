// rss-parser's helpers module, which its TypeScript declarations do not list (see rss-atom.ts).
declare module 'rss-parser/lib/utils.js' {
  const utils: {
    /** An element's text, or, when it holds markup (XHTML content), its children rebuilt as XML by xml2js. */
    getContent(content: unknown): unknown;
  };
  export default utils;
}
