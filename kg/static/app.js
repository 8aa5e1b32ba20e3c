// The query page: YASGUI pointed at this server's /sparql, plus the named queries of queries/*.rq.
"use strict";
(function () {
  const endpoint = new URL("sparql", document.baseURI).href;
  document.getElementById("endpoint").textContent = endpoint;

  // Talk to this server only: drop the autocompleters that ask lov.linkeddata.es, and prefix.cc.
  const Yasqe = Yasgui.Yasqe;
  Yasqe.defaults.autocompleters = Yasqe.defaults.autocompleters.filter((n) => n !== "property" && n !== "class");
  Yasqe.defaults.prefixCcApi = null;
  Yasgui.defaults.requestConfig.endpoint = endpoint;

  // Results as plain values ("95", not "95"^^xsd:integer): the table's simple view, unless the reader turned it off.
  const Table = Yasgui.Yasr.plugins.table;
  const draw = Table.prototype.draw;
  Table.prototype.draw = function (config) {
    if (!("compact" in this.persistentConfig) && !(config && "compact" in config)) this.persistentConfig.compact = true;
    return draw.call(this, config);
  };

  const DEFAULT_QUERY = [
    "# Ten events, newest first.",
    "SELECT ?event ?type ?date WHERE {",
    "  ?event a ?type ; ckg:date ?date .",
    "  ?type rdfs:subClassOf ckg:Event .",
    "} ORDER BY DESC(?date) LIMIT 10",
  ].join("\n");

  // The server predeclares its prefixes; write the ones a query uses into it, after its header comments,
  // so that the editor's syntax check passes and the text also works elsewhere.
  function withPrefixes(text, prefixes) {
    const declared = new Set([...text.matchAll(/PREFIX\s+([\w-]*):/gi)].map((m) => m[1]));
    const used = Object.keys(prefixes).filter(
      (name) => !declared.has(name) && new RegExp("(^|[\\s(){}/^|,;!])" + name + ":", "m").test(text));
    if (!used.length) return text;
    const lines = text.split("\n");
    let header = 0;
    while (header < lines.length && lines[header].trim().startsWith("#")) header += 1;
    const declarations = used.map((name) => `PREFIX ${name}: <${prefixes[name]}>`);
    return [...lines.slice(0, header), ...declarations, ...lines.slice(header)].join("\n");
  }

  function start(listing) {
    Yasqe.defaults.value = withPrefixes(DEFAULT_QUERY, listing.prefixes);
    const yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint, method: "POST", acceptHeaderGraph: "text/turtle,*/*;q=0.9" },
      copyEndpointOnNewTab: false,
      persistenceId: "conflict-kg",
      endpointCatalogueOptions: { getData: () => [{ endpoint }] },
    });
    const list = document.getElementById("named-queries");
    list.replaceChildren(...listing.queries.map((query) => item(yasgui, query, listing.prefixes)));
    if (listing.failed) list.innerHTML = '<li class="hint">Could not load the named queries.</li>';
    else if (!listing.queries.length) list.innerHTML = '<li class="hint">None yet: add queries/NAME.rq files.</li>';
  }

  function item(yasgui, query, prefixes) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = query.name;
    button.title = "Open in a new tab";
    button.addEventListener("click", () => {
      const text = withPrefixes(query.text, prefixes);
      try {
        yasgui.addTab(true, { name: query.name, yasqe: { value: text }, requestConfig: { endpoint } },
          { avoidDuplicateTabs: true });
      } catch (err) { // no tab API: show the text instead
        const pre = li.querySelector("pre") || li.appendChild(document.createElement("pre"));
        pre.textContent = text;
      }
    });
    li.appendChild(button);
    if (query.summary) {
      const p = document.createElement("p");
      p.className = "summary";
      p.textContent = query.summary;
      li.appendChild(p);
    }
    return li;
  }

  fetch("queries.json")
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.statusText))))
    .catch((err) => {
      console.warn(err);
      return { prefixes: {}, queries: [], failed: true };
    })
    .then(start);
})();
