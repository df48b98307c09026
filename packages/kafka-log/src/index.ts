export * from './topic-snapshot.js';
export * from './waiting.js';
