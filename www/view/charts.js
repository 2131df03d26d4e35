// Hand-written SVG charts for the evaluation dashboard: line, scatter and grouped
// bar charts. Each function returns a new <svg> whose viewBox fixes the drawing
// size, so CSS only sets the rendered width. A series gets the CSS class
// series-<key>, which sets its colour in dashboard.css, so a strategy has the
// same colour in every chart and table. Labels go in through textContent.

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/** Drawing size and plot margins, in SVG user units (font sizes are in the same units). */
const WIDTH = 480;
const HEIGHT = 270;
const MARGIN = { top: 14, right: 12, bottom: 46, left: 58 };

/** Width reserved right of the plot for the legend of line and bar charts. */
const LEGEND_WIDTH = 124;
const LEGEND_ROW_HEIGHT = 18;

/** Space between the plot edge and the first and last x values of a line chart. */
const X_INSET = 14;

const TICK_LENGTH = 4;
const Y_TICK_TARGET = 5;
const POINT_RADIUS = 3.5;
const SCATTER_POINT_RADIUS = 5;

/** Estimated width of one label character at the label font size, for label placement. */
const LABEL_CHARACTER_WIDTH = 6.4;
const LABEL_HEIGHT = 13;
const LABEL_GAP = 6;

/** Share of a bar group's width left empty between groups. */
const BAR_GROUP_PADDING = 0.22;

/**
 * @typedef {{key: string, label: string}} SeriesInfo
 */

/**
 * Draws one line per series against shared x values, with axes, ticks and a legend.
 *
 * @param {Document} document
 * @param {{title: string, xLabel: string, yLabel: string, xValues: number[],
 *   series: (SeriesInfo & {values: number[]})[], formatValue: (value: number) => string}} spec
 *   `values` are aligned with `xValues`; a non-finite value breaks the line
 * @returns {SVGSVGElement}
 */
export function createLineChart(document, { title, xLabel, yLabel, xValues, series, formatValue }) {
  const plot = plotArea(LEGEND_WIDTH);
  const finiteValues = series.flatMap((entry) => entry.values).filter(Number.isFinite);
  const yTicks = niceTicks(0, Math.max(...finiteValues, 0), Y_TICK_TARGET);
  const y = linearScale([yTicks[0], yTicks.at(-1)], [plot.bottom, plot.top]);
  const x = linearScale([Math.min(...xValues), Math.max(...xValues)], [plot.left + X_INSET, plot.right - X_INSET]);

  const svg = createChart(document, title);
  svg.append(
    createYAxis(document, plot, yTicks, y, yLabel),
    createXAxis(document, plot, xValues.map((value) => ({ position: x(value), text: String(value) })), xLabel),
  );

  for (const entry of series) {
    const group = svgElement(document, 'g', { class: `series series-${entry.key}` });
    const points = xValues
      .map((xValue, index) => ({ xValue, value: entry.values[index] }))
      .filter((point) => Number.isFinite(point.value));

    const path = points
      .map((point, index) => `${index === 0 ? 'M' : 'L'}${x(point.xValue).toFixed(1)},${y(point.value).toFixed(1)}`)
      .join(' ');
    group.append(svgElement(document, 'path', { class: 'series-line', d: path, 'data-series': entry.key }));

    for (const point of points) {
      const circle = svgElement(document, 'circle', {
        class: 'series-point',
        cx: x(point.xValue).toFixed(1),
        cy: y(point.value).toFixed(1),
        r: POINT_RADIUS,
      });
      circle.append(svgElement(document, 'title', {}, `${entry.label}, ${xLabel} ${point.xValue}: ${formatValue(point.value)}`));
      group.append(circle);
    }
    svg.append(group);
  }

  svg.append(createLegend(document, plot, series, 'line'));
  return svg;
}

/**
 * Draws one labelled point per entry. Labels move around their point to avoid
 * overlapping each other.
 *
 * @param {Document} document
 * @param {{title: string, xLabel: string, yLabel: string, xDomain: [number, number],
 *   points: (SeriesInfo & {x: number, y: number})[], formatValue: (value: number) => string}} spec
 *   the y domain follows the data; points with a non-finite coordinate are left out
 * @returns {SVGSVGElement}
 */
