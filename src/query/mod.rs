//! Reading the graph for people: `explain` (the facts about an entity with the reviews that
//! support them), `graph` (the entities and their relations as a petgraph) and `labels` (the
//! entity labels indexed for name search, as `explain` matches names).

pub mod explain;
pub mod graph;
pub mod labels;
