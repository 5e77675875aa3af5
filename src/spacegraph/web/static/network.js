/* The network view: /api/network drawn with Cytoscape.js and the fCoSE layout (both from the npm registry,
   served from /vendor/). Filters refetch; search, path, hover and downloads work on what is shown.
   For tests and measurements: window.spacegraphNetwork = {cy, ready, timings: {fetch_ms, layout_ms, render_ms, …}}. */
(function () {
  "use strict";

  if (typeof window === "undefined") {
    // In the layout worker: lay out the elements sent, send back the positions.
    self.onmessage = (event) => {
      const { scripts, elements, options } = event.data;
      importScripts(...scripts); // cytoscape.js and fCoSE, from /vendor/
      const cy = cytoscape({ headless: true, styleEnabled: true, elements,
                             style: [{ selector: "node", style: { width: "data(size)", height: "data(size)" } }] });
      const t0 = performance.now();
      cy.layout(options).run();
      const positions = {};
      cy.nodes().forEach((node) => (positions[node.id()] = node.position()));
      self.postMessage({ positions, ms: Math.round(performance.now() - t0) });
    };
    return;
  }

  const SELF = document.currentScript.src;
  const API = document.currentScript.dataset.api;
  const FILTERS = ["graph", "from", "to", "edition", "side", "sector", "topic"];
  const COLOURS = { "U.S.": "#0072b2", China: "#d55e00", other: "#009e73", unknown: "#8c8c8c" };
  const SHAPES = { "U.S.": "ellipse", China: "round-rectangle", other: "diamond", unknown: "ellipse" };
  const LABELLED = 25; // the nodes with the most ties carry their name; the others show it on hover
  const LARGE = 400; // from this many nodes on: straight "haystack" edges, no edges while panning
  const IN_WORKER = 2000; // from this many ties on, the layout runs in a worker, on the hub graph (see hubGraph)

  const form = document.getElementById("network-filters");
  const container = document.getElementById("cy");
  const tip = document.getElementById("edge-tip");
  const detail = document.getElementById("network-detail");
  const statusLine = document.getElementById("network-status");
  const tbody = document.querySelector("#network-table tbody");
  const names = document.getElementById("node-names");
  const gexfLink = document.getElementById("download-gexf");

  const state = (window.spacegraphNetwork = { cy: null, ready: false, timings: {}, error: null, path: null });
  let loading = 0;

  // ---- small DOM helpers: text only, never HTML from the data ----
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }
  // only web and local addresses become links (the data could name a javascript: address)
  const link = (href, text) => (/^(https?:\/\/|\/)/.test(href || "") ? el("a", { href }, text) : el("span", {}, text));
  const status = (text) => (statusLine.textContent = text);
  const ms = (t0) => Math.round(performance.now() - t0);
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

  // ---- filters ----
  function params() {
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      const value = form.elements[name].value.trim();
      if (value && !(name === "graph" && value === "people")) query.set(name, value);
    }
    return query;
  }

  function setControls(query) {
    for (const name of FILTERS) form.elements[name].value = query.get(name) || (name === "graph" ? "people" : "");
  }

  // ---- drawing ----
  function elements(data) {
    const maxDegree = Math.max(1, ...data.nodes.map((n) => n.degree));
    const maxWeight = Math.max(1, ...data.edges.map((e) => e.weight));
    const ranked = data.nodes.slice().sort((a, b) => b.degree - a.degree);
    const labelled = new Set(ranked.slice(0, LABELLED).map((n) => n.id));
    const nodes = data.nodes.map((n) => ({
      group: "nodes",
      data: { ...n, size: 14 + 34 * Math.sqrt(n.degree / maxDegree), colour: COLOURS[n.side] || COLOURS.unknown,
              shape: SHAPES[n.side] || "ellipse" },
      classes: labelled.has(n.id) ? "labelled" : "",
    }));
    const edges = data.edges.map((e) => ({
      group: "edges",
      data: { ...e, width: maxWeight > 1 ? 1 + (7 * (e.weight - 1)) / (maxWeight - 1) : 2 },
    }));
    return nodes.concat(edges);
  }

  function style(large) {
    return [
      { selector: "node", style: {
          "background-color": "data(colour)", shape: "data(shape)", width: "data(size)", height: "data(size)",
          "border-width": 1, "border-color": "#ffffff", label: "", "font-size": 11, color: "#1b1f24",
          "text-valign": "bottom", "text-margin-y": 3, "text-outline-color": "#ffffff", "text-outline-width": 2,
          "min-zoomed-font-size": 7 } },
      { selector: "node.labelled, node:active, node.found, node.path, node.hovered", style: { label: "data(label)" } },
      { selector: "edge", style: {
          width: "data(width)", "line-color": "#9aa5b1", opacity: large ? 0.35 : 0.7,
          "curve-style": large ? "haystack" : "straight" } },
      { selector: "edge.hovered", style: { "line-color": "#1b1f24", opacity: 1, "z-index": 9 } },
      { selector: ".faded", style: { opacity: 0.08 } },
      { selector: "edge.path", style: { "line-color": "#b8860b", opacity: 1, width: 6, "z-index": 10 } },
      { selector: "node.path", style: { "border-width": 4, "border-color": "#b8860b", "z-index": 10 } },
      { selector: "node.found", style: { "border-width": 5, "border-color": "#1b1f24", "z-index": 11,
                                         "font-weight": "bold" } },
    ];
  }

  function layoutOptions(count) {
    return { name: "fcose", quality: "default", randomize: true, animate: false, fit: true, padding: 24,
             nodeDimensionsIncludeLabels: false, packComponents: true, nodeRepulsion: count > LARGE ? 8000 : 6000,
             idealEdgeLength: count > LARGE ? 60 : 90, edgeElasticity: 0.45, nodeSeparation: 80,
             numIter: 2500, tile: true };
  }

  // A large network is laid out in a worker (this same file, below), so the page keeps answering meanwhile, and
  // on a sparser graph with the same structure: each edition as a hub linked to the people who took part in it,
  // instead of every pair of them (fCoSE runs at least 5 iterations per node, each pulling along every tie: on the
  // 18,000 ties among 1,000 people that took half a minute). People who share editions still end up together.
  function hubGraph(items) {
    const nodes = [];
    const members = new Map();
    for (const item of items) {
      if (item.group === "nodes") {
        nodes.push({ group: "nodes", data: { id: item.data.id, size: item.data.size } });
        continue;
      }
      for (const evidence of item.data.evidence) {
        if (!members.has(evidence.edition)) members.set(evidence.edition, new Set());
        members.get(evidence.edition).add(item.data.source).add(item.data.target);
      }
    }
    const edges = [];
    for (const [edition, people] of members) {
      const hub = "edition " + edition;
      nodes.push({ group: "nodes", data: { id: hub, size: 4 } });
      for (const person of people) edges.push({ group: "edges", data: { id: `h${edges.length}`, source: hub, target: person } });
    }
    return nodes.concat(edges);
  }

  function layoutInWorker(items, count) {
    const scripts = ["cytoscape.min.js", "layout-base.js", "cose-base.js", "cytoscape-fcose.js"]
      .map((name) => document.querySelector(`script[src$="/${name}"]`).src);
    return new Promise((resolve, reject) => {
      const worker = new Worker(SELF);
      worker.onmessage = (event) => {
        worker.terminate();
        resolve(event.data);
      };
      worker.onerror = (event) => {
        worker.terminate();
        reject(new Error(event.message || "the layout worker failed"));
      };
      worker.postMessage({ scripts, elements: hubGraph(items), options: layoutOptions(count) });
    });
  }

  async function load() {
    const run = ++loading;
    state.ready = false;
    state.error = null;
    hideTip();
    status("Loading the network…");
    const query = params();
    gexfLink.setAttribute("href", gexfLink.getAttribute("href").split("?")[0] + (query.toString() ? "?" + query : ""));
    history.replaceState(null, "", query.toString() ? "?" + query : location.pathname);

    const timings = {};
    let t0 = performance.now();
    let data;
    try {
      const response = await fetch(API + (query.toString() ? "?" + query : ""), { headers: { Accept: "application/json" } });
      data = await response.json();
      if (!response.ok) throw new Error(data.error || response.statusText);
    } catch (error) {
      if (run !== loading) return;
      state.error = String(error.message || error);
      status("The network could not be loaded: " + state.error);
      state.ready = true;
      return;
    }
    if (run !== loading) return; // a newer request replaced this one
    timings.fetch_ms = ms(t0);

    if (state.cy) state.cy.destroy();
    state.cy = null;
    t0 = performance.now();
    fillTable(data.nodes); // the table and the names to search are there before the picture
    timings.table_ms = ms(t0);

    const large = data.nodes.length >= LARGE;
    const items = elements(data);
    let inWorker = data.edges.length >= IN_WORKER && typeof Worker !== "undefined";
    t0 = performance.now();
    if (inWorker) {
      status(`Laying out ${data.nodes.length} nodes and ${data.edges.length} ties…`);
      try {
        const placed = await layoutInWorker(items, data.nodes.length);
        if (run !== loading) return;
        for (const item of items) if (item.group === "nodes") item.position = placed.positions[item.data.id];
        timings.worker_ms = placed.ms;
        timings.layout_ms = ms(t0);
      } catch (error) {
        inWorker = false; // lay out in the page instead
      }
    }

    t0 = performance.now();
    const cy = cytoscape({
      container, elements: items, style: style(large), layout: { name: inWorker ? "preset" : "grid" },
      minZoom: 0.05, maxZoom: 5, boxSelectionEnabled: false, autoungrabify: large,
      hideEdgesOnViewport: large, textureOnViewport: large, pixelRatio: large ? 1 : "auto", // large: pan and zoom a bitmap
    });
    state.cy = cy;
    timings.build_ms = ms(t0);

    if (!inWorker) {
      t0 = performance.now();
      if (data.nodes.length) cy.layout(layoutOptions(data.nodes.length)).run(); // synchronous: animate is off
      timings.layout_ms = ms(t0);
    }
    cy.fit(undefined, 24);
    if (cy.zoom() > 1.25) {
      cy.zoom(1.25); // a small network stays at a readable size rather than filling the box
      cy.center();
    }

    t0 = performance.now();
    const rendered = new Promise((resolve) => cy.one("render", resolve));
    cy.forceRender();
    await Promise.race([rendered, new Promise((resolve) => setTimeout(resolve, 2000))]);
    await nextFrame();
    timings.paint_ms = ms(t0);
    timings.render_ms = timings.build_ms + timings.paint_ms;
    timings.nodes = data.nodes.length;
    timings.edges = data.edges.length;

    bindEvents(cy);
    state.timings = timings;
    status(`${data.counts.nodes} ${data.graph === "organisations" ? "organisations" : "people"} and ` +
           `${data.counts.edges} ties shown` + (data.nodes.length ? "." : ": no one matches these filters."));
    state.ready = true;
  }

  function fillTable(nodes) {
    const sorted = nodes.slice().sort((a, b) => b.degree - a.degree || a.label.localeCompare(b.label));
    const rows = document.createDocumentFragment();
    const options = document.createDocumentFragment();
    for (const n of sorted) {
      rows.append(el("tr", {}, el("td", {}, link(n.url, n.label)), el("td", { class: "side" }, n.side),
                     el("td", {}, n.sector || "not stated"), el("td", { class: "number" }, String(n.degree))));
    }
    for (const label of sorted.map((n) => n.label).sort((a, b) => a.localeCompare(b))) {
      options.append(el("option", { value: label }));
    }
    tbody.replaceChildren(rows);
    names.replaceChildren(options);
    document.getElementById("table-count").textContent = String(nodes.length);
  }

  // ---- evidence of a tie ----
  function roleText(roles, affiliation) {
    return roles.join(", ") + (affiliation ? ` (${affiliation})` : "");
  }

  function evidenceList(edge, withLinks) {
    const source = edge.source().data("label");
    const target = edge.target().data("label");
    const list = el("ul", { class: "evidence" });
    for (const e of edge.data("evidence")) {
      const item = el("li", {},
        el("strong", {}, (e.date || "undated") + " · "),
        withLinks ? link(e.url, e.name) : e.name,
        el("br"), `${source}: ${roleText(e.roles.source, e.affiliations.source)}`,
        el("br"), `${target}: ${roleText(e.roles.target, e.affiliations.target)}`);
      if (withLinks && e.sources.length) {
        item.append(el("br"), "Source: ");
        e.sources.forEach((s, i) => item.append(i ? ", " : "", link(s, s)));
      }
      list.append(item);
    }
    return list;
  }

  function edgeHeading(edge) {
    const count = edge.data("weight");
    return `${edge.source().data("label")} — ${edge.target().data("label")}: ${count} edition${count === 1 ? "" : "s"}`;
  }

  function showTip(edge, position) {
    tip.replaceChildren(el("p", { class: "tip-title" }, edgeHeading(edge)), evidenceList(edge, false));
    tip.hidden = false;
    const box = container.getBoundingClientRect();
    const left = Math.min(Math.max(4, position.x + 12), Math.max(4, box.width - tip.offsetWidth - 4));
    const top = position.y + 12 + tip.offsetHeight > box.height ? Math.max(4, position.y - tip.offsetHeight - 12) : position.y + 12;
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function hideTip() {
    tip.hidden = true;
  }

  function showEdge(edge) {
    detail.replaceChildren(el("h2", {}, edgeHeading(edge)), evidenceList(edge, true));
  }

  function showNode(node) {
    const d = node.data();
    const ties = node.connectedEdges().sort((a, b) => b.data("weight") - a.data("weight"));
    const list = el("ul", { class: "ties" });
    ties.slice(0, 50).forEach((edge) => {
      const other = edge.source().same(node) ? edge.target() : edge.source();
      const editions = edge.data("evidence").map((e) => `${e.name} (${e.date || "undated"})`).join("; ");
      list.append(el("li", {}, link(other.data("url"), other.data("label")), ": " + editions));
    });
    detail.replaceChildren(
      el("h2", {}, link(d.url, d.label)),
      el("p", {}, [d.side, d.sector, d.organisation, d.years.length ? `${d.years[0]}–${d.years[d.years.length - 1]}` : null]
        .filter(Boolean).join(" · ") + ` · ${d.degree} ties`),
      list,
      ties.length > 50 ? el("p", {}, `and ${ties.length - 50} more ties.`) : null);
  }

  function bindEvents(cy) {
    cy.on("tap", "node", (event) => window.location.assign(event.target.data("url")));
    cy.on("mouseover", "node", (event) => {
      event.target.addClass("hovered");
      container.style.cursor = "pointer";
    });
    cy.on("mouseout", "node", (event) => {
      event.target.removeClass("hovered");
      container.style.cursor = "";
    });
    cy.on("mouseover", "edge", (event) => {
      event.target.addClass("hovered");
      state.hoveredEdge = event.target.id();
      showTip(event.target, event.renderedPosition);
      showEdge(event.target);
    });
    cy.on("mouseout", "edge", (event) => {
      event.target.removeClass("hovered");
      hideTip();
    });
    cy.on("tap", "edge", (event) => showEdge(event.target)); // touch screens have no hover
    cy.on("tap", (event) => {
      if (event.target === cy) hideTip();
    });
  }

  // ---- search and path ----
  function findNode(text) {
    const cy = state.cy;
    const wanted = text.trim().toLowerCase();
    if (!cy || !wanted) return null;
    const nodes = cy.nodes();
    return nodes.filter((n) => n.data("label").toLowerCase() === wanted)[0] ||
           nodes.filter((n) => n.data("label").toLowerCase().includes(wanted))[0] || null;
  }

  // A name no label contains (a typo, "Manber" alone) is read as the command line reads it: /search puts the
  // person or organisation the name resolver finds first, with what it assumed.
  async function resolveShown(text) {
    const response = await fetch(`/search.json?q=${encodeURIComponent(text)}`, { headers: { Accept: "application/json" } });
    const results = response.ok ? (await response.json()).results : [];
    const meant = results.find((r) => r.iri && state.cy.getElementById(r.iri).nonempty());
    return meant ? { node: state.cy.getElementById(meant.iri), note: meant.note } : { node: null, note: null };
  }

  async function search() {
    const text = document.getElementById("search").value;
    let node = findNode(text);
    let note = null;
    if (!node && state.cy && text.trim()) ({ node, note } = await resolveShown(text.trim()).catch(() => ({ node: null })));
    if (!node) {
      status(`No one shown is named “${text}”.`);
      return;
    }
    state.cy.elements().removeClass("found");
    node.addClass("found");
    const cy = state.cy;
    cy.zoom(Math.max(cy.zoom(), 1.2));
    const p = node.position(); // the node itself in the middle (cy.center would count its label in)
    cy.pan({ x: cy.width() / 2 - p.x * cy.zoom(), y: cy.height() / 2 - p.y * cy.zoom() });
    showNode(node);
    status(`Found ${node.data("label")}${note ? ` (${note})` : ""}: centred and outlined in the network; its ties are ` +
           "listed below it.");
  }

  function clearPath() {
    if (state.cy) state.cy.elements().removeClass("path faded");
    state.path = null;
  }

  function showPath() {
    const a = findNode(document.getElementById("path-a").value);
    const b = findNode(document.getElementById("path-b").value);
    if (!a || !b) {
      status("Choose two names from the list to see the path between them.");
      return;
    }
    clearPath();
    const result = state.cy.elements().aStar({ root: a, goal: b, directed: false });
    if (!result.found) {
      status(`${a.data("label")} and ${b.data("label")} are not connected in what is shown.`);
      detail.replaceChildren();
      return;
    }
    state.cy.elements().addClass("faded");
    result.path.removeClass("faded").addClass("path");
    state.cy.fit(result.path, 60);
    const hops = el("ol", { class: "hops" });
    const path = [];
    result.path.edges().forEach((edge, i) => {
      const from = result.path.nodes()[i];
      const to = result.path.nodes()[i + 1];
      path.push({ from: from.data("label"), to: to.data("label"), editions: edge.data("evidence").map((e) => e.name) });
      const editions = el("span", {});
      edge.data("evidence").forEach((e, j) => editions.append(j ? "; " : "", link(e.url, e.name), ` (${e.date || "undated"})`));
      hops.append(el("li", {}, link(from.data("url"), from.data("label")), " — ",
                     link(to.data("url"), to.data("label")), ": ", editions));
    });
    state.path = { hops: result.distance, steps: path };
    detail.replaceChildren(el("h2", {}, `Path from ${a.data("label")} to ${b.data("label")}: ${result.distance} ` +
                                        `hop${result.distance === 1 ? "" : "s"}`), hops);
    status(`Shortest path: ${result.path.nodes().map((n) => n.data("label")).join(" — ")}.`);
  }

  // ---- downloads ----
  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function fileName(extension) {
    const parts = [...params().values()].map((v) => v.split("/").pop());
    return ["spacegraph-network", ...parts].join("-").replace(/[^\w.-]+/g, "-") + "." + extension;
  }

  // ---- wiring ----
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  form.addEventListener("reset", () => setTimeout(load));
  for (const name of FILTERS) form.elements[name].addEventListener("change", load);
  function onEnter(id, action) {
    document.getElementById(id).addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        action();
      }
    });
  }
  document.getElementById("search-go").addEventListener("click", search);
  onEnter("search", search);
  document.getElementById("path-go").addEventListener("click", showPath);
  onEnter("path-a", showPath);
  onEnter("path-b", showPath);
  document.getElementById("path-clear").addEventListener("click", () => {
    clearPath();
    detail.replaceChildren();
    status("Path cleared.");
  });
  document.getElementById("download-png").addEventListener("click", () => {
    if (state.cy) save(state.cy.png({ output: "blob", full: true, scale: 2, maxWidth: 4000, bg: "#ffffff" }), fileName("png"));
  });
  document.getElementById("download-svg").addEventListener("click", () => {
    if (state.cy) save(new Blob([toSvg(state.cy)], { type: "image/svg+xml" }), fileName("svg"));
  });

  // The drawing as SVG: each tie a line, each node a circle of its colour and size, with its label where it shows
  // one. Written here rather than with cytoscape-svg, which is GPL-3.0 (this project is MIT).
  function toSvg(cy) {
    const box = cy.elements().boundingBox({ includeLabels: true });
    const pad = 20;
    const esc = (text) => String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
    const parts = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(box.w + 2 * pad)}" height="${Math.ceil(box.h + 2 * pad)}" ` +
        `viewBox="${box.x1 - pad} ${box.y1 - pad} ${box.w + 2 * pad} ${box.h + 2 * pad}">`,
      `<rect x="${box.x1 - pad}" y="${box.y1 - pad}" width="${box.w + 2 * pad}" height="${box.h + 2 * pad}" fill="#ffffff"/>`,
    ];
    cy.edges(":visible").forEach((edge) => {
      const a = edge.source().position(), b = edge.target().position();
      parts.push(`<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke="${edge.style("line-color")}" ` +
        `stroke-width="${parseFloat(edge.style("width"))}" stroke-opacity="${edge.style("opacity")}"/>`);
    });
    cy.nodes(":visible").forEach((node) => {
      const p = node.position();
      const r = node.width() / 2;
      parts.push(`<circle cx="${p.x}" cy="${p.y}" r="${r}" fill="${node.style("background-color")}" ` +
        `stroke="${node.style("border-color")}" stroke-width="${parseFloat(node.style("border-width"))}"><title>${esc(node.data("label"))}</title></circle>`);
      const label = node.style("label");
      if (label) parts.push(`<text x="${p.x}" y="${p.y + r + 12}" font-family="sans-serif" font-size="11" text-anchor="middle" fill="#1b1f24">${esc(label)}</text>`);
    });
    parts.push("</svg>");
    return parts.join("\n");
  }

  setControls(new URLSearchParams(location.search));
  load();
})();
