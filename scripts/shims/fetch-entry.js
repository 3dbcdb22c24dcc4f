// The entry of dist/fetch.js: node-fetch as the extension bundle requires it on the first request.
export * from 'node-fetch';
export { default } from 'node-fetch';
