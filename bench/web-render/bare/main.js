/**
 * The baseline: vis-timeline and vis-data (the same "peer" builds the app uses) given the app's vis
 * items and groups as plain data, and nothing else. `?data=` names the JSON, `?start=&end=` the window
 * (epoch ms), `?w=&h=` the size of the timeline (the app's canvas size, so both lay out the same).
 * `window.__bench.ready` is set once the Timeline is constructed; a selection is written to #selected.
 */
import { DataSet } from 'vis-data/peer';
import { Timeline } from 'vis-timeline/peer';
import 'vis-timeline/styles/vis-timeline-graph2d.min.css';

const params = new URLSearchParams(location.search);
const container = document.getElementById('timeline');
container.style.width = `${Number(params.get('w') ?? 1000)}px`;
container.style.height = `${Number(params.get('h') ?? 700)}px`;

const data = await (await fetch(params.get('data') ?? '/items.json')).json();

function text(value) {
  const span = document.createElement('span');
  span.textContent = value;
  return span;
}

const items = new DataSet(
  data.items.map((i) => {
    const item = {
      id: i.id,
      group: i.group,
      type: i.type,
      start: i.start,
      className: i.className,
      content: text(i.title),
    };
    if (i.end !== undefined) item.end = i.end;
    return item;
  }),
);
const groups = new DataSet(data.groups.map((g) => ({ id: g.id, content: text(g.label), order: g.order })));
const options = {
  height: '100%',
  orientation: { axis: 'top', item: 'top' },
  stack: true,
  verticalScroll: true,
  selectable: true,
  multiselect: false,
  showCurrentTime: false,
  groupOrder: 'order',
  margin: { item: { horizontal: 6, vertical: 6 }, axis: 8 },
};
if (params.has('start') && params.has('end')) {
  options.start = Number(params.get('start'));
  options.end = Number(params.get('end'));
}
const timeline = new Timeline(container, items, groups, options);
timeline.on('select', (props) => {
  document.getElementById('selected').textContent = props.items.join(',');
  if (window.__bench) window.__bench.response = performance.now();
});
if (window.__bench) window.__bench.ready = performance.now();
