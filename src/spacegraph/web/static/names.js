// Autocomplete for every input marked data-names="person|organisation|any": a <datalist> of the names the one
// name resolver suggests (/api/names), asked again as the user types (at most every 200 ms).
(function () {
  document.querySelectorAll("input[data-names]").forEach(function (input, i) {
    var list = document.createElement("datalist");
    list.id = "names-" + i;
    input.after(list);
    input.setAttribute("list", list.id);
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === asked) return;
        asked = text;
        fetch("/api/names?kind=" + encodeURIComponent(input.dataset.names) + "&q=" + encodeURIComponent(text))
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (names) {
            list.replaceChildren.apply(list, names.map(function (n) {
              var option = document.createElement("option");
              option.value = n.name;
              if (n.as) option.label = n.name + " (as " + n.as + ")";
              return option;
            }));
          })
          .catch(function () { /* no suggestions: the form still works */ });
      }, 200);
    });
  });
})();
