//! Reading the graph for people: `explain` (the facts about an entity with the reviews that
//! support them) and `graph` (the entities and their relations as a petgraph).

pub mod explain;
pub mod graph;
