//! Every IRI the crate writes, in one place: the Cinegraph ontology (`cg:`), the namespaces of
//! minted IRIs (one per [`EntityKind`], the only place each is spelled), and the external
//! vocabularies used in the graph (the standard ones taken from `oxigraph::model::vocab`).

use oxigraph::model::vocab::{rdf, rdfs, xsd};

/// The Cinegraph ontology namespace, bound to the prefix `cg:`.
pub const CG: &str = "https://w3id.org/cinegraph/ontology#";
/// The IRI of the ontology document itself.
pub const CG_ONTOLOGY: &str = "https://w3id.org/cinegraph/ontology";
/// An IRI in the namespace of minted IRIs: `cgr!("film/")`.
macro_rules! cgr {
    ($local:literal) => {
        concat!("https://w3id.org/cinegraph/id/", $local)
    };
}
/// Namespace of every IRI minted by Cinegraph (prefix `cgr:`); each [`EntityKind`] has its
/// own namespace under it.
pub const CGR: &str = cgr!("");
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
pub const RDF_TYPE: &str = rdf::TYPE.as_str();
/// `rdfs:label`
pub const RDFS_LABEL: &str = rdfs::LABEL.as_str();
/// `owl:sameAs`
pub const OWL_SAME_AS: &str = "http://www.w3.org/2002/07/owl#sameAs";
/// `xsd:gYear`
pub const XSD_GYEAR: &str = xsd::G_YEAR.as_str();
/// `xsd:integer`
pub const XSD_INTEGER: &str = xsd::INTEGER.as_str();
/// `xsd:decimal` (confidences)
pub const XSD_DECIMAL: &str = xsd::DECIMAL.as_str();
/// `rdf:reifies` (RDF 1.2): a reifier to the triple term it stands for.
pub const RDF_REIFIES: &str = rdf::REIFIES.as_str();
/// `rdf:Statement` (RDF 1.1 reification)
pub const RDF_STATEMENT: &str = rdf::STATEMENT.as_str();
/// `rdf:subject` (RDF 1.1 reification)
pub const RDF_SUBJECT: &str = rdf::SUBJECT.as_str();
/// `rdf:predicate` (RDF 1.1 reification)
pub const RDF_PREDICATE: &str = rdf::PREDICATE.as_str();
/// `rdf:object` (RDF 1.1 reification)
pub const RDF_OBJECT: &str = rdf::OBJECT.as_str();
/// `prov:wasDerivedFrom`: an occurrence or mention to its review.
pub const PROV_WAS_DERIVED_FROM: &str = "http://www.w3.org/ns/prov#wasDerivedFrom";
/// Namespace of fact occurrences (reifiers), `<review slug>-<n>` (prefix `occurrence:`).
pub const OCCURRENCE_NS: &str = EntityKind::Occurrence.namespace();
/// Namespace of entity mentions (reifiers), `<review slug>-<n>` (prefix `mention:`).
pub const MENTION_NS: &str = EntityKind::Mention.namespace();

/// Every kind of node Cinegraph mints an IRI for: the entities of reviews, the reviews, and
/// the reifiers of fact occurrences and mentions. Each has its namespace (and export prefix)
/// under [`CGR`], spelled here only; [`EntityKind::iri`] is the one function that mints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    /// A film (`film:`), an IMDb id or a slug of its title.
    Film,
    /// A person (`person:`).
    Person,
    /// A character, scoped by its film (`character:<film>--<name>`).
    Character,
    /// An award or award category (`award:`).
    Award,
    /// A festival (`festival:`).
    Festival,
    /// A review (`review:`), a slug of its source id.
    Review,
    /// A source work a film is based on (`work:`).
    Work,
    /// A reading of a fact in a review (`occurrence:<review>-<n>`).
    Occurrence,
    /// Words of a review naming an entity (`mention:<review>-<n>`).
    Mention,
}

