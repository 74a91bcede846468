/**
 * fast-xml-parser, bundled into dist/vendor/fast-xml-parser.js at build time (scripts/bundleVendor.mjs),
 * so the published package has no runtime dependencies. Nodes import it from here, never from the package.
 */
export { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
