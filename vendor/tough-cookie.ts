/**
 * tough-cookie, bundled into dist/vendor/tough-cookie.js at build time (scripts/bundleVendor.mjs), so
 * the published package has no runtime dependencies. Nodes import it from here, never from the package.
 */
export { Cookie } from 'tough-cookie';
