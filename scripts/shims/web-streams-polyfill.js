// fetch-blob falls back to web-streams-polyfill only where Node has no
// globalThis.ReadableStream (before Node 18). VS Code 1.100's extension host
// runs Node 20, so the 59 KB polyfill is left out of the bundle.
module.exports = {};
