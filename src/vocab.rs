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
/// `xsd:decimal` (confidences)
pub const XSD_DECIMAL: &str = "http://www.w3.org/2001/XMLSchema#decimal";
/// `rdf:reifies` (RDF 1.2): a reifier to the triple term it stands for.
pub const RDF_REIFIES: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies";
/// `rdf:Statement` (RDF 1.1 reification)
pub const RDF_STATEMENT: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement";
/// `rdf:subject` (RDF 1.1 reification)
pub const RDF_SUBJECT: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject";
/// `rdf:predicate` (RDF 1.1 reification)
pub const RDF_PREDICATE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate";
/// `rdf:object` (RDF 1.1 reification)
pub const RDF_OBJECT: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#object";
/// `prov:wasDerivedFrom`: an occurrence or mention to its review.
pub const PROV_WAS_DERIVED_FROM: &str = "http://www.w3.org/ns/prov#wasDerivedFrom";
/// Namespace of fact occurrences (reifiers), `<review slug>-<n>` (prefix `occurrence:`).
pub const OCCURRENCE_NS: &str = "https://w3id.org/cinegraph/id/occurrence/";
/// Namespace of entity mentions (reifiers), `<review slug>-<n>` (prefix `mention:`).
pub const MENTION_NS: &str = "https://w3id.org/cinegraph/id/mention/";

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
    /// `cg:Occurrence`: one reading of a fact in one review (a reifier of the fact).
    pub const OCCURRENCE: &str = "https://w3id.org/cinegraph/ontology#Occurrence";
    /// `cg:Mention`: words of one review naming an entity (a reifier of `cg:mentionedIn`).
    pub const MENTION: &str = "https://w3id.org/cinegraph/ontology#Mention";
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
    /// `cg:rule`: the rule id of an occurrence.
    pub const RULE: &str = "https://w3id.org/cinegraph/ontology#rule";
    /// `cg:method`: how an occurrence was established.
    pub const METHOD: &str = "https://w3id.org/cinegraph/ontology#method";
    /// `cg:confidence` (`xsd:decimal`, 0..1)
    pub const CONFIDENCE: &str = "https://w3id.org/cinegraph/ontology#confidence";
    /// `cg:sentence`: the evidence sentence.
    pub const SENTENCE: &str = "https://w3id.org/cinegraph/ontology#sentence";
    /// `cg:beginIndex`: first character of the evidence (code points from 0).
    pub const BEGIN_INDEX: &str = "https://w3id.org/cinegraph/ontology#beginIndex";
    /// `cg:endIndex`: the character just after the evidence.
    pub const END_INDEX: &str = "https://w3id.org/cinegraph/ontology#endIndex";
    /// `cg:evidence`: the words of the sentence the rule matched.
    pub const EVIDENCE: &str = "https://w3id.org/cinegraph/ontology#evidence";
    /// `cg:mentionedIn`: an entity to a review that names it.
    pub const MENTIONED_IN: &str = "https://w3id.org/cinegraph/ontology#mentionedIn";
    /// `cg:surface`: the words of a mention, as written.
    pub const SURFACE: &str = "https://w3id.org/cinegraph/ontology#surface";
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
    ("occurrence", OCCURRENCE_NS),
    ("mention", MENTION_NS),
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
