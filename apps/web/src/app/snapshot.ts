import type { LiveStatus } from '../live/live-stream.ts';
import type { FilterState } from '../model/filters.ts';
import type { GroupBy, ViewState } from '../model/url-state.ts';
import type { Displayed } from '../view/displayed.ts';
import type { WindowedSnapshot } from '../window/windowed-source.ts';

/** A read-only view of the app for tests and debugging (`window.__timeline.state()`). */
export interface AppSnapshot {
  mode: ViewState['mode'];
  groupBy: GroupBy;
  filter: FilterState;
  window?: { start: string; end: string };
  position: number;
  head: number;
  livePosition: number;
  asOf?: string;
  sweep?: string;
  diff?: { a: number; b: number; added: string[]; changed: string[]; retracted: string[] };
  selected?: string;
  /** The stats panel's scope while it is open. */
  stats?: 'all' | 'shown';
  newEvents: number;
  playing: boolean;
  speed: number;
  items: number;
  visible: number;
  visibleIds: string[];
  connection: LiveStatus['state'];
  logLoaded: boolean;
  /** Set when the timeline is read by window (too big to hold whole). */
  windowed?: WindowedSnapshot;
}

/** Everything the snapshot reports, gathered by the app from its parts. */
export interface SnapshotFacts {
  view: ViewState;
  displayed: Displayed;
  visibleOrder: readonly string[];
  head: number;
  livePosition: number;
  newEvents: number;
  playing: boolean;
  speed: number;
  connection: LiveStatus;
  logLoaded: boolean;
  windowed?: WindowedSnapshot;
}

export function snapshotOf(facts: SnapshotFacts): AppSnapshot {
  const { view, displayed } = facts;
  const diff = displayed.diff;
  const window = view.window;
  const snap: AppSnapshot = {
    mode: view.mode,
    groupBy: view.groupBy,
    filter: structuredClone(view.filter),
    position: displayed.position,
    head: facts.head,
    livePosition: facts.livePosition,
    newEvents: facts.newEvents,
    playing: facts.playing,
    speed: facts.speed,
    items: [...displayed.items.values()].filter((i) => !i.retracted).length,
    visible: facts.visibleOrder.length,
    visibleIds: [...facts.visibleOrder],
    connection: facts.connection.state,
    logLoaded: facts.logLoaded,
  };
  if (window)
    snap.window = { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() };
  if (view.mode === 'replay' && view.asOf) snap.asOf = view.asOf;
  if (displayed.sweep) snap.sweep = new Date(displayed.sweep.marker).toISOString();
  if (diff) {
    const ids = (kind: string) => diff.entries.filter((e) => e.kind === kind).map((e) => e.item.id);
    snap.diff = {
      a: diff.from,
      b: diff.to,
      added: ids('added'),
      changed: ids('changed'),
      retracted: ids('retracted'),
    };
  }
  if (facts.windowed) snap.windowed = facts.windowed;
  if (view.selected) snap.selected = view.selected;
  if (view.stats) snap.stats = view.stats;
  return snap;
}
