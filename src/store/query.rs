//! SPARQL queries on a store, with an optional timeout, and their results in the W3C formats.
//! Results are collected first ([`QueryAnswer`]), so a query that times out writes nothing and
//! a renderer for people (the CLI's table) can take the same answer.

use super::GraphStore;
use crate::error::{Error, Result};
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolution, SparqlEvaluator, Variable,
};
use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

/// Output formats of query results (the W3C ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsFormat {
    /// W3C SPARQL results CSV.
    Csv,
    /// W3C SPARQL results TSV.
    Tsv,
    /// W3C SPARQL results JSON.
    Json,
    /// W3C SPARQL results XML.
    Xml,
}

/// The complete results of a query.
#[derive(Debug)]
pub enum QueryAnswer {
    /// SELECT: the variables and the rows, in the query's order.
    Solutions {
        /// The projected variables.
        variables: Vec<Variable>,
        /// The rows.
        rows: Vec<QuerySolution>,
    },
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT, DESCRIBE: the triples, sorted by their N-Triples form.
    Graph(Vec<Triple>),
}

impl QueryAnswer {
    /// Writes the answer in a W3C results format; graph results are written as N-Triples
    /// (csv, tsv), RDF/XML (xml) or JSON-LD (json).
    pub fn write(&self, format: ResultsFormat, writer: &mut dyn Write) -> Result<()> {
        let io = |e: std::io::Error| Error::io("<output>", e);
        let results = match format {
            ResultsFormat::Csv => QueryResultsFormat::Csv,
            ResultsFormat::Tsv => QueryResultsFormat::Tsv,
            ResultsFormat::Xml => QueryResultsFormat::Xml,
            ResultsFormat::Json => QueryResultsFormat::Json,
        };
        match self {
            QueryAnswer::Solutions { variables, rows } => {
                let mut ser = QueryResultsSerializer::from_format(results)
                    .serialize_solutions_to_writer(writer, variables.clone())
                    .map_err(io)?;
                for row in rows {
                    ser.serialize(row).map_err(io)?;
                }
                ser.finish().map_err(io)?;
            }
            QueryAnswer::Boolean(value) => {
                QueryResultsSerializer::from_format(results)
                    .serialize_boolean_to_writer(writer, *value)
                    .map_err(io)?;
            }
            QueryAnswer::Graph(triples) => {
                let rdf = match format {
                    ResultsFormat::Csv | ResultsFormat::Tsv => RdfFormat::NTriples,
                    ResultsFormat::Xml => RdfFormat::RdfXml,
                    ResultsFormat::Json => RdfFormat::JsonLd {
                        profile: Default::default(),
                    },
                };
                write_triples(triples, rdf, writer)?;
            }
        }
        Ok(())
    }
}

/// Writes triples in an RDF format; Turtle declares the vocabulary prefixes.
pub fn write_triples(triples: &[Triple], format: RdfFormat, writer: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| Error::io("<output>", e);
    let mut serializer = RdfSerializer::from_format(format);
    if format == RdfFormat::Turtle {
        for (prefix, iri) in vocab::PREFIXES {
            serializer = serializer
                .with_prefix(*prefix, *iri)
                .expect("vocabulary prefixes are valid IRIs");
        }
    }
    let mut out = serializer.for_writer(writer);
    for t in triples {
        out.serialize_triple(t).map_err(io)?;
    }
    out.finish().map_err(io)?;
    Ok(())
}

impl GraphStore {
    /// Runs a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) and writes its results.
    ///
    /// The vocabulary prefixes (`cg:`, `rdfs:`…) are predeclared. See [`QueryAnswer::write`]
    /// for the formats.
    pub fn query(&self, query: &str, format: ResultsFormat, writer: &mut dyn Write) -> Result<()> {
        self.query_with_timeout(query, format, writer, None)
    }

