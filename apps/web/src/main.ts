import 'vis-timeline/styles/vis-timeline-graph2d.min.css';
import './styles/base.css';
import './styles/header.css';
import './styles/body.css';
import './styles/stats.css';
import './styles/detail.css';
import './styles/replay-bar.css';
import './styles/forms.css';
import './styles/vis-timeline.css';
import './styles/window.css';
import './styles/embed.css';
import type { DataSet } from 'vis-data';
import type { Timeline } from 'vis-timeline';
import { App, type AppSnapshot } from './app/app.ts';
import { must } from './base/dom.ts';
import { applyEmbedMode, embedModeOf } from './embed/embed-mode.ts';
import { buildShell } from './ui/shell.ts';
import type { VisGroup, VisItem } from './timeline/vis-content.ts';

/** The read-only handle that end-to-end tests (and people debugging) use; see docs/web.md. */
export interface TimelineHandle {
  readonly dataset: DataSet<VisItem, 'id'>;
  readonly groups: DataSet<VisGroup, 'id'>;
  readonly timeline: Timeline;
  state(): AppSnapshot;
  position(): number;
  readonly ready: Promise<void>;
}

declare global {
  interface Window {
    __timeline?: TimelineHandle;
  }
}

applyEmbedMode(document.documentElement, embedModeOf(location));
const shell = buildShell(must(document, '#app'));
const app = new App(shell);
window.__timeline = Object.freeze({
  dataset: app.timeline.items,
  groups: app.timeline.groups,
  timeline: app.timeline.timeline,
  state: () => app.snapshot(),
  position: () => app.position(),
  ready: app.ready,
});
// `ready` rejects when the first load fails; the page shows why, so nothing else needs the rejection.
app.ready.catch(() => undefined);
void app.start();