export function createScatterChart(document, { title, xLabel, yLabel, xDomain, points, formatValue }) {
  const plot = plotArea(0);
  const finitePoints = points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y));
  const yValues = finitePoints.map((point) => point.y);
  const yTicks = yValues.length === 0 ? [0, 1] : niceTicks(Math.min(...yValues), Math.max(...yValues), Y_TICK_TARGET);
  const xTicks = niceTicks(xDomain[0], xDomain[1], Y_TICK_TARGET);
  const x = linearScale([xTicks[0], xTicks.at(-1)], [plot.left, plot.right]);
  const y = linearScale([yTicks[0], yTicks.at(-1)], [plot.bottom, plot.top]);
  const xDecimals = tickDecimals(xTicks);

  const svg = createChart(document, title);
  svg.append(
    createYAxis(document, plot, yTicks, y, yLabel),
    createXAxis(document, plot, xTicks.map((value) => ({ position: x(value), text: value.toFixed(xDecimals) })), xLabel),
  );

  const placed = [];
  for (const point of finitePoints) {
    const cx = x(point.x);
    const cy = y(point.y);
    const group = svgElement(document, 'g', { class: `series series-${point.key}`, 'data-series': point.key });
    const circle = svgElement(document, 'circle', { class: 'series-point', cx: cx.toFixed(1), cy: cy.toFixed(1), r: SCATTER_POINT_RADIUS });
    circle.append(
      svgElement(document, 'title', {}, `${point.label}: ${xLabel} ${formatValue(point.x)}, ${yLabel} ${formatValue(point.y)}`),
    );

    const box = placeLabel(point.label, cx, cy, plot, placed);
    placed.push(box);
    const label = svgElement(
      document,
      'text',
      { class: 'point-label', x: box.textX.toFixed(1), y: box.textY.toFixed(1), 'text-anchor': box.anchor },
      point.label,
    );
    group.append(circle, label);
    svg.append(group);
  }
  return svg;
}

/**
 * Draws one bar per series within each group, with a legend.
 *
 * @param {Document} document
 * @param {{title: string, yLabel: string, groups: {key: string, label: string, detail: string}[],
 *   series: (SeriesInfo & {values: Record<string, number>})[], formatValue: (value: number) => string}} spec
 *   `values` maps a group key to the bar height; a non-finite value draws no bar
 * @returns {SVGSVGElement}
 */
export function createGroupedBarChart(document, { title, yLabel, groups, series, formatValue }) {
  const plot = plotArea(LEGEND_WIDTH);
  const finiteValues = series.flatMap((entry) => Object.values(entry.values)).filter(Number.isFinite);
  const yTicks = niceTicks(0, Math.max(...finiteValues, 0), Y_TICK_TARGET);
  const y = linearScale([yTicks[0], yTicks.at(-1)], [plot.bottom, plot.top]);

  const groupWidth = (plot.right - plot.left) / groups.length;
  const barWidth = (groupWidth * (1 - BAR_GROUP_PADDING)) / series.length;
  const groupCenter = (index) => plot.left + (index + 0.5) * groupWidth;

  const svg = createChart(document, title);
  svg.append(createYAxis(document, plot, yTicks, y, yLabel));
  svg.append(createGroupAxis(document, plot, groups, groupCenter));

  series.forEach((entry, seriesIndex) => {
    const group = svgElement(document, 'g', { class: `series series-${entry.key}` });
    groups.forEach((barGroup, groupIndex) => {
      const value = entry.values[barGroup.key];
      if (!Number.isFinite(value)) {
        return;
      }
      const left = groupCenter(groupIndex) - (barWidth * series.length) / 2 + seriesIndex * barWidth;
      const top = y(Math.max(value, 0));
      const bar = svgElement(document, 'rect', {
        class: 'series-bar',
        x: (left + 0.5).toFixed(1),
        y: top.toFixed(1),
        width: Math.max(barWidth - 1, 1).toFixed(1),
        height: Math.max(plot.bottom - top, 0).toFixed(1),
        'data-series': entry.key,
        'data-group': barGroup.key,
      });
      bar.append(svgElement(document, 'title', {}, `${entry.label}, ${barGroup.label}: ${formatValue(value)}`));
      group.append(bar);
    });
    svg.append(group);
  });

  svg.append(createLegend(document, plot, series, 'box'));
  return svg;
}