    /// Like [`GraphStore::query`], but gives up with an error once `timeout` has passed (see
    /// [`GraphStore::answer`]); nothing is written then.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// use cinegraph::store::{GraphStore, ResultsFormat};
    /// use std::time::Duration;
    /// let store = GraphStore::open_write(dir.path())?;
    /// // A billion rows of constants: Oxigraph never reads the store, so cannot be cancelled.
    /// let values: Vec<String> =
    ///     (0..9).map(|i| format!("VALUES ?x{i} {{ 0 1 2 3 4 5 6 7 8 9 }}")).collect();
    /// let runaway = format!("SELECT (COUNT(*) AS ?n) WHERE {{ {} }}", values.join(" "));
    /// let mut out = Vec::new();
    /// let err = store
    ///     .query_with_timeout(&runaway, ResultsFormat::Csv, &mut out, Some(Duration::from_millis(100)))
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("timeout"), "{err}");
    /// assert!(out.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn query_with_timeout(
        &self,
        query: &str,
        format: ResultsFormat,
        writer: &mut dyn Write,
        timeout: Option<Duration>,
    ) -> Result<()> {
        self.answer(query, timeout)?.write(format, writer)
    }

    /// Runs a SPARQL query and collects its results, giving up with an error once `timeout`
    /// (if any) has passed.
    ///
    /// With a timeout, the query runs on a worker thread; when the time is up the evaluation
    /// is cancelled (Oxigraph checks its cancellation token as it reads the store) and the
    /// error is returned at once, without waiting for the worker: a query that never reads
    /// the store (e.g. a cross product of `VALUES`) cannot be interrupted and keeps its thread
    /// busy until it ends or the process exits.
    pub fn answer(&self, query: &str, timeout: Option<Duration>) -> Result<QueryAnswer> {
        let token = CancellationToken::new();
        let Some(timeout) = timeout else {
            return Ok(run_query(&self.store, query, &Dataset::default(), &token)?);
        };
        let (send, receive) = mpsc::channel();
        let store = self.store.clone();
        let query = query.to_string();
        let worker_token = token.clone();
        std::thread::spawn(move || {
            let _ = send.send(
                run_query(&store, &query, &Dataset::default(), &worker_token).map_err(Error::from),
            );
        });
        receive.recv_timeout(timeout).unwrap_or_else(|_| {
            token.cancel();
            Err(Error::Query(format!(
                "query stopped: it ran longer than the {} s timeout (--timeout)",
                timeout.as_secs_f64()
            )))
        })
    }
}

/// An evaluator with the vocabulary prefixes declared.
fn evaluator() -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new();
    for (prefix, iri) in vocab::PREFIXES.iter().chain(vocab::QUERY_PREFIXES) {
        evaluator = evaluator
            .with_prefix(*prefix, *iri)
            .expect("vocabulary prefixes are valid IRIs");
    }
    evaluator
}

/// The dataset a SPARQL protocol request names (`default-graph-uri`, `named-graph-uri`): when
/// either list is given, it replaces the query's own `FROM` / `FROM NAMED`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataset {
    /// IRIs of the graphs merged into the default graph.
    pub default_graphs: Vec<String>,
    /// IRIs of the named graphs the query may see.
    pub named_graphs: Vec<String>,
}

/// Why a query gave no answer, for callers (like an HTTP endpoint) that answer each case
/// differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The text is not a SPARQL query (the message names line and column).
    Syntax,
    /// The text is a SPARQL update: refused, the store is read-only here.
    Update,
    /// The query asks for something refused: a `SERVICE` call to another server, a bad dataset
    /// IRI.
    Refused,
    /// The query was cancelled (its time ran out).
    Cancelled,
    /// Evaluation failed otherwise.
    Evaluation,
}

/// A query that gave no answer: why, and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryFailure {
    /// Why.
    pub kind: FailureKind,
    /// What to tell the user.
    pub message: String,
}

impl From<QueryFailure> for Error {
    fn from(f: QueryFailure) -> Error {
        Error::Query(f.message)
    }
}

impl GraphStore {
    /// Parses and evaluates a query on `dataset`, collecting its results; stops with
    /// [`FailureKind::Cancelled`] when `token` is cancelled (Oxigraph checks it as it reads the
    /// store, and so does the collecting loop). `SERVICE` calls to other servers are refused.
    pub fn evaluate(
        &self,
        query: &str,
        dataset: &Dataset,
        token: &CancellationToken,
    ) -> std::result::Result<QueryAnswer, QueryFailure> {
        run_query(&self.store, query, dataset, token)
    }
}

