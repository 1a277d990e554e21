//! Every IRI the crate writes, in one place: the Cinegraph ontology (`cg:`), the namespace of
//! minted entity IRIs, and the external vocabularies used in the graph.

/// The Cinegraph ontology namespace, bound to the prefix `cg:`.
pub const CG: &str = "https://w3id.org/cinegraph/ontology#";
/// The IRI of the ontology document itself.
pub const CG_ONTOLOGY: &str = "https://w3id.org/cinegraph/ontology";
/// Namespace of entity IRIs minted by Cinegraph (prefix `cgr:`).
pub const CGR: &str = "https://w3id.org/cinegraph/id/";
/// Namespace of the IRIs that replace blank nodes of loaded files (RDF 1.1 skolem IRIs).
pub const GENID: &str = "https://w3id.org/cinegraph/.well-known/genid/";
/// IMDb title and name pages, the target of `owl:sameAs` links.
pub const IMDB_TITLE: &str = "https://www.imdb.com/title/";
/// IMDb name pages.
pub const IMDB_NAME: &str = "https://www.imdb.com/name/";

/// `rdf:`
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// `rdfs:`
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
/// `owl:`
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
/// `xsd:`
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
/// `prov:`
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// `schema:`
pub const SCHEMA: &str = "https://schema.org/";
/// `wd:` Wikidata items.
pub const WD: &str = "http://www.wikidata.org/entity/";
/// `wdt:` Wikidata direct properties.
pub const WDT: &str = "http://www.wikidata.org/prop/direct/";
/// `dcterms:`
pub const DCTERMS: &str = "http://purl.org/dc/terms/";

/// `rdf:type`
pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
/// `rdfs:label`
pub const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
/// `owl:sameAs`
pub const OWL_SAME_AS: &str = "http://www.w3.org/2002/07/owl#sameAs";
/// `xsd:gYear`
pub const XSD_GYEAR: &str = "http://www.w3.org/2001/XMLSchema#gYear";
/// `xsd:integer`
pub const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";

/// Classes of the ontology.
pub mod class {
    /// `cg:Film`
    pub const FILM: &str = "https://w3id.org/cinegraph/ontology#Film";
    /// `cg:Person`
    pub const PERSON: &str = "https://w3id.org/cinegraph/ontology#Person";
    /// `cg:Character`
    pub const CHARACTER: &str = "https://w3id.org/cinegraph/ontology#Character";
    /// `cg:Award`
    pub const AWARD: &str = "https://w3id.org/cinegraph/ontology#Award";
    /// `cg:Festival`
    pub const FESTIVAL: &str = "https://w3id.org/cinegraph/ontology#Festival";
    /// `cg:Review`
    pub const REVIEW: &str = "https://w3id.org/cinegraph/ontology#Review";
    /// `cg:Work`: a source work (novel, play, story) a film is based on.
    pub const WORK: &str = "https://w3id.org/cinegraph/ontology#Work";
}

/// Properties of the ontology.
pub mod prop {
    /// `cg:director`
    pub const DIRECTOR: &str = "https://w3id.org/cinegraph/ontology#director";
    /// `cg:cinematographer`
    pub const CINEMATOGRAPHER: &str = "https://w3id.org/cinegraph/ontology#cinematographer";
    /// `cg:actor`
    pub const ACTOR: &str = "https://w3id.org/cinegraph/ontology#actor";
    /// `cg:character`
    pub const CHARACTER: &str = "https://w3id.org/cinegraph/ontology#character";
    /// `cg:portrayedBy` (character -> person)
    pub const PORTRAYED_BY: &str = "https://w3id.org/cinegraph/ontology#portrayedBy";
    /// `cg:writer`
    pub const WRITER: &str = "https://w3id.org/cinegraph/ontology#writer";
    /// `cg:composer`
    pub const COMPOSER: &str = "https://w3id.org/cinegraph/ontology#composer";
    /// `cg:producer`
    pub const PRODUCER: &str = "https://w3id.org/cinegraph/ontology#producer";
    /// `cg:editor`
    pub const EDITOR: &str = "https://w3id.org/cinegraph/ontology#editor";
    /// `cg:award`
    pub const AWARD: &str = "https://w3id.org/cinegraph/ontology#award";
    /// `cg:nominatedFor`
    pub const NOMINATED_FOR: &str = "https://w3id.org/cinegraph/ontology#nominatedFor";
    /// `cg:releaseYear`
    pub const RELEASE_YEAR: &str = "https://w3id.org/cinegraph/ontology#releaseYear";
    /// `cg:basedOn`
    pub const BASED_ON: &str = "https://w3id.org/cinegraph/ontology#basedOn";
    /// `cg:alternativeTitle`
    pub const ALTERNATIVE_TITLE: &str = "https://w3id.org/cinegraph/ontology#alternativeTitle";
    /// `cg:reviewOf`
    pub const REVIEW_OF: &str = "https://w3id.org/cinegraph/ontology#reviewOf";
    /// `cg:sourceId`
    pub const SOURCE_ID: &str = "https://w3id.org/cinegraph/ontology#sourceId";
    /// `cg:rating`
    pub const RATING: &str = "https://w3id.org/cinegraph/ontology#rating";
    /// `cg:imdbId`
    pub const IMDB_ID: &str = "https://w3id.org/cinegraph/ontology#imdbId";
    /// `cg:festival`
    pub const FESTIVAL: &str = "https://w3id.org/cinegraph/ontology#festival";
}

/// The prefixes predeclared in queries and written in exports. Entity IRIs get one prefix per
/// kind, so their local names need no escaping (`film:tt0050634`).
pub const PREFIXES: &[(&str, &str)] = &[
    ("cg", CG),
    ("film", "https://w3id.org/cinegraph/id/film/"),
    ("person", "https://w3id.org/cinegraph/id/person/"),
    ("character", "https://w3id.org/cinegraph/id/character/"),
    ("award", "https://w3id.org/cinegraph/id/award/"),
    ("festival", "https://w3id.org/cinegraph/id/festival/"),
    ("review", "https://w3id.org/cinegraph/id/review/"),
    ("work", "https://w3id.org/cinegraph/id/work/"),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("owl", OWL),
    ("xsd", XSD),
    ("prov", PROV),
    ("schema", SCHEMA),
    ("wd", WD),
    ("wdt", WDT),
    ("dcterms", DCTERMS),
];

/// Prefixes only predeclared in queries: the whole entity namespace.
pub const QUERY_PREFIXES: &[(&str, &str)] = &[("cgr", CGR)];

/// Shortens an IRI with the first matching prefix of [`PREFIXES`], if its local part is simple.
///
/// ```
/// assert_eq!(cinegraph::vocab::shorten(cinegraph::vocab::prop::DIRECTOR), "cg:director");
/// assert_eq!(cinegraph::vocab::shorten("https://w3id.org/cinegraph/id/film/tt0050634"), "film:tt0050634");
/// assert_eq!(cinegraph::vocab::shorten("http://example.com/x"), "<http://example.com/x>");
/// ```
pub fn shorten(iri: &str) -> String {
    for (prefix, ns) in PREFIXES {
        if let Some(local) = iri.strip_prefix(ns)
            && !local.is_empty()
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return format!("{prefix}:{local}");
        }
    }
    format!("<{iri}>")
}
