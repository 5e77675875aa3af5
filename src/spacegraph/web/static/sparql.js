// The SPARQL page's editor (YASGUI): a file of its own, as the Content-Security-Policy allows no inline script.
(() => {
  const script = document.currentScript;
  // YASGUI's view of an error builds a URL from the endpoint: a relative one made it fail, and the server's message
  // ("Query stopped: …", "Query syntax error: …") was never shown.
  const endpoint = new URL(script.dataset.endpoint, window.location.href).href;
  const prefixes = JSON.parse(script.dataset.prefixes || "{}"); // declared by the endpoint for every query
  // Completions from the editor's own list of prefixes and the query's variables only: the class and property
  // completers would ask lov.linkeddata.es, and nothing is fetched from the internet at run time.
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  // The simple view of cells by default (4, not "4"^^<…#integer>); the table's switch still shows the full form.
  Yasgui.Yasr.defaults.plugins.table.dynamicConfig = { compact: true };
  declarePrefixes(Yasgui.Yasqe, prefixes);
  if (window.SpacegraphCharts) window.SpacegraphCharts.register(Yasgui.Yasr);
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    yasr: { prefixes }, // IRIs in results shortened with the project's prefixes
    // Tabs, their queries and the last results are kept in this browser (localStorage), across visits.
    persistenceId: "spacegraph-sparql",
  });
  const tab = yasgui.getTab();
  const fresh = tab.getQuery() === Yasgui.defaults.yasqe.value; // a first visit: YASGUI's own sample query
  const { example, title, query } = script.dataset;
  if (example) {
    // An example's results asked for from its page: in this tab on a first visit, else in a tab of its own (the
    // same one on a second visit), run at once
    if (fresh) {
      tab.setName(title);
      tab.setQuery(query);
    } else {
      yasgui.addTab(true, { name: title, yasqe: { value: query } }, { avoidDuplicateTabs: true });
    }
    yasgui.getTab().query().catch(() => {});
  } else if (query && fresh) {
    tab.setQuery(query); // the first example, in place of YASGUI's sample
  }
  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", () => yasgui.getTab().setQuery(button.dataset.query));
  }

  // The editor's own check marks a prefix that the query does not declare; the endpoint declares the project's, so
  // its SPARQL mode starts every query with them known.
  function declarePrefixes(CodeMirror, declared) {
    const sparql = CodeMirror.modes.sparql11;
    CodeMirror.defineMode("sparql11", (config, modeConfig) => {
      const mode = sparql(config, modeConfig);
      const startState = mode.startState;
      mode.startState = (...args) => {
        const state = startState(...args);
        Object.assign(state.prefixes, declared);
        return state;
      };
      return mode;
    });
  }
})();
