//! The shared vocabulary of the stages: the relations of the gold guideline and the review a
//! run reads. Every layer may use it; it uses only the IRIs of [`crate::vocab`].

/// A review to extract, with its metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewInput {
    /// The corpus id or file path it was read from.
    pub source_id: String,
    /// The review text.
    pub text: String,
    /// IMDb title id of the reviewed film, when known.
    pub imdb: Option<String>,
    /// The reviewer's rating, when known.
    pub rating: Option<i64>,
}

/// The relations of the gold guideline, by their rule-file keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// film -> person
    Director,
    /// film -> person
    Cinematographer,
    /// film -> person
    Actor,
    /// person -> character (stored as `cg:portrayedBy`, character -> person)
    Plays,
    /// film -> character
    Character,
    /// film -> person
    Writer,
    /// film -> person
    Composer,
    /// film -> person
    Producer,
    /// film -> person
    Editor,
    /// film or person -> award
    Award,
    /// film or person -> award
    Nominated,
    /// film -> year literal
    Year,
    /// film -> source work or author
    BasedOn,
    /// film -> title literal
    AltTitle,
}

impl Relation {
    /// Every relation, in a fixed order.
    pub const ALL: [Relation; 14] = [
        Relation::Director,
        Relation::Cinematographer,
        Relation::Actor,
        Relation::Plays,
        Relation::Character,
        Relation::Writer,
        Relation::Composer,
        Relation::Producer,
        Relation::Editor,
        Relation::Award,
        Relation::Nominated,
        Relation::Year,
        Relation::BasedOn,
        Relation::AltTitle,
    ];

    /// True for the credits that go from a film to a person (`director`, `actor`, `writer`…);
    /// `plays` goes from a person to a character.
    ///
    /// ```
    /// use cinegraph::model::Relation;
    /// assert!(Relation::Editor.is_film_to_person());
    /// assert!(!Relation::Plays.is_film_to_person());
    /// ```
    pub fn is_film_to_person(self) -> bool {
        matches!(
            self,
            Relation::Director
                | Relation::Cinematographer
                | Relation::Actor
                | Relation::Writer
                | Relation::Composer
                | Relation::Producer
                | Relation::Editor
        )
    }

    /// The key of the relation as the graph holds it, subject first: `portrayed_by` for
    /// [`Relation::Plays`] (a character, then the person playing it), else [`Relation::key`].
    ///
    /// ```
    /// use cinegraph::model::Relation;
    /// assert_eq!(Relation::Plays.edge_key(), "portrayed_by");
    /// assert_eq!(Relation::Actor.edge_key(), "actor");
    /// ```
    pub fn edge_key(self) -> &'static str {
        match self {
            Relation::Plays => "portrayed_by",
            r => r.key(),
        }
    }

    /// The key used in rule files and in the gold guideline.
    ///
    /// ```
    /// use cinegraph::model::Relation;
    /// assert_eq!(Relation::parse("based_on"), Some(Relation::BasedOn));
    /// assert_eq!(Relation::BasedOn.key(), "based_on");
    /// ```
    pub fn key(self) -> &'static str {
        match self {
            Relation::Director => "director",
            Relation::Cinematographer => "cinematographer",
            Relation::Actor => "actor",
            Relation::Plays => "plays",
            Relation::Character => "character",
            Relation::Writer => "writer",
            Relation::Composer => "composer",
            Relation::Producer => "producer",
            Relation::Editor => "editor",
            Relation::Award => "award",
            Relation::Nominated => "nominated",
            Relation::Year => "year",
            Relation::BasedOn => "based_on",
            Relation::AltTitle => "alt_title",
        }
    }

    /// The relation with this key.
    pub fn parse(key: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.key() == key)
    }

    /// The `cg:` property IRI (for `plays`, `cg:portrayedBy`, whose direction is reversed).
    pub fn property(self) -> &'static str {
        use crate::vocab::prop;
        match self {
            Relation::Director => prop::DIRECTOR,
            Relation::Cinematographer => prop::CINEMATOGRAPHER,
            Relation::Actor => prop::ACTOR,
            Relation::Plays => prop::PORTRAYED_BY,
            Relation::Character => prop::CHARACTER,
            Relation::Writer => prop::WRITER,
            Relation::Composer => prop::COMPOSER,
            Relation::Producer => prop::PRODUCER,
            Relation::Editor => prop::EDITOR,
            Relation::Award => prop::AWARD,
            Relation::Nominated => prop::NOMINATED_FOR,
            Relation::Year => prop::RELEASE_YEAR,
            Relation::BasedOn => prop::BASED_ON,
            Relation::AltTitle => prop::ALTERNATIVE_TITLE,
        }
    }

    /// The relation a `cg:` property IRI stands for.
    pub fn from_property(iri: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.property() == iri)
    }
}
