import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, type ViewState } from '../model/url-state.ts';
import { UrlSync } from './url-sync.ts';

function harness(search = '') {
  const location = { pathname: '/', search, hash: '#top' };
  const written: string[] = [];
  const timers: Array<{ fn: () => void; cleared: boolean }> = [];
  let view: ViewState = { ...DEFAULT_VIEW, filter: { ...DEFAULT_VIEW.filter } };
  const sync = new UrlSync(() => view, {
    location,
    replaceState: (url) => {
      written.push(url);
      location.search = url.slice(1, url.indexOf('#'));
    },
    setTimer: (fn) => timers.push({ fn, cleared: false }) - 1,
    clearTimer: (handle) => {
      timers[handle as number]!.cleared = true;
    },
  });
  const fire = () => {
    for (const timer of timers.splice(0)) if (!timer.cleared) timer.fn();
  };
  return { sync, written, fire, setView: (v: ViewState) => (view = v) };
}

describe('UrlSync', () => {
  it('writes the view once it has been still, replacing the history entry once for many changes', () => {
    const { sync, written, fire, setView } = harness();
    setView({ ...DEFAULT_VIEW, groupBy: 'actor' });
    sync.schedule();
    sync.schedule();
    sync.schedule();
    expect(written).toEqual([]);
    fire();
    expect(written).toEqual(['/?group=actor#top']);
  });

  it('leaves the address alone when it already says the same', () => {
    const { sync, written, fire } = harness();
    sync.schedule();
    fire();
    expect(written).toEqual([]);
  });

  it('drops the query when the view is back to the default', () => {
    const { sync, written, fire } = harness('?group=actor');
    sync.schedule();
    fire();
    expect(written).toEqual(['/#top']);
  });
});