/**
 * Returns round tick values from at most `min` to at least `max`, about `target` of them.
 *
 * @param {number} min
 * @param {number} max
 * @param {number} target
 * @returns {number[]} ascending, at least two values
 */
export function niceTicks(min, max, target) {
  const span = max > min ? max - min : Math.abs(max) || 1;
  const rawStep = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 2.5, 5, 10].map((multiple) => multiple * magnitude).find((candidate) => candidate >= rawStep);

  const first = Math.floor(min / step);
  const last = Math.max(Math.ceil(max / step), first + 1);
  const ticks = [];
  for (let index = first; index <= last; index += 1) {
    // toPrecision removes the binary rounding noise of index * step, such as 0.30000000000000004.
    ticks.push(Number((index * step).toPrecision(12)));
  }
  return ticks;
}

function createChart(document, title) {
  const svg = svgElement(document, 'svg', {
    class: 'chart',
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': title,
  });
  svg.append(svgElement(document, 'title', {}, title));
  return svg;
}

function plotArea(legendWidth) {
  return {
    left: MARGIN.left,
    right: WIDTH - MARGIN.right - legendWidth,
    top: MARGIN.top,
    bottom: HEIGHT - MARGIN.bottom,
  };
}

/** Draws the y axis with its gridlines, tick labels and a rotated title. */
function createYAxis(document, plot, ticks, y, label) {
  const axis = svgElement(document, 'g', { class: 'axis axis-y' });
  const decimals = tickDecimals(ticks);
  for (const tick of ticks) {
    const position = y(tick).toFixed(1);
    axis.append(
      svgElement(document, 'line', { class: 'gridline', x1: plot.left, x2: plot.right, y1: position, y2: position }),
      svgElement(document, 'line', { class: 'tick', x1: plot.left - TICK_LENGTH, x2: plot.left, y1: position, y2: position }),
      svgElement(
        document,
        'text',
        { class: 'tick-label', x: plot.left - TICK_LENGTH - 3, y: position, 'text-anchor': 'end', 'dominant-baseline': 'middle' },
        tick.toFixed(decimals),
      ),
    );
  }
  axis.append(svgElement(document, 'line', { class: 'axis-line', x1: plot.left, x2: plot.left, y1: plot.top, y2: plot.bottom }));

  const middle = ((plot.top + plot.bottom) / 2).toFixed(1);
  axis.append(
    svgElement(
      document,
      'text',
      { class: 'axis-title', x: 14, y: middle, 'text-anchor': 'middle', transform: `rotate(-90 14 ${middle})` },
      label,
    ),
  );
  return axis;
}

/**
 * Draws the x axis with ticks at the given positions and a title below.
 *
 * @param {{position: number, text: string}[]} ticks
 */
function createXAxis(document, plot, ticks, label) {
  const axis = svgElement(document, 'g', { class: 'axis axis-x' });
  axis.append(svgElement(document, 'line', { class: 'axis-line', x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom }));
  for (const { position, text } of ticks) {
    const x = position.toFixed(1);
    axis.append(
      svgElement(document, 'line', { class: 'tick', x1: x, x2: x, y1: plot.bottom, y2: plot.bottom + TICK_LENGTH }),
      svgElement(document, 'text', { class: 'tick-label', x, y: plot.bottom + 17, 'text-anchor': 'middle' }, text),
    );
  }
  axis.append(
    svgElement(
      document,
      'text',
      { class: 'axis-title', x: ((plot.left + plot.right) / 2).toFixed(1), y: HEIGHT - 8, 'text-anchor': 'middle' },
      label,
    ),
  );
  return axis;
}

