// Draws the entity graph of a page (entity neighbourhood, or a tried review's graph) with
// Cytoscape.js, from the page's JSON data island {nodes: [{iri, label, class}], edges:
// [{source, target, relation}]}. A click on a node opens its entity page.
(function () {
  "use strict";
  var island = document.getElementById("graph-data");
  var container = document.getElementById("graph");
  if (!island || !container) return;
  var data = JSON.parse(island.textContent);
  var colours = { Film: "#f4a261", Person: "#8ecae6", Character: "#b5e48c", Award: "#ffd166", Festival: "#e5989b", Work: "#cdb4db" };
  var elements = [];
  data.nodes.forEach(function (n) {
    elements.push({ data: { id: n.iri, label: n.label, colour: colours[n["class"]] || "#dddddd" } });
  });
  data.edges.forEach(function (e, i) {
    elements.push({ data: { id: "e" + i, source: e.source, target: e.target, label: e.relation.replace(/_/g, " ") } });
  });
  if (data.nodes.length === 0) {
    container.textContent = "No relation between entities to draw.";
    return;
  }
  var cy = cytoscape({
    container: container,
    elements: elements,
    layout: { name: data.nodes.length > 12 ? "concentric" : "cose", animate: false, padding: 20 },
    style: [
      { selector: "node", style: { "background-color": "data(colour)", "label": "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3, "border-width": 1, "border-color": "#555" } },
      { selector: "edge", style: { "width": 1.5, "line-color": "#999", "target-arrow-color": "#999", "target-arrow-shape": "triangle", "curve-style": "bezier", "label": "data(label)", "font-size": 9, "color": "#3a5a40", "text-rotation": "autorotate" } }
    ]
  });
  cy.on("tap", "node", function (event) {
    window.location.href = "/entity?iri=" + encodeURIComponent(event.target.id());
  });
  container.setAttribute("data-nodes", String(data.nodes.length));
})();