fn failure(kind: FailureKind, message: impl Into<String>) -> QueryFailure {
    QueryFailure {
        kind,
        message: message.into(),
    }
}

/// Parses a query with the vocabulary prefixes and sets the request's dataset.
fn prepare(
    query: &str,
    dataset: &Dataset,
    token: &CancellationToken,
) -> std::result::Result<oxigraph::sparql::PreparedSparqlQuery, QueryFailure> {
    let mut prepared = evaluator()
        .with_cancellation_token(token.clone())
        .parse_query(query)
        .map_err(|e| {
            // An update parses as one: say why it is refused rather than where it fails.
            if evaluator().parse_update(query).is_ok() {
                failure(
                    FailureKind::Update,
                    format!("syntax error: {e} (updates are not allowed in `query`)"),
                )
            } else {
                failure(FailureKind::Syntax, format!("syntax error: {e}"))
            }
        })?;
    let iri = |what: &str, iri: &str| {
        NamedNode::new(iri)
            .map_err(|e| failure(FailureKind::Refused, format!("invalid {what} `{iri}`: {e}")))
    };
    if !dataset.default_graphs.is_empty() || !dataset.named_graphs.is_empty() {
        let default = dataset
            .default_graphs
            .iter()
            .map(|g| iri("default-graph-uri", g).map(GraphName::from))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let named = dataset
            .named_graphs
            .iter()
            .map(|g| iri("named-graph-uri", g).map(NamedOrBlankNode::from))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let target = prepared.dataset_mut();
        target.set_default_graph(default);
        target.set_available_named_graphs(named);
    }
    Ok(prepared)
}

/// Parses and evaluates a query, collecting its results (see [`GraphStore::evaluate`]).
fn run_query(
    store: &oxigraph::store::Store,
    query: &str,
    dataset: &Dataset,
    token: &CancellationToken,
) -> std::result::Result<QueryAnswer, QueryFailure> {
    let prepared = prepare(query, dataset, token)?;
    let cancelled = || {
        token
            .is_cancelled()
            .then(|| query_error(QueryEvaluationError::Cancelled))
    };
    match prepared.on_store(store).execute().map_err(query_error)? {
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let mut rows = Vec::new();
            for row in solutions {
                rows.push(row.map_err(query_error)?);
                if let Some(e) = cancelled() {
                    return Err(e);
                }
            }
            Ok(QueryAnswer::Solutions { variables, rows })
        }
        QueryResults::Boolean(value) => Ok(QueryAnswer::Boolean(value)),
        QueryResults::Graph(triples) => {
            let mut collected = Vec::new();
            for t in triples {
                collected.push(t.map_err(query_error)?);
                if let Some(e) = cancelled() {
                    return Err(e);
                }
            }
            collected.sort_by_key(|t| t.to_string());
            Ok(QueryAnswer::Graph(collected))
        }
    }
}

fn query_error(e: QueryEvaluationError) -> QueryFailure {
    let kind = match &e {
        QueryEvaluationError::Cancelled => FailureKind::Cancelled,
        QueryEvaluationError::Service(_)
        | QueryEvaluationError::UnboundService
        | QueryEvaluationError::InvalidServiceName(_)
        | QueryEvaluationError::UnsupportedService(_) => {
            return failure(
                FailureKind::Refused,
                format!("SERVICE calls to other servers are refused ({e})"),
            );
        }
        _ => FailureKind::Evaluation,
    };
    failure(kind, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_is_refused_with_a_hint_and_a_broken_query_without() {
        let dir = tempfile::tempdir().unwrap();
        let store = GraphStore::open_write(dir.path()).unwrap();
        let err = |q: &str| store.answer(q, None).unwrap_err().to_string();
        assert!(
            err("INSERT DATA { cg:a cg:b cg:c }").ends_with("(updates are not allowed in `query`)")
        );
        assert!(!err("SELECT WHERE {").contains("updates"));
    }
}
