/* The network view: the part of the network /api/network chooses and lays out (never the whole of a large one), drawn
   with sigma.js on graphology (WebGL, both from the npm registry, served from /vendor/). Filters refetch; a click
   shows a node's ties and brings in its neighbours (/api/network?focus=…); a tie's evidence comes from
   /api/network/tie when it is hovered or tapped; search, path and downloads work on what is shown.
   For tests and measurements: window.spacegraphNetwork = {graph, renderer, ready, timings, error, found, path, …}. */
(function () {
  "use strict";

  const script = document.currentScript;
  const API = script.dataset.api;
  const TIE = script.dataset.tie;
  const SHAPE_DIR = script.dataset.shapes;
  const FILTERS = ["graph", "from", "to", "edition", "series", "side", "sector", "topic", "nodes", "ties", "rank", "focus"];
  const SIDES = {
    "U.S.": { colour: "#0072b2", shape: "circle" },
    China: { colour: "#d55e00", shape: "square" },
    other: { colour: "#009e73", shape: "diamond" },
    unknown: { colour: "#8c8c8c", shape: "circle" },
  };
  // Okabe–Ito and Tol's colours: told apart by most colour-blind readers; the rest grey
  const PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#882255", "#44aa99", "#999933",
                   "#332288"];
  const OTHERS = "#b0b0b0";
  const EDGE = "#c3cad2";
  const TABLE_ROWS = 300;

  const form = document.getElementById("network-filters");
  const container = document.getElementById("graph");
  const tip = document.getElementById("edge-tip");
  const detail = document.getElementById("network-detail");
  const statusLine = document.getElementById("network-status");
  const shownLine = document.getElementById("network-shown");
  const focusLine = document.getElementById("network-focus");
  const legend = document.getElementById("legend");
  const tbody = document.querySelector("#network-table tbody");
  const names = document.getElementById("node-names");
  const gexfLink = document.getElementById("download-gexf");
  const colourBy = document.getElementById("colour-by");
  const sizeBy = document.getElementById("size-by");

  const state = (window.spacegraphNetwork = {
    graph: null, renderer: null, ready: false, timings: {}, error: null, data: null,
    found: null, path: null, hovered: null, hoveredEdge: null, expanded: [],
  });
  const ties = new Map(); // evidence fetched, by tie
  let loading = 0;

  // ---- small DOM helpers: text only, never HTML from the data ----
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
    return node;
  }
  // only web and local addresses become links (the data could name a javascript: address)
  const link = (href, text) => (/^(https?:\/\/|\/)/.test(href || "") ? el("a", { href }, text) : el("span", {}, text));
  const ms = (t0) => Math.round(performance.now() - t0);
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const plural = (n, word) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

  function status(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle("error", Boolean(isError));
    statusLine.setAttribute("role", isError ? "alert" : "status");
  }

  // ---- filters ----
  function params() {
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      const value = form.elements[name].value.trim();
      if (value && !(name === "graph" && value === "people") && !(name === "rank" && value === "ties")) query.set(name, value);
    }
    return query;
  }

  function setControls(query) {
    for (const name of FILTERS) {
      form.elements[name].value = query.get(name) || ({ graph: "people", rank: "ties" }[name] || "");
    }
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      throw new Error(`${response.status} ${response.statusText}: the server's answer is not JSON`);
    }
    if (!response.ok) throw new Error(body.message || body.error || response.statusText);
    return body;
  }

  // ---- colour, size, shape ----
  function keyOf(node, by) {
    if (by === "side") return node.side;
    if (by === "sector") return node.sector || "sector not stated";
    return node.community;
  }

  function colours(nodes, by) {
    if (by === "side") return new Map(Object.entries(SIDES).map(([side, s]) => [side, s.colour]));
    const counts = new Map();
    for (const n of nodes) counts.set(keyOf(n, by), (counts.get(keyOf(n, by)) || 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
    return new Map(ranked.map(([key], i) => [key, i < PALETTE.length ? PALETTE[i] : OTHERS]));
  }

  function sizeOf(value, most) {
    return 3 + 12 * Math.sqrt(value / Math.max(1, most));
  }

  function restyle() {
    const graph = state.graph;
    if (!graph) return;
    const nodes = graph.mapNodes((_, a) => a.data);
    const by = colourBy.value;
    const palette = colours(nodes, by);
    const measure = (d) => (sizeBy.value === "shown" ? graph.degree(d.id) : d[sizeBy.value] || 0);
    const most = Math.max(1, ...nodes.map(measure));
    graph.forEachNode((id, a) => {
      graph.mergeNodeAttributes(id, { color: palette.get(keyOf(a.data, by)) || OTHERS, size: sizeOf(measure(a.data), most) });
    });
    drawLegend(palette, by);
    if (state.renderer) state.renderer.refresh();
  }

  function drawLegend(palette, by) {
    const items = [];
    if (by === "side") {
      for (const [side, s] of Object.entries(SIDES)) {
        items.push(el("li", {}, el("span", { class: `swatch shape-${s.shape}`, "data-colour": s.colour, "aria-hidden": "true" }),
                      side === "unknown" ? "side not stated" : side));
      }
    } else {
      let shown = 0;
      for (const [key, colour] of palette) {
        if (colour === OTHERS || shown++ >= PALETTE.length) break;
        items.push(el("li", {}, el("span", { class: "swatch", "data-colour": colour, "aria-hidden": "true" }),
                      by === "community" ? `community ${Number(key) + 1}` : String(key)));
      }
      if (palette.size > PALETTE.length) items.push(el("li", {}, el("span", { class: "swatch", "data-colour": OTHERS, "aria-hidden": "true" }), "others"));
      items.push(el("li", { class: "legend-note" }, "shape: side (circle U.S., square China, diamond other)"));
    }
    items.push(el("li", { class: "legend-note" }, "line: editions shared"));
    legend.replaceChildren(...items);
    // colours through the CSSOM, not style="" (the Content-Security-Policy allows no inline styles)
    legend.querySelectorAll("[data-colour]").forEach((swatch) => (swatch.style.backgroundColor = swatch.dataset.colour));
  }

  // ---- the graph ----
  function addNode(graph, n, position) {
    if (graph.hasNode(n.id)) return false;
    const side = SIDES[n.side] ? n.side : "unknown";
    graph.addNode(n.id, {
      x: position ? position.x : n.x, y: position ? position.y : n.y, label: n.label, size: 4, color: OTHERS,
      type: "shape", image: SHAPE_DIR + SIDES[side].shape + ".svg", data: n,
    });
    return true;
  }

  function addEdge(graph, a, b, weight, most) {
    if (a === b || graph.hasEdge(a, b)) return;
    graph.addUndirectedEdge(a, b, { weight, size: 0.5 + 2.5 * Math.sqrt((weight - 1) / Math.max(1, most - 1)), color: EDGE });
  }

  function buildGraph(data) {
    const graph = new graphology.UndirectedGraph();
    for (const n of data.nodes) addNode(graph, n);
    const most = Math.max(1, ...data.edges.map((e) => e[2]));
    for (const [i, j, weight] of data.edges) addEdge(graph, data.nodes[i].id, data.nodes[j].id, weight, most);
    return graph;
  }

  function reducers() {
    const hovered = () => state.hovered;
    return {
      nodeReducer(id, attributes) {
        const result = { ...attributes };
        const near = hovered();
        if (state.found === id) Object.assign(result, { highlighted: true, forceLabel: true, zIndex: 3 });
        if (state.path && state.path.nodes.has(id)) Object.assign(result, { forceLabel: true, zIndex: 2, highlighted: true });
        else if (state.path) Object.assign(result, { color: "#e4e7eb", label: "" });
        if (near && near !== id && !state.graph.areNeighbors(near, id) && !state.path) Object.assign(result, { color: "#e4e7eb", label: "" });
        if (near === id) Object.assign(result, { forceLabel: true, highlighted: true });
        return result;
      },
      edgeReducer(edge, attributes) {
        const result = { ...attributes };
        const near = hovered();
        if (state.path) {
          if (state.path.edges.has(edge)) Object.assign(result, { color: "#b8860b", size: 4, zIndex: 2 });
          else result.hidden = true;
        } else if (near && !state.graph.hasExtremity(edge, near)) result.hidden = true;
        else if (near) result.color = "#6e7781";
        if (edge === state.hoveredEdge) Object.assign(result, { color: "#1b1f24", zIndex: 3 });
        return result;
      },
    };
  }

  let shapesLoaded = null;
  function loadShapes() { // before the first picture: sigma then finds them in the browser's cache
    shapesLoaded = shapesLoaded || Promise.all(["circle", "square", "diamond"].map((shape) => {
      const image = new Image();
      image.src = SHAPE_DIR + shape + ".svg";
      return image.decode().catch(() => null);
    }));
    return shapesLoaded;
  }

  function draw(graph) {
    // the shapes drawn as soon as their images are in (not after sigma's default 500 ms wait), at one small size
    const shapes = Sigma.rendering.createNodeImageProgram({ drawingMode: "color", keepWithinCircle: false, padding: 0,
                                                            debounceTimeout: null, size: { mode: "force", value: 64 } });
    const renderer = new Sigma(graph, container, {
      nodeProgramClasses: { shape: shapes }, enableEdgeEvents: true, zIndex: true, labelFont: "system-ui, sans-serif",
      labelSize: 12, labelWeight: "500", labelDensity: 0.6, labelRenderedSizeThreshold: 7, defaultEdgeColor: EDGE,
      minCameraRatio: 0.02, maxCameraRatio: 4, ...reducers(),
    });
    bindEvents(renderer);
    return renderer;
  }

  async function load() {
    const run = ++loading;
    state.ready = false;
    state.error = null;
    state.found = null;
    state.path = null; // a path belongs to the network it was found in
    state.hovered = null;
    state.hoveredEdge = null;
    state.expanded = [];
    ties.clear();
    hideTip();
    detail.replaceChildren();
    const query = params();
    const suffix = query.toString() ? "?" + query : "";
    status("Loading the network…");
    gexfLink.setAttribute("href", gexfLink.getAttribute("href").split("?")[0] + suffix);
    history.replaceState(null, "", suffix || location.pathname);

    const timings = {};
    let t0 = performance.now();
    let data;
    try {
      data = await getJson(API + suffix);
    } catch (error) {
      if (run !== loading) return;
      fail("The network could not be loaded: " + (error.message || error));
      return;
    }
    if (run !== loading) return; // a newer request replaced this one
    timings.fetch_ms = ms(t0);
    status(`Drawing ${plural(data.nodes.length, "node")} and ${plural(data.edges.length, "tie")}…`);
    await loadShapes();
    await nextFrame();
    try {
      t0 = performance.now();
      if (state.renderer) state.renderer.kill();
      state.renderer = null;
      state.data = data;
      state.graph = buildGraph(data);
      restyle();
      timings.build_ms = ms(t0);
      t0 = performance.now();
      state.renderer = draw(state.graph);
      await nextFrame();
      await nextFrame(); // the shapes' texture, made when sigma has loaded them, is in this frame
      timings.render_ms = ms(t0);
    } catch (error) {
      fail("The network could not be drawn: " + (error.message || error));
      return;
    }
    timings.nodes = data.nodes.length;
    timings.edges = data.edges.length;
    timings.ready_ms = Math.round(performance.now()); // since the page was asked for: the first picture
    fillTable();
    shownLine.textContent = data.shown + (data.note ? " " + data.note : "");
    showFocus(data);
    state.timings = timings;
    const kind = data.graph === "organisations" ? "organisations" : "people";
    status(data.nodes.length ? `${plural(data.nodes.length, "node")} and ${plural(data.edges.length, "tie")} shown.`
                             : `No ${kind} match these filters.`);
    state.ready = true;
  }

  function fail(message) {
    state.error = message;
    status(message, true);
    state.ready = true;
  }

  function showFocus(data) {
    const focus = data.filters.focus;
    focusLine.hidden = !focus;
    if (!focus) return;
    const button = el("button", { type: "button" }, "Show the whole network again");
    button.addEventListener("click", () => {
      form.elements.focus.value = "";
      load();
    });
    focusLine.replaceChildren(button);
  }

  function fillTable() {
    const graph = state.graph;
    const nodes = graph.mapNodes((_, a) => a.data).sort((a, b) => b.degree - a.degree || a.label.localeCompare(b.label));
    const rows = document.createDocumentFragment();
    for (const n of nodes.slice(0, TABLE_ROWS)) {
      rows.append(el("tr", {}, el("td", {}, link(n.url, n.label)), el("td", { class: "side" }, n.side),
                     el("td", {}, n.sector || "not stated"), el("td", { class: "number" }, String(n.degree))));
    }
    tbody.replaceChildren(rows);
    const options = document.createDocumentFragment();
    for (const label of nodes.map((n) => n.label).sort((a, b) => a.localeCompare(b))) options.append(el("option", { value: label }));
    names.replaceChildren(options);
    document.getElementById("table-count").textContent = String(nodes.length);
    document.getElementById("table-cut").textContent = nodes.length > TABLE_ROWS ? `; the first ${TABLE_ROWS} listed` : "";
  }

  // ---- evidence of a tie, fetched when it is wanted ----
  function tieUrl(a, b) {
    const query = params();
    for (const name of ["nodes", "ties", "rank", "focus"]) query.delete(name);
    query.set("a", a);
    query.set("b", b);
    return `${TIE}?${query}`;
  }

  function evidenceOf(edge) {
    const [a, b] = state.graph.extremities(edge);
    if (!ties.has(edge)) ties.set(edge, getJson(tieUrl(a, b)));
    return ties.get(edge);
  }

  function roleText(roles, affiliation) {
    return roles.join(", ") + (affiliation ? ` (${affiliation})` : "");
  }

  function evidenceList(tie, withLinks) {
    const list = el("ul", { class: "evidence" });
    for (const e of tie.evidence) {
      const item = el("li", {}, el("strong", {}, (e.date || "undated") + " · "), withLinks ? link(e.url, e.name) : e.name,
        el("br"), `${tie.source.label}: ${roleText(e.roles.source, e.affiliations.source)}`,
        el("br"), `${tie.target.label}: ${roleText(e.roles.target, e.affiliations.target)}`);
      if (withLinks && e.sources.length) {
        item.append(el("br"), "Source: ");
        e.sources.forEach((s, i) => item.append(i ? ", " : "", link(s, s)));
      }
      list.append(item);
    }
    return list;
  }

  const tieHeading = (tie) => `${tie.source.label} — ${tie.target.label}: ${plural(tie.weight, "edition")}`;

  async function showTip(edge, x, y) {
    const tie = await evidenceOf(edge).catch(() => null);
    if (!tie || state.hoveredEdge !== edge) return;
    tip.replaceChildren(el("p", { class: "tip-title" }, tieHeading(tie)), evidenceList(tie, false));
    tip.hidden = false;
    const box = container.getBoundingClientRect();
    tip.style.left = Math.min(Math.max(4, x + 12), Math.max(4, box.width - tip.offsetWidth - 4)) + "px";
    tip.style.top = (y + 12 + tip.offsetHeight > box.height ? Math.max(4, y - tip.offsetHeight - 12) : y + 12) + "px";
  }

  function hideTip() {
    tip.hidden = true;
  }

  async function showEdge(edge) {
    try {
      const tie = await evidenceOf(edge);
      detail.replaceChildren(el("h2", {}, tieHeading(tie)), evidenceList(tie, true));
    } catch (error) {
      detail.replaceChildren(el("p", { class: "error" }, "The evidence of this tie could not be loaded: " + error.message));
    }
  }

  function showNode(id) {
    const graph = state.graph;
    const d = graph.getNodeAttribute(id, "data");
    const facts = [d.side === "unknown" ? "side not stated" : d.side, d.sector, d.organisation,
                   d.years.length ? `${d.years[0]}–${d.years[1]}` : null, plural(d.degree, "tie"),
                   d.editions ? plural(d.editions, "edition") : null].filter(Boolean);
    const neighbours = graph.mapEdges(id, (edge, a, source, target) => ({ other: source === id ? target : source, weight: a.weight }))
      .sort((a, b) => b.weight - a.weight);
    const list = el("ul", { class: "ties" });
    for (const { other, weight } of neighbours.slice(0, 50)) {
      const o = graph.getNodeAttribute(other, "data");
      list.append(el("li", {}, link(o.url, o.label), `: ${plural(weight, "edition")} shared`));
    }
    const focus = el("a", { href: "?" + new URLSearchParams({ ...Object.fromEntries(params()), focus: id }) }, "the network around " + d.label);
    // replaceChildren writes a null as the text "null": only the parts there are
    detail.replaceChildren(...[el("h2", {}, link(d.url, d.label)), el("p", {}, facts.join(" · ")),
      el("p", {}, "Open ", focus, "; its page has everything recorded about it."),
      neighbours.length ? list : el("p", {}, "No tie shown."),
      neighbours.length > 50 ? el("p", {}, `and ${plural(neighbours.length - 50, "more tie")} shown.`) : null].filter(Boolean));
  }

  // A click brings in the node's neighbours (its ego network under the same filters), placed around it.
  async function expand(id) {
    const graph = state.graph;
    const query = params();
    query.set("focus", id);
    query.set("nodes", "200");
    query.delete("ties");
    status(`Bringing in the neighbours of ${graph.getNodeAttribute(id, "label")}…`);
    let data;
    try {
      data = await getJson(`${API}?${query}`);
    } catch (error) {
      status("The neighbours could not be loaded: " + error.message, true);
      return;
    }
    if (graph !== state.graph) return;
    const centre = graph.getNodeAttributes(id);
    const spread = 0.08;
    let added = 0;
    data.nodes.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, data.nodes.length);
      if (addNode(graph, n, { x: centre.x + spread * Math.cos(angle), y: centre.y + spread * Math.sin(angle) })) added++;
    });
    const most = Math.max(1, ...data.edges.map((e) => e[2]));
    for (const [i, j, weight] of data.edges) addEdge(graph, data.nodes[i].id, data.nodes[j].id, weight, most);
    state.expanded.push(id);
    restyle();
    fillTable();
    showNode(id);
    status(`${centre.label}: ${plural(added, "neighbour")} added (${plural(data.counts.total_nodes - 1, "neighbour")} in all).`);
  }

  function bindEvents(renderer) {
    renderer.on("clickNode", ({ node }) => expand(node));
    renderer.on("enterNode", ({ node }) => {
      state.hovered = node;
      container.style.cursor = "pointer";
      renderer.refresh({ skipIndexation: true });
    });
    renderer.on("leaveNode", () => {
      state.hovered = null;
      container.style.cursor = "";
      renderer.refresh({ skipIndexation: true });
    });
    renderer.on("enterEdge", ({ edge, event }) => {
      state.hoveredEdge = edge;
      renderer.refresh({ skipIndexation: true });
      showTip(edge, event.x, event.y);
      showEdge(edge);
    });
    renderer.on("leaveEdge", () => {
      state.hoveredEdge = null;
      renderer.refresh({ skipIndexation: true });
      hideTip();
    });
    renderer.on("clickEdge", ({ edge }) => showEdge(edge)); // touch screens have no hover
    renderer.on("clickStage", hideTip);
  }

  // ---- search and path ----
  function findNode(text) {
    const wanted = text.trim().toLowerCase();
    if (!state.graph || !wanted) return null;
    const labels = state.graph.mapNodes((id, a) => [id, a.label.toLowerCase()]);
    const hit = labels.find(([, label]) => label === wanted) || labels.find(([, label]) => label.includes(wanted));
    return hit ? hit[0] : null;
  }

  // A name no label shown contains is read as the command line reads it (the name resolver behind /search); someone
  // found who is not shown opens the network around them.
  async function resolve(text) {
    const results = (await getJson(`/search.json?q=${encodeURIComponent(text)}`)).results || [];
    return results.find((r) => r.iri) || null;
  }

  function centreOn(id) {
    const renderer = state.renderer;
    const position = renderer.getNodeDisplayData(id);
    const camera = renderer.getCamera(); // set at once (an animation, even of 0 ms, ends a frame later)
    camera.setState({ x: position.x, y: position.y, ratio: Math.min(camera.ratio, 0.35) });
  }

  async function search() {
    const text = document.getElementById("search").value;
    if (!text.trim()) return;
    let id = findNode(text);
    let note = null;
    if (!id) {
      const meant = await resolve(text.trim()).catch(() => null);
      if (meant && state.graph.hasNode(meant.iri)) ({ iri: id, note } = meant);
      else if (meant) {
        form.elements.focus.value = meant.iri;
        await load();
        if (state.graph && state.graph.hasNode(meant.iri)) {
          state.found = meant.iri;
          showNode(meant.iri);
          status(`${meant.label || meant.name || text} was not shown: here is the network around them.`);
        }
        return;
      }
    }
    if (!id) {
      status(`No one is named “${text}”.`);
      return;
    }
    state.found = id;
    centreOn(id);
    state.renderer.refresh({ skipIndexation: true });
    showNode(id);
    const label = state.graph.getNodeAttribute(id, "label");
    status(`Found ${label}${note ? ` (${note})` : ""}: centred and outlined in the network; its ties are listed below it.`);
  }

  function shortestPath(from, to) {
    const previous = new Map([[from, null]]);
    const queue = [from];
    while (queue.length) {
      const node = queue.shift();
      if (node === to) break;
      state.graph.forEachNeighbor(node, (other) => {
        if (!previous.has(other)) {
          previous.set(other, node);
          queue.push(other);
        }
      });
    }
    if (!previous.has(to)) return null;
    const nodes = [to];
    while (previous.get(nodes[0]) !== null) nodes.unshift(previous.get(nodes[0]));
    return nodes;
  }

  function clearPath() {
    state.path = null;
    if (state.renderer) state.renderer.refresh({ skipIndexation: true });
  }

  function showPath() {
    const a = findNode(document.getElementById("path-a").value);
    const b = findNode(document.getElementById("path-b").value);
    if (!a || !b) {
      status("Choose two names from the list to see the path between them.");
      return;
    }
    clearPath();
    const nodes = shortestPath(a, b);
    const label = (id) => state.graph.getNodeAttribute(id, "label");
    if (!nodes) {
      status(`${label(a)} and ${label(b)} are not connected in what is shown.`);
      detail.replaceChildren();
      return;
    }
    const edges = nodes.slice(1).map((node, i) => state.graph.edge(nodes[i], node));
    state.path = { nodes: new Set(nodes), edges: new Set(edges), hops: edges.length, steps: nodes.map(label) };
    state.renderer.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }); // the whole picture: the path in it
    state.renderer.refresh({ skipIndexation: true });
    const hops = el("ol", { class: "hops" });
    nodes.slice(1).forEach((node, i) => {
      const from = state.graph.getNodeAttribute(nodes[i], "data");
      const to = state.graph.getNodeAttribute(node, "data");
      hops.append(el("li", {}, link(from.url, from.label), " — ", link(to.url, to.label), `: ${plural(state.graph.getEdgeAttribute(edges[i], "weight"), "edition")} shared`));
    });
    detail.replaceChildren(el("h2", {}, `Path from ${label(a)} to ${label(b)}: ${plural(edges.length, "hop")}`), hops);
    status(`Shortest path: ${nodes.map(label).join(" — ")}.`);
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

  function toPng() {
    const renderer = state.renderer;
    renderer.refresh(); // drawn now, so the WebGL layers still hold the picture when they are copied
    const { width, height } = renderer.getDimensions();
    const ratio = window.devicePixelRatio || 1;
    const canvas = el("canvas", { width: width * ratio, height: height * ratio });
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    for (const layer of Object.values(renderer.getCanvases())) context.drawImage(layer, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  }

  // The drawing as SVG: each tie a line, each node its side's shape (circle, square, diamond) in its colour and
  // size, with its name as a tooltip and, for the larger ones, as a label.
  function toSvg() {
    const renderer = state.renderer;
    const graph = state.graph;
    const { width, height } = renderer.getDimensions();
    const esc = (text) => String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
    const at = (id) => renderer.graphToViewport(graph.getNodeAttributes(id));
    const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
                   `<rect width="${width}" height="${height}" fill="#ffffff"/>`];
    graph.forEachEdge((edge, a, source, target) => {
      const p = at(source), q = at(target);
      parts.push(`<line x1="${p.x.toFixed(1)}" y1="${p.y.toFixed(1)}" x2="${q.x.toFixed(1)}" y2="${q.y.toFixed(1)}" stroke="${a.color}" stroke-width="${a.size.toFixed(2)}"/>`);
    });
    graph.forEachNode((id, a) => {
      const p = at(id);
      const r = renderer.scaleSize(a.size);
      const shape = SIDES[a.data.side] ? SIDES[a.data.side].shape : "circle";
      const title = `<title>${esc(a.label)}</title>`;
      const [x, y] = [p.x.toFixed(1), p.y.toFixed(1)];
      if (shape === "square") parts.push(`<rect class="${shape}" x="${(p.x - r).toFixed(1)}" y="${(p.y - r).toFixed(1)}" width="${(2 * r).toFixed(1)}" height="${(2 * r).toFixed(1)}" fill="${a.color}">${title}</rect>`);
      else if (shape === "diamond") parts.push(`<polygon class="${shape}" points="${x},${(p.y - r).toFixed(1)} ${(p.x + r).toFixed(1)},${y} ${x},${(p.y + r).toFixed(1)} ${(p.x - r).toFixed(1)},${y}" fill="${a.color}">${title}</polygon>`);
      else parts.push(`<circle class="${shape}" cx="${x}" cy="${y}" r="${r.toFixed(1)}" fill="${a.color}">${title}</circle>`);
      if (r >= 6) parts.push(`<text x="${x}" y="${(p.y + r + 12).toFixed(1)}" font-family="sans-serif" font-size="11" text-anchor="middle" fill="#1b1f24">${esc(a.label)}</text>`);
    });
    parts.push("</svg>");
    return parts.join("\n");
  }

  // ---- wiring ----
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  form.addEventListener("reset", () => setTimeout(load));
  for (const name of FILTERS) if (name !== "focus") form.elements[name].addEventListener("change", load);
  colourBy.addEventListener("change", restyle);
  sizeBy.addEventListener("change", restyle);
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
  document.getElementById("download-png").addEventListener("click", async () => {
    if (state.renderer) save(await toPng(), fileName("png"));
  });
  document.getElementById("download-svg").addEventListener("click", () => {
    if (state.renderer) save(new Blob([toSvg()], { type: "image/svg+xml" }), fileName("svg"));
  });
  state.expand = expand;
  state.toSvg = () => (state.renderer ? toSvg() : null);

  setControls(new URLSearchParams(location.search));
  if (typeof Sigma === "undefined" || typeof graphology === "undefined") {
    fail("The drawing library did not load (/vendor/sigma.min.js, /vendor/graphology.umd.min.js): the table below still lists the nodes once loaded.");
  } else {
    load();
  }
})();
