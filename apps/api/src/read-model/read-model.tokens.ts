/** Injection tokens of the read-model module (read-model.module.ts). */
/** The live TimelineReadModel: the projector writes it, the timeline, stats and export read it. */
export const TIMELINE_READ_MODEL = Symbol('TIMELINE_READ_MODEL');
/** CurrentTimeline: the read model now, or the store folded as of a moment. */
export const CURRENT_TIMELINE = Symbol('CURRENT_TIMELINE');
