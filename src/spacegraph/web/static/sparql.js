// The SPARQL page's editor (YASGUI): a file of its own, as the Content-Security-Policy allows no inline script.
(() => {
  const script = document.currentScript;
  // Completions from the editor's own list of prefixes and the query's variables only: the class and property
  // completers would ask lov.linkeddata.es, and nothing is fetched from the internet at run time.
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: script.dataset.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
  });
  if (script.dataset.query) yasgui.getTab().setQuery(script.dataset.query);
  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", () => yasgui.getTab().setQuery(button.dataset.query));
  }
})();
