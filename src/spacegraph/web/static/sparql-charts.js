// Two views of a SELECT result for the SPARQL editor's result area (YASR plugins), drawn with Chart.js:
//  - Chart: a bar chart of the numeric columns against the first column that is not numeric;
//  - Timeline: each row's dates (xsd:date, xsd:dateTime, xsd:gYear, or whole years in a column named like "year")
//    on a time line, one line per value of the first column that is not a date.
// A file of its own, as the Content-Security-Policy allows no inline script. Defines SpacegraphCharts.register.
(() => {
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong"].map((t) => XSD + t);
  const DATES = ["date", "dateTime", "gYear", "gYearMonth"].map((t) => XSD + t);
  const MAX_BARS = 200;

  const isNumber = (cell) => cell && cell.type === "literal" && NUMERIC.includes(cell.datatype);

  // A date cell as a fractional year (2020-07-01 is 2020.5), or null.
  function yearOf(cell, variable) {
    if (!cell || cell.type !== "literal") return null;
    if (DATES.includes(cell.datatype)) {
      const match = /^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(cell.value);
      if (!match) return null;
      const month = Number(match[2] || 1), day = Number(match[3] || 1);
      return Number(match[1]) + (month - 1) / 12 + (day - 1) / 365;
    }
    if (/year/i.test(variable) && isNumber(cell) && /^\d{4}$/.test(cell.value)) return Number(cell.value);
    return null;
  }

  // A cell as a label: an IRI by its last segment, anything else by its value.
  const text = (cell) => (!cell ? "" : cell.type === "uri" ? cell.value.replace(/^.*[/#]/, "") : cell.value);

  // The columns of a result: which hold only numbers, which only dates (unbound cells aside).
  function columns(yasr) {
    const variables = yasr.results.getVariables();
    const rows = yasr.results.getBindings() || [];
    const every = (variable, test) => {
      const bound = rows.filter((row) => row[variable]);
      return bound.length > 0 && bound.every((row) => test(row[variable], variable));
    };
    const dates = variables.filter((v) => every(v, (cell, name) => yearOf(cell, name) !== null));
    const numbers = variables.filter((v) => !dates.includes(v) && every(v, isNumber));
    const labels = variables.filter((v) => !numbers.includes(v) && !dates.includes(v));
    const distinct = (v) => new Set(rows.map((row) => text(row[v]))).size;
    // the timeline's lanes: the column that tells the most rows apart (an edition's name, not its kind)
    const lanes = [...labels].sort((a, b) => distinct(b) - distinct(a))[0];
    return { rows, numbers, dates, label: labels[0], lanes };
  }

  function icon(letter) {
    const element = document.createElement("span");
    element.className = "chart-icon";
    element.textContent = letter;
    return element;
  }

  class ChartView {
    constructor(yasr) {
      this.yasr = yasr;
      this.label = "Chart";
      this.priority = 5;
      this.chart = null;
    }

    canHandleResults() {
      if (!this.yasr.results || !this.yasr.results.getVariables || this.yasr.results.getBoolean?.() !== undefined) {
        return false;
      }
      const { rows, numbers, label } = columns(this.yasr);
      return rows.length > 0 && numbers.length > 0 && label !== undefined;
    }

    getIcon() {
      return icon("▮");
    }

    draw() {
      const { rows, numbers, label } = columns(this.yasr);
      const shown = rows.slice(0, MAX_BARS);
      const canvas = chartCanvas(this.yasr, rows.length > MAX_BARS ? `the first ${MAX_BARS} of ${rows.length} rows` : "");
      this.chart = new Chart(canvas, {
        type: "bar",
        data: {
          labels: shown.map((row) => text(row[label])),
          datasets: numbers.map((variable) => ({ label: variable, data: shown.map((row) => (row[variable] ? Number(row[variable].value) : null)) })),
        },
        options: {
          indexAxis: shown.length > 12 ? "y" : "x",
          maintainAspectRatio: false,
          animation: false,
          scales: { [shown.length > 12 ? "y" : "x"]: { ticks: { callback: shortLabel } } },
        },
      });
    }

    destroy() {
      if (this.chart) this.chart.destroy();
      this.chart = null;
    }
  }

  class TimelineView extends ChartView {
    constructor(yasr) {
      super(yasr);
      this.label = "Timeline";
      this.priority = 4;
    }

    canHandleResults() {
      if (!this.yasr.results || !this.yasr.results.getVariables || this.yasr.results.getBoolean?.() !== undefined) {
        return false;
      }
      const { rows, dates } = columns(this.yasr);
      return rows.length > 0 && dates.length > 0;
    }

    getIcon() {
      return icon("⋯");
    }

    draw() {
      const { rows, dates, numbers, lanes: laneColumn } = columns(this.yasr);
      const name = laneColumn || numbers[0];
      const dated = rows.filter((row) => dates.some((variable) => yearOf(row[variable], variable) !== null));
      const lanes = [...new Set(dated.map((row) => text(row[name])))].slice(0, MAX_BARS);
      const canvas = chartCanvas(this.yasr, "", Math.max(240, lanes.length * 22 + 80));
      this.chart = new Chart(canvas, {
        type: "scatter",
        data: {
          datasets: dates.map((variable) => ({
            label: variable,
            data: dated
              .filter((row) => lanes.includes(text(row[name])) && yearOf(row[variable], variable) !== null)
              .map((row) => ({ x: yearOf(row[variable], variable), y: text(row[name]), when: row[variable].value })),
          })),
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          scales: {
            x: { type: "linear", ticks: { callback: (value) => (Number.isInteger(value) ? String(value) : "") } },
            y: { type: "category", labels: lanes, offset: true, ticks: { callback: shortLabel } },
          },
          plugins: { tooltip: { callbacks: { label: (item) => `${item.raw.y}: ${item.raw.when}` } } },
        },
      });
    }
  }

  // A category's label, cut to 40 characters (the tooltip has it whole).
  function shortLabel(value) {
    const label = this.getLabelForValue(value);
    return label.length > 40 ? `${label.slice(0, 39)}…` : label;
  }

  function chartCanvas(yasr, note, height = 420) {
    const wrapper = document.createElement("div");
    wrapper.className = "result-chart";
    wrapper.style.height = `${height}px`;
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "a chart of the result");
    wrapper.appendChild(canvas);
    yasr.resultsEl.appendChild(wrapper);
    if (note) {
      const caption = document.createElement("p");
      caption.className = "result-chart-note";
      caption.textContent = `Drawn: ${note}.`;
      yasr.resultsEl.appendChild(caption);
    }
    return canvas;
  }

  window.SpacegraphCharts = {
    register(Yasr) {
      Yasr.registerPlugin("chart", ChartView);
      Yasr.registerPlugin("timeline", TimelineView);
      Yasr.defaults.pluginOrder = [...Yasr.defaults.pluginOrder, "chart", "timeline"];
    },
  };
})();