/** Draws the category axis of a bar chart: each group's label and, below it, its detail. */
function createGroupAxis(document, plot, groups, groupCenter) {
  const axis = svgElement(document, 'g', { class: 'axis axis-x' });
  axis.append(svgElement(document, 'line', { class: 'axis-line', x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom }));
  groups.forEach((group, index) => {
    const x = groupCenter(index).toFixed(1);
    axis.append(
      svgElement(document, 'text', { class: 'tick-label group-label', x, y: plot.bottom + 17, 'text-anchor': 'middle' }, group.label),
      svgElement(document, 'text', { class: 'tick-label muted-label', x, y: plot.bottom + 32, 'text-anchor': 'middle' }, group.detail),
    );
  });
  return axis;
}

/**
 * Lists the series right of the plot, each with a swatch: a short line for line
 * charts, a square for bar charts.
 */
function createLegend(document, plot, series, swatch) {
  const legend = svgElement(document, 'g', { class: 'legend' });
  const left = plot.right + 16;
  series.forEach((entry, index) => {
    const y = plot.top + 6 + index * LEGEND_ROW_HEIGHT;
    const row = svgElement(document, 'g', { class: `series series-${entry.key}`, 'data-legend': entry.key });
    if (swatch === 'line') {
      row.append(svgElement(document, 'line', { class: 'series-line', x1: left, x2: left + 18, y1: y, y2: y }));
    } else {
      row.append(svgElement(document, 'rect', { class: 'series-bar', x: left + 3, y: y - 6, width: 12, height: 12 }));
    }
    row.append(
      svgElement(document, 'text', { class: 'legend-label', x: left + 24, y, 'dominant-baseline': 'middle' }, entry.label),
    );
    legend.append(row);
  });
  return legend;
}

/**
 * Picks the first position around a point (right, left, above, below, then
 * further out) where the label stays inside the plot and clear of the labels
 * already placed.
 *
 * @returns {{left: number, right: number, top: number, bottom: number, textX: number, textY: number, anchor: string}}
 */
function placeLabel(text, cx, cy, plot, placed) {
  const width = text.length * LABEL_CHARACTER_WIDTH;
  const candidates = [];
  for (const distance of [0, LABEL_HEIGHT, 2 * LABEL_HEIGHT, 3 * LABEL_HEIGHT]) {
    candidates.push(
      { left: cx + LABEL_GAP, top: cy - LABEL_HEIGHT / 2 - distance },
      { left: cx + LABEL_GAP, top: cy - LABEL_HEIGHT / 2 + distance },
      { left: cx - LABEL_GAP - width, top: cy - LABEL_HEIGHT / 2 - distance },
      { left: cx - LABEL_GAP - width, top: cy - LABEL_HEIGHT / 2 + distance },
      { left: cx - width / 2, top: cy - LABEL_GAP - LABEL_HEIGHT - distance },
      { left: cx - width / 2, top: cy + LABEL_GAP + distance },
    );
  }

  const boxes = candidates.map(({ left, top }) => ({ left, top, right: left + width, bottom: top + LABEL_HEIGHT }));
  const inside = (box) => box.left >= plot.left && box.right <= plot.right && box.top >= plot.top && box.bottom <= plot.bottom;
  const clear = (box) => placed.every((other) => !overlaps(box, other));
  const box = boxes.find((candidate) => inside(candidate) && clear(candidate)) ?? boxes.find(inside) ?? boxes[0];

  return { ...box, textX: box.left, textY: box.bottom - 3, anchor: 'start' };
}

function overlaps(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function linearScale([domainStart, domainEnd], [rangeStart, rangeEnd]) {
  const span = domainEnd - domainStart || 1;
  return (value) => rangeStart + ((value - domainStart) / span) * (rangeEnd - rangeStart);
}

/** Returns the decimals needed to tell the ticks apart, from the step between them. */
function tickDecimals(ticks) {
  const step = Math.abs(ticks[1] - ticks[0]);
  if (!(step > 0) || step >= 1) {
    return 0;
  }
  // A step of 2.5 × 10^n needs one decimal more than the power of ten alone.
  const decimals = -Math.floor(Math.log10(step));
  return Number.isInteger(Number((step * 10 ** decimals).toPrecision(12))) ? decimals : decimals + 1;
}

function svgElement(document, tag, attributes = {}, text = null) {
  const element = document.createElementNS(SVG_NAMESPACE, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  if (text !== null) {
    element.textContent = text;
  }
  return element;
}
