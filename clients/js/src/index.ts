// @rembuk/client: typed client for rembuk's WebSocket protocol and read-only HTTP API.
export * from './protocol.js';
export * from './commands.js';
export * from './state.js';
export * from './optimistic.js';
export { applyEvent, FOLDED_EVENT_TYPES } from './fold.js';
export * from './client.js';
export * from './emitter.js';
export * from './http.js';
export * from './text.js';
export * from './text-fields.js';
