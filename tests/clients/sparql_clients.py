"""Real SPARQL clients against a running `cinegraph serve`: SPARQLWrapper (SELECT as JSON and
XML, ASK, CONSTRUCT as Turtle, an update refused) and rdflib's SPARQLStore (a SELECT and a
CONSTRUCT through rdflib's Graph API). Run by tests/it/serve_clients.rs with the endpoint URL;
prints one line per check and exits non-zero on the first failure."""

import sys
from urllib.error import HTTPError

from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore

endpoint = sys.argv[1]
CG = "https://w3id.org/cinegraph/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DIRECTORS = "SELECT ?name WHERE { ?f cg:director ?p . ?p rdfs:label ?name } ORDER BY ?name"
EXPECTED = ["Mikhail Kalatozov", "Sergei Eisenstein"]


def wrapper(query, fmt, method=None):
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method:
        sparql.setMethod(method)
    return sparql.query().convert()


names = [b["name"]["value"] for b in wrapper(DIRECTORS, JSON)["results"]["bindings"]]
assert names == EXPECTED, names
print("SPARQLWrapper SELECT json (GET):", names)

names = [b["name"]["value"] for b in wrapper(DIRECTORS, JSON, POST)["results"]["bindings"]]
assert names == EXPECTED, names
print("SPARQLWrapper SELECT json (POST):", names)

xml = wrapper(DIRECTORS, XML)
literals = [n.firstChild.data for n in xml.getElementsByTagName("literal")]
assert literals == EXPECTED, literals
print("SPARQLWrapper SELECT xml:", literals)

assert wrapper("ASK { ?f cg:director ?p }", JSON)["boolean"] is True
print("SPARQLWrapper ASK: true")

turtle = wrapper("CONSTRUCT { ?f cg:director ?p } WHERE { ?f cg:director ?p }", TURTLE)
g = Graph().parse(data=turtle, format="turtle")
assert len(g) == 2, turtle
print("SPARQLWrapper CONSTRUCT turtle:", len(g), "triples")

update = SPARQLWrapper(endpoint)
update.setMethod(POST)
update.setQuery("INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }")
try:
    update.query()
    raise AssertionError("the update was accepted")
except HTTPError as e:
    assert e.code == 403, e.code
    print("SPARQLWrapper update refused:", e.code, e.read().decode().strip())

store = SPARQLStore(endpoint)
rows = list(store.query(
    "SELECT ?name WHERE { ?f <%sdirector> ?p . ?p <%s> ?name } ORDER BY ?name" % (CG, RDFS_LABEL)
))
names = [str(r[0]) for r in rows]
assert names == EXPECTED, names
print("rdflib SPARQLStore SELECT:", names)

graph = Graph(store=store)
labels = sorted(str(o) for o in graph.objects(None, URIRef(RDFS_LABEL)) if str(o) in EXPECTED)
assert labels == EXPECTED, labels
film = URIRef("https://w3id.org/cinegraph/id/film/tt0050634")
assert (film, URIRef(RDFS_LABEL), Literal("The Cranes Are Flying")) in graph
constructed = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER(?s = <%s>) }" % film)
assert len(constructed) >= 8, len(constructed)
print("rdflib SPARQLStore graph API:", len(constructed), "triples of the film")
print("all client checks passed")
