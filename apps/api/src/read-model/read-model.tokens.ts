/** Injection tokens of the read-model module (read-model.module.ts). */
/** The live TimelineReadModel: the projector writes it, the timeline, stats and export read it. */
export const TIMELINE_READ_MODEL = Symbol('TIMELINE_READ_MODEL');
/** CurrentTimeline: the read model now, or the store folded as of a moment. */
export const CURRENT_TIMELINE = Symbol('CURRENT_TIMELINE');
/** TimelineWindowReads: the timeline by window, at a position, and its overview. */
export const TIMELINE_WINDOW_READS = Symbol('TIMELINE_WINDOW_READS');
/** TimelineDiff: what changed in a window between two positions. */
export const TIMELINE_DIFF = Symbol('TIMELINE_DIFF');
