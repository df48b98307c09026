import { formatCount, formatInstant, plural } from '../base/format.ts';
import type { LiveStatus } from '../live/live-stream.ts';
import type { ViewState } from '../model/url-state.ts';
import type { Shell } from '../ui/shell.ts';

export interface StatusFacts {
  view: ViewState;
  connection: LiveStatus;
  livePosition: number;
  /** The log position on screen. */
  position: number;
  head: number;
  newEvents: number;
}

/** The header's one-line summary of what is on screen and how the live link is. */
export function statusText(facts: StatusFacts): string {
  const { view, connection, position, head } = facts;
  const link =
    connection.state === 'open'
      ? 'connected'
      : connection.state === 'reconnecting'
        ? `reconnecting in ${Math.ceil(connection.inMs / 1000)} s (${connection.reason})`
        : connection.state === 'connecting'
          ? 'connecting…'
          : 'stopped';
  switch (view.mode) {
    case 'live':
      return `● Live · position ${formatCount(facts.livePosition)} · ${link}`;
    case 'replay':
      return view.asOf
        ? `Replay as of ${formatInstant(view.asOf)} · position ${formatCount(position)} of ${formatCount(head)}`
        : `Replay · position ${formatCount(position)} of ${formatCount(head)}`;
    case 'sweep':
      return `Sweeping dates · knowledge at position ${formatCount(position)}`;
    case 'diff':
      return `Comparing positions ${formatCount(view.diff?.a ?? 0)} → ${formatCount(view.diff?.b ?? 0)}`;
  }
}

/** The status line, the "N new events" badge and the "Back to live" button. */
export function drawStatus(shell: Shell, facts: StatusFacts): void {
  const { view, connection, newEvents: count } = facts;
  shell.status.textContent = statusText(facts);
  shell.status.dataset.mode = view.mode;
  shell.status.dataset.connection = connection.state;
  shell.liveBadge.hidden = count === 0;
  shell.liveBadge.textContent = `${plural(count, 'new event')} — back to live`;
  shell.liveBadge.dataset.count = String(count);
  shell.goLive.hidden = view.mode === 'live' || count > 0;
}
