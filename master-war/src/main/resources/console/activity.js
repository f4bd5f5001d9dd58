// Live figures: requests per second, latency and bytes over the last 15 minutes, drawn with uPlot.

import uPlot from './lib/charts.js';
import {bytes} from './format.js';

const COLORS = ['#2458d6', '#1f8a4c', '#b26a00', '#c62828', '#7b3fb5', '#00838f', '#6d4c41', '#ad1457', '#455a64'];
const charts = {};

function seriesKeys(samples) {
  const keys = new Set();
  samples.forEach(sample => sample.requests.forEach(r => keys.add(`${r.operation} ${r.status}`)));
  return [...keys].sort();
}

function column(samples, key, pick) {
  return samples.map(sample => {
    const found = sample.requests.find(r => `${r.operation} ${r.status}` === key);
    return found ? pick(found) : null;
  });
}

function draw(id, names, data, options = {}) {
  const element = document.getElementById(id);
  const width = Math.max(320, element.clientWidth || element.parentElement.clientWidth - 20);
  const signature = names.join('|');
  const existing = charts[id];
  if (existing && existing.signature === signature) {
    existing.plot.setSize({width, height: 220});
    existing.plot.setData(data);
    return;
  }
  if (existing) {
    existing.plot.destroy();
  }
  const series = [{}].concat(names.map((name, i) => ({
    label: name,
    stroke: COLORS[i % COLORS.length],
    width: 1.5,
    dash: name.endsWith('p99') ? [6, 4] : undefined,
    spanGaps: false,
    value: options.value,
  })));
  const plot = new uPlot({
    width, height: 220, series,
    scales: {x: {time: true}},
    axes: [{}, {size: 70, values: options.values}],
    legend: {live: true},
  }, data, element);
  charts[id] = {plot, signature};
}

export function render(history) {
  document.getElementById('period').textContent = history.periodSeconds;
  const samples = history.samples;
  const x = samples.map(sample => sample.endedMillis / 1000);
  const keys = seriesKeys(samples);
  draw('chart-rate', keys.length ? keys : ['no requests yet'],
      [x].concat(keys.length ? keys.map(key => column(samples, key, r => r.count / history.periodSeconds))
          : [samples.map(() => 0)]), {value: (u, v) => v === null ? '–' : v.toFixed(1) + '/s'});
  const latency = keys.flatMap(key => [key + ' p50', key + ' p99']);
  draw('chart-latency', latency.length ? latency : ['no requests yet'],
      [x].concat(latency.length ? keys.flatMap(key => [column(samples, key, r => r.p50Millis), column(samples, key, r => r.p99Millis)])
          : [samples.map(() => 0)]), {value: (u, v) => v === null ? '–' : v.toFixed(2) + ' ms'});
  draw('chart-bytes', ['in (stored)', 'out (read)'],
      [x, samples.map(sample => sample.bytesIn / history.periodSeconds), samples.map(sample => sample.bytesOut / history.periodSeconds)],
      {value: (u, v) => v === null ? '–' : bytes(v) + '/s', values: (u, ticks) => ticks.map(v => bytes(v) + '/s')});
}
