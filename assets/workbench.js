// The query editor of the Cinegraph workbench: CodeMirror 5 with its SPARQL mode, example
// queries, results from /sparql shown as a table (IRIs link to entity pages), download links
// in every format. Every value is put in the page with textContent, never as HTML.
(function () {
  "use strict";
  var textarea = document.getElementById("query");
  var editor = CodeMirror.fromTextArea(textarea, {
    mode: "application/sparql-query", lineNumbers: true, matchBrackets: true,
    extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run }
  });
  var examples = JSON.parse(document.getElementById("example-queries").textContent);
  var select = document.getElementById("examples");
  examples.forEach(function (example, i) {
    var option = document.createElement("option");
    option.value = String(i);
    option.textContent = example.name;
    select.appendChild(option);
  });
  select.addEventListener("change", function () {
    editor.setValue(examples[Number(select.value)].query);
  });
  document.getElementById("run").addEventListener("click", run);
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");

  function isGraphQuery(query) {
    var body = query.replace(/#[^\n]*/g, "").replace(/^\s*((PREFIX|BASE)\s[^\n]*\n\s*)*/i, "");
    return /^\s*(CONSTRUCT|DESCRIBE)\b/i.test(body);
  }

  function showDownloads(query, graph) {
    downloads.textContent = "Download: ";
    var formats = graph
      ? [["Turtle", "turtle", "ttl"], ["N-Triples", "ntriples", "nt"], ["N-Quads", "nquads", "nq"], ["RDF/XML", "rdfxml", "rdf"], ["JSON-LD", "jsonld", "jsonld"]]
      : [["JSON", "json", "srj"], ["XML", "xml", "srx"], ["CSV", "csv", "csv"], ["TSV", "tsv", "tsv"]];
    formats.forEach(function (f) {
      var a = document.createElement("a");
      a.href = "/sparql?query=" + encodeURIComponent(query) + "&format=" + f[1];
      a.download = "results." + f[2];
      a.textContent = f[0];
      downloads.appendChild(a);
    });
    downloads.hidden = false;
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      var a = document.createElement("a");
      a.href = "/entity?iri=" + encodeURIComponent(term.value);
      a.textContent = term.value;
      a.title = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
      else if (term.datatype) td.title = term.datatype;
    }
    return td;
  }

  function table(json) {
    var t = document.createElement("table");
    t.className = "results";
    var head = t.createTHead().insertRow();
    json.head.vars.forEach(function (v) {
      var th = document.createElement("th");
      th.textContent = "?" + v;
      head.appendChild(th);
    });
    var body = t.createTBody();
    json.results.bindings.forEach(function (row) {
      var tr = body.insertRow();
      json.head.vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
    });
    return t;
  }

  function run() {
    var query = editor.getValue();
    var graph = isGraphQuery(query);
    status.className = "";
    status.textContent = "Running…";
    results.textContent = "";
    var started = performance.now();
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": graph ? "text/turtle" : "application/sparql-results+json"
      },
      body: "query=" + encodeURIComponent(query)
    }).then(function (response) {
      return response.text().then(function (text) { return [response, text]; });
    }).then(function (pair) {
      var response = pair[0], text = pair[1];
      var ms = Math.round(performance.now() - started);
      if (!response.ok) {
        status.className = "error";
        status.textContent = response.status + ": " + text;
        downloads.hidden = true;
        return;
      }
      showDownloads(query, graph);
      if (graph) {
        var pre = document.createElement("pre");
        pre.className = "graph-text";
        pre.textContent = text;
        results.appendChild(pre);
        status.textContent = "Graph in " + ms + " ms";
        return;
      }
      var json = JSON.parse(text);
      if (typeof json.boolean === "boolean") {
        status.textContent = "Answer: " + json.boolean + " (" + ms + " ms)";
        return;
      }
      results.appendChild(table(json));
      var n = json.results.bindings.length;
      status.textContent = n + (n === 1 ? " row" : " rows") + " in " + ms + " ms";
    }).catch(function (e) {
      status.className = "error";
      status.textContent = String(e);
    });
  }
})();