impl EntityKind {
    /// The prefix of the kind's namespace in queries and exports.
    pub const fn prefix(self) -> &'static str {
        match self {
            EntityKind::Film => "film",
            EntityKind::Person => "person",
            EntityKind::Character => "character",
            EntityKind::Award => "award",
            EntityKind::Festival => "festival",
            EntityKind::Review => "review",
            EntityKind::Work => "work",
            EntityKind::Occurrence => "occurrence",
            EntityKind::Mention => "mention",
        }
    }

    /// The namespace of the kind's IRIs.
    pub const fn namespace(self) -> &'static str {
        match self {
            EntityKind::Film => cgr!("film/"),
            EntityKind::Person => cgr!("person/"),
            EntityKind::Character => cgr!("character/"),
            EntityKind::Award => cgr!("award/"),
            EntityKind::Festival => cgr!("festival/"),
            EntityKind::Review => cgr!("review/"),
            EntityKind::Work => cgr!("work/"),
            EntityKind::Occurrence => cgr!("occurrence/"),
            EntityKind::Mention => cgr!("mention/"),
        }
    }

    /// The `cg:` class of the kind's nodes.
    pub const fn class(self) -> &'static str {
        match self {
            EntityKind::Film => class::FILM,
            EntityKind::Person => class::PERSON,
            EntityKind::Character => class::CHARACTER,
            EntityKind::Award => class::AWARD,
            EntityKind::Festival => class::FESTIVAL,
            EntityKind::Review => class::REVIEW,
            EntityKind::Work => class::WORK,
            EntityKind::Occurrence => class::OCCURRENCE,
            EntityKind::Mention => class::MENTION,
        }
    }

    /// The IRI of the kind's node whose local name is `local`, given in pieces end to end
    /// (the pieces are already slugs or numbers: nothing is escaped).
    ///
    /// ```
    /// use cinegraph::vocab::EntityKind;
    /// assert_eq!(EntityKind::Film.iri(&["tt0050634"]), "https://w3id.org/cinegraph/id/film/tt0050634");
    /// ```
    pub fn iri(self, local: &[&str]) -> String {
        // IRIs are built for every entity of every review, and `format!` costs several times
        // a few copies.
        let namespace = self.namespace();
        let mut out =
            String::with_capacity(namespace.len() + local.iter().map(|p| p.len()).sum::<usize>());
        self.write_iri(local, &mut out);
        out
    }

    /// Appends [`EntityKind::iri`] to `out`, for buffers reused IRI after IRI.
    pub fn write_iri(self, local: &[&str], out: &mut String) {
        out.push_str(self.namespace());
        for piece in local {
            out.push_str(piece);
        }
    }

    /// The local name of an IRI of this kind, if it is one.
    pub fn local_name(self, iri: &str) -> Option<&str> {
        iri.strip_prefix(self.namespace())
    }
}

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
    /// `cg:filmTitle`: the title a review gives the film it reviews (its vote for the film's
    /// label).
    pub const FILM_TITLE: &str = "https://w3id.org/cinegraph/ontology#filmTitle";
    /// `cg:cue`: a cue that decided which film a review is about.
    pub const CUE: &str = "https://w3id.org/cinegraph/ontology#cue";
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
    (EntityKind::Film.prefix(), EntityKind::Film.namespace()),
    (EntityKind::Person.prefix(), EntityKind::Person.namespace()),
    (
        EntityKind::Character.prefix(),
        EntityKind::Character.namespace(),
    ),
    (EntityKind::Award.prefix(), EntityKind::Award.namespace()),
    (
        EntityKind::Festival.prefix(),
        EntityKind::Festival.namespace(),
    ),
    (EntityKind::Review.prefix(), EntityKind::Review.namespace()),
    (EntityKind::Work.prefix(), EntityKind::Work.namespace()),
    (
        EntityKind::Occurrence.prefix(),
        EntityKind::Occurrence.namespace(),
    ),
    (
        EntityKind::Mention.prefix(),
        EntityKind::Mention.namespace(),
    ),
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
